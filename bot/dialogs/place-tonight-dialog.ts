/**
 * "I need a place tonight": a short intake (Masterplan measure 17) so the dispatcher does not ask again.
 * First whether the person is about to lose a home or already without a place, and the prevention or housing
 * options that fit, from the knowledge cards (17.1: always proposed before an emergency bed); then who, gender,
 * age group, medical needs, pets, other languages and a preferred area — every one optional ("skip", "-");
 * then consent to pass the answers on, a hand-off request (reason 'place_tonight') and its reference.
 *
 * Ends with `{ reference, consent }`, `{ refused: true }` (no dispatcher wanted), `{ minor: true }` (a minor alone
 * is never passed to the adults' dispatching: M24) or `{ failed: true }` (the request could not be stored).
 * Begin options (optional): `{ extremeCold?: boolean, safetyKind?: string }` from the main dialog.
 */
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { statedAge } from '../../conversation/age-groups.js';
import { composeCard } from '../../conversation/compose-services.js';
import { tFor } from '../../conversation/i18n.js';
import type { Lang } from '../../conversation/languages.js';
import type { HandoffInput, HandoffRepository } from '../../dispatch/handoff.repository.js';
import {
  ageGroupOf, childrenCount, handoffGroups, handoffNeeds, handoffPriority, isMinorAlone, isSkip, nextQuestion,
  optionCards, wordList, AGE_GROUPS, GENDERS, HOUSEHOLDS, SITUATIONS, type Intake, type PriorityFactors, type Question,
} from '../../dispatch/intake.js';
import type { Card } from '../../knowledge/cards/load-cards.js';
import { isPlainTextChannel } from '../render.js';
import { loadCorpusMeta } from '../../knowledge/ingest/load-corpus.js';
import { conversationKey } from '../infoline-bot.js';
import { ask, langOf, normalize, pick, safetyShown, send, TextPrompt, TEXT_PROMPT, type CardView, type Choice, type Reply } from './kit.js';

export interface PlaceTonightDeps {
  handoffs: Pick<HandoffRepository, 'create'>;
  places: { placeIn(text: string): { name: string; commune: string; isCommune: boolean } | undefined };
  cards: Map<string, Card>;
  clock?: () => Date;
  /** Short titles of the plans for citations (default: knowledge/corpus/corpus.json). */
  documents?: Map<string, { shortTitle: string }>;
}

export interface PlaceTonightOptions {
  /** The weather plan's cold alarm, or a cold alert earlier in the conversation. */
  extremeCold?: boolean;
  /** A safety alert already shown in this conversation. */
  safetyKind?: string;
}

export type PlaceTonightResult =
  | { reference: string; consent: boolean }
  | { refused: true }
  | { minor: true }
  | { failed: true };

type Step = Question | 'consent' | 'still';

/** What the loop carries from one question to the next (the waterfall's options, kept in dialog state). */
interface LoopState {
  intake: Intake;
  at: Step;
  /** Unclear answers to the consent question so far. */
  unclear: number;
  extremeCold: boolean;
  safetyKind?: string;
}

const LOOP = 'placeTonight.loop';
const MASTERPLAN = '004_cb8e911b77208c6d';
/** Masterplan lines: 17.1 the right to refuse any proposal; prevention and housing before an emergency bed. */
const REFUSE_LINES = [3276, 3280] as const;
const PRIORITY_LINES = [3309, 3316] as const;
const MAX_SAID = 300;

export class PlaceTonightDialog extends ComponentDialog {
  static readonly id = 'placeTonight';
  private documents?: Map<string, { shortTitle: string }>;

