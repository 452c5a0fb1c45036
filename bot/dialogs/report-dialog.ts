/**
 * "Report a person on the street" (what StreetLink does in the UK, for Brussels): where, when, what the person looks
 * like, how they seem, whether they asked for help, an optional contact, then consent. Triage runs after every
 * answer: a life at risk → "call 112 now" at once (unless the main dialog already said it on this turn), a child
 * alone → the child-protection message; then the questions go on, so the teams still get the report.
 *
 * The report is stored BEFORE the reference is given: a reference for a report that was never saved would send
 * nobody and leave the reporter believing help is on its way. If the store fails, the reporter is told plainly.
 * The reporter's contact is stored only with consent; refusing keeps the report about the person, without it.
 */
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { detectSafety, type SafetyAlert } from '../../conversation/safety.js';
import { tFor } from '../../conversation/i18n.js';
import type { Lang } from '../../conversation/languages.js';
import type { ReportsRepository } from '../../dispatch/reports.repository.js';
import {
  CONDITION_CHOICES, clip, conditionsFromAlert, isLifeAtRisk, locationFromActivity, mergeConditions, triage,
  type AskedForHelp, type Condition, type NewStreetReport, type Route, type SeenWhen, type SharedLocation,
} from '../../dispatch/street-report.js';
import { TEXT_PROMPT, TextPrompt, ask, langOf, normalize, pick, safetyShown, send, type Choice } from './kit.js';

export interface ReportDialogDeps {
  reports: Pick<ReportsRepository, 'create'>;
  places: { placeIn(text: string): { name: string; lat: number; lon: number; commune: string; isCommune: boolean } | undefined };
  /** Time of a sighting answered "now" (tests fix it). */
  clock?: () => Date;
  /** Told only that a store failed and why (error name/code), never what the reporter wrote. */
  logger?: { warn(obj: Record<string, unknown>, msg?: string): void };
}

/** What the dialog returns: the reference when the report was saved (null when the database failed). */
export interface ReportDialogResult {
  reference: string | null;
  route: Route;
}

/** Options to begin with: the message that started the report, so a life at risk in it is answered first. */
export interface ReportDialogOptions {
  text?: string;
}

/** What the dialog keeps between turns (in the dialog's state; gone when the dialog ends). */
interface Draft {
  where: NewStreetReport['where'];
  when: { kind: SeenWhen; text: string | null; at: string | null };
  description: string;
  conditions: Condition[];
  conditionText: string | null;
  askedForHelp: AskedForHelp;
  contact: string | null;
  alerts: SafetyAlert[];
  emergencyTold: boolean;
  minorTold: boolean;
}

const STEPS = 'report-steps';
const WHEN_CHOICES = ['now', 'earlier_today', 'last_night'] as const;
const MAX_CONTACT = 200;

function choices(lang: Lang, keys: readonly string[], wordKeys: Record<string, string> = {}): Choice[] {
  const t = tFor(lang);
  return keys.map((k) => ({
    value: k,
    title: t(`report.choice.${k}`),
    words: t(`report.words.${wordKeys[k] ?? k}`).split('|').filter(Boolean),
  }));
}

const helpChoices = (lang: Lang) => choices(lang, ['help_yes', 'help_no', 'dont_know'], { help_yes: 'yes', help_no: 'no' });
const consentChoices = (lang: Lang) => choices(lang, ['consent_yes', 'consent_no'], { consent_yes: 'yes', consent_no: 'no' });

/**
 * The choice whose longest matching word (or title) in the answer is longer than any other choice's: "I don't agree"
 * is "don't agree" (no), not "agree" (yes). Used when `pick` finds several.
 */
function longestMatch(answer: string, options: Choice[]): Choice | undefined {
  const padded = ` ${normalize(answer)} `;
  const scored = options.map((c) => ({
    c,
    len: Math.max(0, ...[c.title, ...(c.words ?? [])].map((w) => normalize(w)).filter((w) => w && padded.includes(` ${w} `)).map((w) => w.length)),
  }));
  const best = Math.max(...scored.map((s) => s.len));
  const top = scored.filter((s) => s.len === best);
  return best > 0 && top.length === 1 ? top[0]!.c : undefined;
}

function choose(answer: string, options: Choice[]): Choice | undefined {
  return pick(answer, options) ?? longestMatch(answer, options);
}

/** Several conditions at once: "1 3", "1, 3", or words ("asleep and bleeding"). */
function pickConditions(answer: string, options: Choice[]): Condition[] {
  const text = normalize(answer.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)));
  if (!text) return [];
  const numbers = /^\d{1,2}( \d{1,2})*$/.test(text) ? text.split(' ').map(Number) : [];
  if (numbers.length) return numbers.map((n) => options[n - 1]?.value).filter((v): v is Condition => !!v) as Condition[];
  const padded = ` ${text} `;
  return options
    .filter((c) => [c.title, ...(c.words ?? [])].some((w) => {
      const nw = normalize(w);
      return nw.length > 0 && padded.includes(` ${nw} `);
    }))
    .map((c) => c.value as Condition);
}