  constructor(private readonly deps: PlaceTonightDeps) {
    super(PlaceTonightDialog.id);
    this.documents = deps.documents;
    this.addDialog(new TextPrompt(TEXT_PROMPT));
    this.addDialog(new WaterfallDialog(LOOP, [(s) => this.askStep(s), (s) => this.answerStep(s)]));
    this.initialDialogId = LOOP;
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = langOf(step.context);
    const t = tFor(lang);
    const opts = (step.options ?? {}) as Partial<LoopState> & PlaceTonightOptions;
    const state: LoopState = opts.intake
      ? (opts as LoopState)
      : { intake: { said: {} }, at: 'situation', unclear: 0, extremeCold: opts.extremeCold === true, safetyKind: opts.safetyKind };
    (step.values as { state?: LoopState }).state = state;
    const reply = questionReply(state, lang);
    if (!opts.intake) reply.text = `${t('intake.intro')}\n${reply.text}`;
    return ask(step, reply);
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = langOf(step.context);
    const state = (step.values as { state: LoopState }).state;
    const text = String(step.result ?? '').trim();
    const kind = safetyShown(step.context);
    if (kind) {
      state.safetyKind = kind;
      if (kind === 'cold') state.extremeCold = true;
    }
    if (state.at === 'consent') return this.consentAnswer(step, state, text, lang);
    if (state.at === 'still') {
      if (yesNo(text, lang) === 'yes') return this.finish(step, state, false);
      await send(step.context, tFor(lang)('intake.refused'));
      return step.endDialog({ refused: true } satisfies PlaceTonightResult);
    }
    const q = state.at;
    if (!isSkip(text, wordList(tFor(lang)('intake.skip_words')))) applyAnswer(state.intake, q, text, lang, this.deps.places);
    if (q === 'situation') await this.sendOptions(step.context, state.intake, lang);
    if (q === 'age' && isMinorAlone(state.intake)) return this.minorAlone(step, lang);
    const next = nextQuestion(state.intake, q) ?? 'consent';
    return step.replaceDialog(LOOP, { ...state, at: next, unclear: 0 } satisfies LoopState);
  }

  /** Consent is the one answer that cannot be skipped: asked again, then taken as a "no". */
  private async consentAnswer(step: WaterfallStepContext, state: LoopState, text: string, lang: Lang): Promise<DialogTurnResult> {
    const answer = yesNo(text, lang);
    if (answer === 'yes') return this.finish(step, state, true);
    if (answer === 'no' || state.unclear >= 1) return step.replaceDialog(LOOP, { ...state, at: 'still', unclear: 0 } satisfies LoopState);
    return step.replaceDialog(LOOP, { ...state, unclear: state.unclear + 1 } satisfies LoopState);
  }

  /** Prevention or housing options first (17.1), from the cards in the person's language with their citations. */
  private async sendOptions(context: TurnContext, intake: Intake, lang: Lang): Promise<void> {
    const t = tFor(lang);
    const cards = optionCards(intake.situation).map((id) => this.deps.cards.get(id)).filter((c): c is Card => !!c);
    if (!cards.length) return;
    if (intake.situation === 'no_place') {
      // Housing solutions fit someone already without a place: their names here, the dispatcher explains them.
      const source = this.cite(lang, PRIORITY_LINES);
      if (isPlainTextChannel(context.activity.channelId)) {
        await send(context, [t('intake.housing_intro'), ...cards.map((c) => `- ${c.text[lang].title}`), source].join('\n'));
        return;
      }
      const views: CardView[] = cards.map((c) => ({ title: c.text[lang].title, text: composeCard(c, lang, this.docs()).split('\n').slice(1).join('\n') }));
      await send(context, { text: `${t('intake.housing_intro')}\n${source}`, cards: views });
      return;
    }
    const intro = t(intake.situation === 'evicted' ? 'intake.evicted_intro' : 'intake.prevention_intro');
    await send(context, `${intro}\n${cards.map((c) => composeCard(c, lang, this.docs())).join('\n\n')}`);
  }

  private async minorAlone(step: WaterfallStepContext, lang: Lang): Promise<DialogTurnResult> {
    const card = this.deps.cards.get('minor-alone');
    const t = tFor(lang);
    await send(step.context, [t('intake.minor'), card ? composeCard(card, lang, this.docs()) : t('intake.minor_numbers')].join('\n'));
    return step.endDialog({ minor: true } satisfies PlaceTonightResult);
  }