function answerText(step: WaterfallStepContext): string {
  return typeof step.result === 'string' ? step.result.trim() : '';
}

export class ReportDialog extends ComponentDialog {
  static readonly id = 'report';

  constructor(private readonly deps: ReportDialogDeps) {
    super(ReportDialog.id);
    // A shared location comes without text: accept it as an answer (the where step reads it from the activity).
    this.addDialog(new TextPrompt(TEXT_PROMPT, async (p) => p.recognized.succeeded || !!locationFromActivity(p.context.activity)));
    this.addDialog(new WaterfallDialog(STEPS, [
      this.askWhere.bind(this),
      this.askWhen.bind(this),
      this.askDescription.bind(this),
      this.askCondition.bind(this),
      this.askHelp.bind(this),
      this.askContact.bind(this),
      this.askConsent.bind(this),
      this.confirmConsent.bind(this),
      this.store.bind(this),
    ]));
    this.initialDialogId = STEPS;
  }

  private draft(step: WaterfallStepContext): Draft {
    return (step.values as { draft: Draft }).draft;
  }

  /** Runs the safety detector on a free-text answer and records what it shows. */
  private noteText(draft: Draft, text: string): void {
    if (!text) return;
    const alert = detectSafety(text);
    if (!alert) return;
    draft.alerts.push(alert);
    draft.conditions = mergeConditions(draft.conditions, conditionsFromAlert(alert));
  }

  /** Triage first: 112 the moment a life is at risk, the child-protection message the moment a child is alone. */
  private async triageNow(context: TurnContext, draft: Draft): Promise<void> {
    const t = tFor(langOf(context));
    if (!draft.emergencyTold && isLifeAtRisk(draft.conditions, draft.alerts)) {
      draft.emergencyTold = true;
      // The main dialog's emergency message already gave 112 on this turn: do not repeat it.
      if (!safetyShown(context)) await send(context, { text: t('report.call_112'), inputHint: 'ignoringInput' });
    }
    if (!draft.minorTold && draft.conditions.includes('minor_alone')) {
      draft.minorTold = true;
      if (safetyShown(context) !== 'child') await send(context, { text: t('report.minor'), inputHint: 'ignoringInput' });
    }
  }

  private async askWhere(step: WaterfallStepContext) {
    const draft: Draft = {
      where: { text: '', placeName: null, commune: null, lat: null, lon: null, source: null },
      when: { kind: 'other', text: null, at: null },
      description: '', conditions: [], conditionText: null, askedForHelp: 'unknown', contact: null, alerts: [],
      emergencyTold: false, minorTold: false,
    };
    (step.values as { draft: Draft }).draft = draft;
    const opening = (step.options as ReportDialogOptions | undefined)?.text;
    if (opening) {
      this.noteText(draft, opening);
      await this.triageNow(step.context, draft);
    }
    return ask(step, tFor(langOf(step.context))('report.intro_where'));
  }

  private async askWhen(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const text = clip(answerText(step), 500);
    const shared: SharedLocation | undefined = locationFromActivity(step.context.activity);
    const place = text ? this.deps.places.placeIn(text) : undefined;
    draft.where = {
      text,
      placeName: place?.name ?? null,
      commune: place?.commune ?? null,
      lat: shared?.lat ?? (place && !place.isCommune ? place.lat : null),
      lon: shared?.lon ?? (place && !place.isCommune ? place.lon : null),
      source: shared ? 'shared' : place && !place.isCommune ? 'place' : null,
    };
    this.noteText(draft, text);
    await this.triageNow(step.context, draft);
    const lang = langOf(step.context);
    return ask(step, { text: tFor(lang)('report.when'), choices: choices(lang, WHEN_CHOICES) });
  }

  private async askDescription(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const text = answerText(step);
    const lang = langOf(step.context);
    const picked = choose(text, choices(lang, WHEN_CHOICES));
    const kind = (picked?.value as SeenWhen | undefined) ?? 'other';
    // Keep the reporter's words unless they only picked a choice ("yesterday around 10 pm" says more than "last night").
    const onlyPicked = !!picked && (normalize(text) === normalize(picked.title) || /^\s*\d{1,2}\s*$/.test(text));
    draft.when = {
      kind,
      text: text && !onlyPicked ? clip(text, 200) : null,
      at: kind === 'now' ? (this.deps.clock ?? (() => new Date()))().toISOString() : null,
    };
    if (kind === 'other') this.noteText(draft, text);
    await this.triageNow(step.context, draft);
    return ask(step, tFor(lang)('report.describe'));
  }

  private async askCondition(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const text = answerText(step);
    draft.description = clip(text, 1000);
    this.noteText(draft, text);
    await this.triageNow(step.context, draft);
    const lang = langOf(step.context);
    return ask(step, { text: tFor(lang)('report.condition'), choices: choices(lang, CONDITION_CHOICES) });
  }