  /** Creates the hand-off request and tells the person its reference, or that it was not passed. */
  private async finish(step: WaterfallStepContext, state: LoopState, consent: boolean): Promise<DialogTurnResult> {
    const lang = langOf(step.context);
    const t = tFor(lang);
    const input = handoffInput(state.intake, { extremeCold: state.extremeCold, safetyKind: state.safetyKind }, consent, lang, conversationKey(step.context), `bot:${step.context.activity.channelId}`);
    let reference: string;
    try {
      reference = (await this.deps.handoffs.create(input)).reference;
    } catch {
      // The database is down: say so plainly and give the public shelter number; never a reference we don't have.
      await send(step.context, t('intake.failed'));
      return step.endDialog({ failed: true } satisfies PlaceTonightResult);
    }
    const lines = [
      t('intake.done', { reference }),
      ...(consent ? [] : [t('intake.done_no_answers')]),
      `${t('intake.refuse_right')} ${this.cite(lang, REFUSE_LINES)}`,
      t('intake.meanwhile'),
    ];
    await send(step.context, { text: lines.join('\n'), channelData: { handoff: { reference, priority: input.priority } } });
    return step.endDialog({ reference, consent } satisfies PlaceTonightResult);
  }

  private docs(): Map<string, { shortTitle: string }> {
    this.documents ??= new Map(loadCorpusMeta().map((d) => [d.id, { shortTitle: d.shortTitle }]));
    return this.documents;
  }

  private cite(lang: Lang, [from, to]: readonly [number, number]): string {
    const title = this.docs().get(MASTERPLAN)?.shortTitle ?? MASTERPLAN;
    return tFor(lang)('answer.citation_no_section', { title, from, to });
  }
}

/** The request for the dispatcher: the intake and the groups it implies only with consent. */
export function handoffInput(
  intake: Intake, f: PriorityFactors, consent: boolean, lang: Lang, conversationId: string, channel: string,
): HandoffInput {
  const priority = handoffPriority(intake, f);
  const needs = handoffNeeds(intake);
  const safety = f.safetyKind ? { safetyKind: f.safetyKind } : {};
  const context: HandoffInput['context'] = consent
    ? { topic: 'sleep-tonight', needs, groups: handoffGroups(intake), ...(intake.area?.commune ? { commune: intake.area.commune } : {}), ...safety, intake }
    // Without consent: what the request is about, nothing about the person (a health need is about the person).
    : { topic: 'sleep-tonight', needs: needs.filter((n) => n !== 'health-care'), ...safety };
  return { conversationId, channel, lang, reason: 'place_tonight', priority, consent, context };
}

/** The question of a step, with its choices in the person's language. */
function questionReply(state: LoopState, lang: Lang): Reply {
  const t = tFor(lang);
  switch (state.at) {
    case 'consent':
      return { text: state.unclear ? `${t('intake.consent_again')}\n${t('intake.consent')}` : t('intake.consent'), choices: yesNoChoices(lang) };
    case 'still':
      return { text: t('intake.still'), choices: yesNoChoices(lang) };
    case 'languages':
      return { text: t('intake.languages', { language: t('language.name') }) };
    case 'children':
    case 'medical_detail':
    case 'area':
      return { text: t(`intake.${state.at}`) };
    default: {
      const choices = choicesFor(state.at, lang);
      return { text: t(`intake.${state.at}`), choices };
    }
  }
}

/** Choices of a closed question: value, title and the words that also pick it, from locales/<lang>/intake.json. */
function choicesFor(q: Question, lang: Lang): Choice[] {
  const t = tFor(lang);
  const make = (values: readonly string[], key: string): Choice[] => values.map((v) => {
    const words = wordList(t(`intake.${key}_${v}_words`, { defaultValue: '' }));
    return { value: v, title: t(`intake.${key}_${v}`), ...(words.length ? { words } : {}) };
  });
  switch (q) {
    case 'situation': return make(SITUATIONS, 'situation');
    case 'household': return make(HOUSEHOLDS, 'household');
    case 'gender': return make(GENDERS, 'gender');
    case 'age': return make(AGE_GROUPS, 'age');
    default: return yesNoChoices(lang);
  }
}