  private async askHelp(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const text = answerText(step);
    const lang = langOf(step.context);
    const options = choices(lang, CONDITION_CHOICES);
    const picked = pickConditions(text, options);
    draft.conditions = mergeConditions(draft.conditions, picked);
    // The reporter's own words are kept for the team ("lying on cardboard, bleeding"), unless they only picked.
    const onlyPicked = /^[\d\s,.;/+&-]*$/.test(text) || options.some((c) => normalize(c.title) === normalize(text));
    if (!onlyPicked) draft.conditionText = clip(text, 500);
    this.noteText(draft, text);
    await this.triageNow(step.context, draft);
    return ask(step, { text: tFor(lang)('report.asked_help'), choices: helpChoices(lang) });
  }

  private async askContact(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const text = answerText(step);
    const lang = langOf(step.context);
    const picked = choose(text, helpChoices(lang))?.value;
    draft.askedForHelp = picked === 'help_yes' ? 'yes' : picked === 'help_no' ? 'no' : 'unknown';
    this.noteText(draft, text);
    await this.triageNow(step.context, draft);
    return ask(step, { text: tFor(lang)('report.contact'), choices: choices(lang, ['no_thanks']) });
  }

  /** One short message (one SMS with its options even in the longest languages): each part is clipped. */
  private summary(lang: Lang, draft: Draft): string {
    const t = tFor(lang);
    const where = draft.where.text ? clip(draft.where.text, 30) : draft.where.source === 'shared' ? t('report.shared_location') : t('report.not_said');
    const when = draft.when.kind !== 'other' ? t(`report.choice.${draft.when.kind}`) : draft.when.text ? clip(draft.when.text, 20) : t('report.not_said');
    const shown = CONDITION_CHOICES.filter((c) => draft.conditions.includes(c)).map((c) => t(`report.choice.${c}`));
    const condition = clip(shown.length ? shown.join(', ') : draft.conditionText ?? t('report.not_said'), 45);
    const text = t('report.summary', { where, when, condition });
    return draft.contact ? `${text} ${t('report.consent_contact')}` : text;
  }

  private async askConsent(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const text = answerText(step);
    const lang = langOf(step.context);
    // An e-mail or a phone number is a contact even if it contains a "no" ("no.reply@...").
    const looksLikeContact = text.includes('@') || (text.match(/\d/g) ?? []).length >= 6;
    const skipped = !text || (!looksLikeContact && choose(text, choices(lang, ['no_thanks'])) !== undefined);
    draft.contact = skipped ? null : clip(text, MAX_CONTACT);
    return ask(step, { text: this.summary(lang, draft), choices: consentChoices(lang) });
  }

  /** Asks once more when the consent answer is not understood; the second time, no answer means no. */
  private async confirmConsent(step: WaterfallStepContext) {
    const lang = langOf(step.context);
    const picked = choose(answerText(step), consentChoices(lang));
    if (picked) return step.next({ consent: picked.value === 'consent_yes' });
    return ask(step, { text: this.summary(lang, this.draft(step)), choices: consentChoices(lang) });
  }

  private async store(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const context = step.context;
    const lang = langOf(context);
    const t = tFor(lang);
    const consent = typeof step.result === 'object' && step.result !== null
      ? (step.result as { consent: boolean }).consent
      : choose(answerText(step), consentChoices(lang))?.value === 'consent_yes';
    const decision = triage({ conditions: draft.conditions, askedForHelp: draft.askedForHelp, alerts: draft.alerts });
    const report: NewStreetReport = {
      lang,
      channel: context.activity.channelId || 'unknown',
      conversationId: context.activity.conversation?.id ?? null,
      where: draft.where,
      when: { kind: draft.when.kind, text: draft.when.text, at: draft.when.at ? new Date(draft.when.at) : null },
      description: draft.description,
      conditions: draft.conditions,
      conditionText: draft.conditionText,
      askedForHelp: draft.askedForHelp,
      consent,
      contact: consent ? draft.contact : null,
      route: decision.route,
      priority: decision.priority,
      emergencyTold: draft.emergencyTold,
    };
    // The contact leaves the dialog state now, whatever happens next.
    draft.contact = null;
    let reference: string;
    try {
      reference = (await this.deps.reports.create(report)).reference;
    } catch (err) {
      const e = err as { name?: string; code?: string };
      this.deps.logger?.warn({ err: e.name ?? 'Error', code: e.code, route: decision.route }, 'street report not saved');
      await send(context, { text: t('report.not_saved'), inputHint: 'acceptingInput' });
      return step.endDialog({ reference: null, route: decision.route } satisfies ReportDialogResult);
    }
    const routeKey = decision.route === 'child-protection' ? 'child_protection' : decision.route === 'street-work' ? 'street_work' : decision.route;
    const parts = [t('report.saved', { reference }), t(`report.route.${routeKey}`)];
    if (!consent) parts.push(t('report.consent_refused'));
    else if (report.contact) parts.push(t('report.contact_kept'));
    await send(context, { text: parts.join(' '), inputHint: 'acceptingInput', channelData: { reference, route: decision.route } });
    return step.endDialog({ reference, route: decision.route } satisfies ReportDialogResult);
  }
}