function yesNoChoices(lang: Lang): Choice[] {
  const t = tFor(lang);
  return [
    { value: 'yes', title: t('intake.yes'), words: wordList(t('intake.yes_words')) },
    { value: 'no', title: t('intake.no'), words: wordList(t('intake.no_words')) },
  ];
}

function yesNo(text: string, lang: Lang): 'yes' | 'no' | undefined {
  return pick(text, yesNoChoices(lang))?.value as 'yes' | 'no' | undefined;
}

/** True when the answer is only "yes" or "no" (a number, title or word of those choices, nothing more). */
function plainYesNo(text: string, lang: Lang): boolean {
  const a = normalize(text);
  return /^[12]$/.test(a) || yesNoChoices(lang).some((c) => [c.title, ...(c.words ?? [])].some((w) => normalize(w) === a));
}

/** Stores one answer: a picked choice, else the person's own words (free text is accepted everywhere). */
function applyAnswer(intake: Intake, q: Question, text: string, lang: Lang, places: PlaceTonightDeps['places']): void {
  const said = [...text].slice(0, MAX_SAID).join('');
  const picked = pick(text, choicesFor(q, lang))?.value;
  switch (q) {
    case 'situation':
      if (picked) intake.situation = picked as Intake['situation'];
      else intake.said.situation = said;
      return;
    case 'tonight':
      // Only a clear "no" skips the questions for tonight.
      intake.tonight = picked !== 'no';
      return;
    case 'household':
      if (picked) intake.household = picked as Intake['household'];
      else intake.said.household = said;
      return;
    case 'children': {
      const n = childrenCount(text, numberWords(lang));
      if (n !== undefined) intake.children = n;
      intake.said.children = said;
      return;
    }
    case 'gender':
      if (picked) intake.gender = picked as Intake['gender'];
      else intake.said.gender = said;
      return;
    case 'age': {
      const group = ageAnswer(text, lang);
      if (group) intake.ageGroup = group;
      else intake.said.age = said;
      return;
    }
    case 'medical':
    case 'pets': {
      // Words other than yes/no describe the need or the animal ("diabetes", "a dog"): that is a yes.
      const key = q === 'medical' ? 'medical' : 'pets';
      intake[key] = picked !== 'no';
      if (!plainYesNo(text, lang)) intake.said[key] = said;
      return;
    }
    case 'medical_detail':
      intake.said.medical = said;
      return;
    case 'languages':
      // "yes, English" names them; a bare yes or no names none.
      if (!plainYesNo(text, lang)) intake.otherLanguages = said;
      return;
    case 'area': {
      if (plainYesNo(text, lang)) return;
      const place = places.placeIn(text);
      intake.area = { text: said, ...(place ? { place: place.name, commune: place.commune } : {}) };
      return;
    }
  }
}

/** An age-group choice (1-4), an age ("20", "j'ai 20 ans"), or a choice title. */
function ageAnswer(text: string, lang: Lang): Intake['ageGroup'] {
  const digits = text.trim().replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  const n = /^(\d{1,2})$/.exec(digits);
  if (n && Number(n[1]) > AGE_GROUPS.length) return ageGroupOf(Number(n[1]));
  const picked = pick(text, choicesFor('age', lang))?.value as Intake['ageGroup'];
  if (picked) return picked;
  const age = statedAge(text);
  return age !== undefined ? ageGroupOf(age) : undefined;
}

/** Small number words of the language ("deux" -> 2), from intake.number_words ("one=1, two=2"). */
function numberWords(lang: Lang): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of wordList(tFor(lang)('intake.number_words'))) {
    const [w, n] = pair.split('=').map((s) => s.trim());
    if (w && n && /^\d+$/.test(n)) out[w] = Number(n);
  }
  return out;
}
