/**
 * The main dialog: what happens to every message before and around the task dialogs.
 * Order at each turn: language (a switch, or detection with the conversation's language as prior) → safety
 * (emergency numbers and a priority hand-off, at every turn whatever is going on) → commands (cancel, start over,
 * help, talk to a person) → the running task dialog (report, place tonight, complaint) → otherwise the idle
 * conversation: a picked menu choice, a task to start, small talk, out of scope, hidden instructions, or a question
 * for the brain (with the previous question as context for follow-ups).
 */
import type { TurnContext, StatePropertyAccessor } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { AskContext, AskResponse, AskService } from '../../conversation/ask-service.js';
import { detectLanguage } from '../../conversation/detect-language.js';
import { tFor } from '../../conversation/i18n.js';
import { recognize, languageNamed, yesNo, type Recognized, type Task } from '../../conversation/intents.js';
import { SUPPORTED_LANGS, isLang, type Lang } from '../../conversation/languages.js';
import { detectSafety, safetyReply, type SafetyAlert } from '../../conversation/safety.js';
import type { HandoffInput, HandoffRepository } from '../../dispatch/handoff.repository.js';
import { locationFromActivity } from '../../dispatch/street-report.js';
import type { Logger } from '../../logger.js';
import { retranslateActivePrompt } from './retranslate.js';
import { markSafetyShown, normalize, pick, send, setTurnLang, type CardView, type Choice, type Reply } from './kit.js';

/** What the conversation remembers between turns (in conversation state, PostgreSQL). */
export interface ConversationData {
  lang?: Lang;
  /** The choices of the last reply, so "2" or a tapped title picks one. */
  choices?: Choice[];
  /** The previous question, for follow-ups ("and for women?"). */
  context?: AskContext;
  /** Hand-off request already made in this conversation (not made twice). */
  handoff?: string;
  /** The request is urgent (a life at risk was said): later alerts do not repeat the hand-off line. */
  urgent?: boolean;
  /** Waiting for yes/no: may the last question go to the operator with the request? */
  shareAsked?: boolean;
  /** Waiting for yes/no: delete what this conversation stored? */
  forgetAsked?: boolean;
}

/** The dialog ids of the tasks, as registered by their ComponentDialogs. */
export const TASK_DIALOGS: Readonly<Record<Task, string>> = { report: 'report', place_tonight: 'placeTonight', complaint: 'complaint' };

export interface MainDialogDeps {
  ask: Pick<AskService, 'ask'>;
  handoffs: Pick<HandoffRepository, 'create' | 'escalate' | 'shareDetails'>;
  /** The task dialogs (ReportDialog, PlaceTonightDialog, ComplaintDialog). */
  tasks: Dialog[];
  logger: Logger;
  maxChars: number;
  /** Deletes what the line stored about a conversation (dispatch/erase.ts). */
  erase: (conversationId: string) => Promise<unknown>;
}

const ERASE_KEY = Symbol('infoline.erase');

/** Set when the person confirmed "delete my data": the bot deletes the conversation state instead of saving it. */
export function eraseRequested(context: TurnContext): boolean {
  return context.turnState.get(ERASE_KEY) === true;
}

export class MainDialog {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly deps: MainDialogDeps,
    private readonly data: StatePropertyAccessor<ConversationData>,
    dialogState: StatePropertyAccessor<DialogState>,
  ) {
    this.dialogs = new DialogSet(dialogState);
    for (const d of deps.tasks) this.dialogs.add(d);
  }

  /** The first message of a conversation: welcome and the language choice. */
  async welcome(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, {});
    const lang = data.lang ?? localeLang(context) ?? 'fr';
    setTurnLang(context, lang);
    const t = tFor(lang);
    await this.reply(context, data, { text: `${t('bot.welcome')}\n${t('bot.choose_language')}`, choices: languageChoices() });
  }

  async onMessage(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, {});
    const dc = await this.dialogs.createContext(context);
    const active = !!dc.activeDialog;
    const text = (context.activity.text ?? '').trim();
    const prior = data.lang ?? localeLang(context);

    if (!text && !locationFromActivity(context.activity)) {
      setTurnLang(context, prior ?? 'fr');
      if (active) return void (await dc.repromptDialog());
      return this.reply(context, data, tFor(prior ?? 'fr')('bot.empty'));
    }
    if (text.length > this.deps.maxChars) {
      setTurnLang(context, prior ?? 'fr');
      return this.reply(context, data, tFor(prior ?? 'fr')('errors.text_too_long', { max: this.deps.maxChars }));
    }

    // A tapped or typed choice of the last reply ("2", "Français", "Talk to a person").
    // A menu title also counts when it is not on the last reply (an older button tapped, or the title typed).
    const picked = text ? pick(text, data.choices ?? []) ?? menuTitle(text) : undefined;
    const rec: Recognized = text ? recognize(text, prior ?? 'fr') : {};
    // Inside a task, a language named in an answer ("arabe" to "what language does he speak?") is an answer; only
    // the language's own name ("العربية", as on the language buttons) or "change language" switches.
    const named = rec.command === 'language' ? rec.lang ?? (text ? languageNamed(text) : undefined) : undefined;
    const switchTo = picked?.value.startsWith('lang:') ? (picked.value.slice(5) as Lang)
      : named && (!active || isOwnName(text, named)) ? named : undefined;
    if (switchTo && isLang(switchTo)) return this.switchLanguage(context, dc, data, switchTo);
    if (rec.command === 'language' && (!active || !named)) {
      setTurnLang(context, prior ?? 'fr');
      return this.reply(context, data, { text: tFor(prior ?? 'fr')('bot.choose_language'), choices: languageChoices() });
    }

    const lang = this.languageOf(text, prior, active);
    data.lang = lang;
    setTurnLang(context, lang);
    const t = tFor(lang);

    // Safety first, at every turn. Outside a task the brain's answer starts with the emergency message itself.
    const alert = text ? detectSafety(text, lang) : undefined;
    let handoffLine: string | undefined;
    if (alert) {
      markSafetyShown(context, alert.kind);
      handoffLine = await this.safetyHandoff(context, data, alert, lang);
    }
    const task = rec.task ?? taskOf(picked);
    if (alert && (active || task || !isQuestion(rec))) {
      await send(context, [safetyReply(alert, lang).text, handoffLine].filter(Boolean).join('\n'));
      handoffLine = undefined;
    }

    const command = rec.command ?? commandOf(picked);
    if (command === 'cancel') {
      data.context = undefined;
      if (!active) return this.reply(context, data, { text: t('bot.nothing_to_cancel'), choices: menuChoices(lang) });
      await dc.cancelAllDialogs();
      return this.reply(context, data, { text: t('bot.cancelled'), choices: menuChoices(lang) });
    }
    if (command === 'restart') {
      await dc.cancelAllDialogs();
      data.context = undefined;
      return this.reply(context, data, { text: `${t('bot.restarted')}\n${t('bot.menu_intro')}`, choices: menuChoices(lang) });
    }
    if (command === 'help') {
      if (active) {
        await send(context, t('bot.help_in_dialog'));
        return void (await dc.repromptDialog());
      }
      return this.reply(context, data, { text: t('bot.help'), choices: menuChoices(lang) });
    }
    if (command === 'person') {
      const already = !!data.handoff;
      const line = await this.personHandoff(context, data, lang, active ? dc.activeDialog?.id : undefined);
      if (active) {
        await send(context, `${line}\n${t('bot.person_continue')}`);
        return void (await dc.repromptDialog());
      }
      // So the person does not have to tell it twice: offer to pass their last question along (consent first).
      if (!already && data.handoff && data.context?.question) {
        data.shareAsked = true;
        return this.reply(context, data, { text: `${line}\n${t('bot.share_ask')}`, choices: yesNoChoices(lang) });
      }
      return this.reply(context, data, line);
    }
    if (command === 'forget') {
      data.forgetAsked = true;
      return this.reply(context, data, { text: t('bot.forget_ask'), choices: yesNoChoices(lang, 'bot.forget_yes', 'bot.forget_no') });
    }
    if (data.forgetAsked) {
      data.forgetAsked = undefined;
      const answer = yesOrNo(picked, text);
      if (answer === 'yes') {
        await this.deps.erase(conversationKey(context));
        await dc.cancelAllDialogs();
        context.turnState.set(ERASE_KEY, true);
        this.deps.logger.info({ stage: 'erase' }, 'conversation data erased on request');
        return void (await send(context, t('bot.forgotten')));
      }
      if (answer === 'no') return this.reply(context, data, { text: t('bot.forget_kept'), choices: menuChoices(lang) });
    }
    if (data.shareAsked) {
      data.shareAsked = undefined;
      const answer = yesOrNo(picked, text);
      if (answer) {
        let shared = false;
        if (answer === 'yes' && data.handoff && data.context?.question) {
          shared = await this.deps.handoffs.shareDetails(data.handoff, data.context.question).catch((err: Error) => {
            this.deps.logger.error({ stage: 'handoff', err: { message: err.message } }, 'sharing details failed');
            return false;
          });
        }
        return this.reply(context, data, t(shared ? 'bot.share_done' : 'bot.share_not'));
      }
    }

    if (active) {
      data.choices = undefined;
      const r = await dc.continueDialog();
      if (r.status === DialogTurnStatus.complete) {
        this.afterTask(data, r.result);
        await this.reply(context, data, { text: t('bot.anything_else'), choices: menuChoices(lang) });
      }
      return;
    }
    if (task && this.dialogs.find(TASK_DIALOGS[task])) {
      data.choices = undefined;
      data.context = undefined;
      // The opening message goes along: a life at risk in it gets 112 before the first question.
      const options = task === 'report' ? { text } : task === 'place_tonight' ? { extremeCold: alert?.kind === 'cold', safetyKind: alert?.kind } : undefined;
      const r = await dc.beginDialog(TASK_DIALOGS[task], options);
      if (r.status === DialogTurnStatus.complete) this.afterTask(data, r.result);
      return;
    }
    if (!alert) {
      // Hidden instructions are refused, never obeyed; a practical question in the same message is still answered
      // (the brain retrieves from the knowledge base and directory: there is nothing in it to instruct).
      if (rec.injection && !rec.task) {
        const a = await this.askBrain(context, text, lang);
        if (!a.card && !a.services.length) return this.reply(context, data, { text: t('bot.injection'), choices: menuChoices(lang) });
        data.context = a.context;
        const r = answerReply(a, lang);
        return this.reply(context, data, { ...r, text: `${t('bot.injection')}\n\n${r.text}` });
      }
      if (rec.smallTalk) return this.reply(context, data, { text: t(`bot.smalltalk.${rec.smallTalk}`), choices: menuChoices(lang) });
      if (rec.outOfScope) return this.reply(context, data, { text: t('bot.out_of_scope'), choices: menuChoices(lang) });
    }
    if (!text) return this.reply(context, data, t('bot.empty'));
    const question = picked?.value === 'q:open_now' ? picked.title : text;
    const answer = await this.askBrain(context, question, lang, data.context);
    data.context = answer.context;
    await this.reply(context, data, answerReply(answer, lang, handoffLine));
  }

  private askBrain(context: TurnContext, text: string, lang: Lang, previous?: AskContext): Promise<AskResponse> {
    return this.deps.ask.ask({ text, lang, conversationId: conversationKey(context), channel: `bot:${context.activity.channelId}`, context: previous });
  }

  /** Detection with the conversation's language as prior; short answers inside a task keep the language. */
  private languageOf(text: string, prior: Lang | undefined, active: boolean): Lang {
    if (!text) return prior ?? 'fr';
    // Inside a task, answers are short and often names ("Anderlecht", "Ahmed"): the language changes only on request.
    if (active && prior) return prior;
    const d = detectLanguage(text, { prior });
    if (!prior) return d.lang;
    return d.reliable ? d.lang : prior;
  }

  /** A hand-off a task made (place tonight) counts as the conversation's: "person" afterwards does not make another. */
  private afterTask(data: ConversationData, result: unknown): void {
    const ref = (result as { reference?: unknown } | undefined)?.reference;
    if (typeof ref === 'string' && ref.startsWith('H-')) data.handoff = ref;
  }

  private async switchLanguage(context: TurnContext, dc: DialogContext, data: ConversationData, lang: Lang): Promise<void> {
    const from = data.lang ?? localeLang(context) ?? 'fr';
    data.lang = lang;
    setTurnLang(context, lang);
    const t = tFor(lang);
    if (dc.activeDialog) {
      await send(context, t('bot.language_set'));
      data.choices = undefined;
      retranslateActivePrompt(dc, from, lang);
      await dc.repromptDialog();
      return;
    }
    await this.reply(context, data, { text: `${t('bot.language_set')}\n${t('bot.menu_intro')}`, choices: menuChoices(lang) });
  }

  /** A priority hand-off for a safety alert (once per conversation): the line that tells the person. */
  private async safetyHandoff(context: TurnContext, data: ConversationData, alert: SafetyAlert, lang: Lang): Promise<string | undefined> {
    if (data.urgent) return undefined;
    if (data.handoff) {
      // Already in the queue (asked for a person, a place tonight): the request becomes urgent, not a second one.
      const raised = await this.deps.handoffs.escalate(data.handoff, alert.kind).catch((err: Error) => {
        this.deps.logger.error({ stage: 'handoff', reason: 'safety', err: { message: err.message } }, 'hand-off escalation failed');
        return false;
      });
      if (raised) {
        data.urgent = true;
        return tFor(lang)('bot.safety_handoff', { reference: data.handoff });
      }
    }
    const made = await this.createHandoff(context, {
      lang, reason: 'safety', priority: 'urgent', consent: false, context: { safetyKind: alert.kind },
    });
    if (!made) return undefined;
    data.handoff = made;
    data.urgent = true;
    return tFor(lang)('bot.safety_handoff', { reference: made });
  }

  private async personHandoff(context: TurnContext, data: ConversationData, lang: Lang, topic: string | undefined): Promise<string> {
    const t = tFor(lang);
    if (data.handoff) return t('bot.person_already', { reference: data.handoff });
    const made = await this.createHandoff(context, { lang, reason: 'person', priority: 'normal', consent: false, context: { topic: topic ?? 'question' } });
    if (!made) return t('bot.person_failed');
    data.handoff = made;
    return t('bot.person_requested', { reference: made });
  }

  /** Creates a hand-off request; a failing database is logged and reported to the person, not thrown. */
  private async createHandoff(context: TurnContext, input: Omit<HandoffInput, 'conversationId' | 'channel'>): Promise<string | undefined> {
    try {
      const r = await this.deps.handoffs.create({ ...input, conversationId: conversationKey(context), channel: `bot:${context.activity.channelId}` });
      this.deps.logger.info({ stage: 'handoff', reason: input.reason, priority: input.priority, reference: r.reference }, 'hand-off requested');
      return r.reference;
    } catch (err) {
      this.deps.logger.error({ stage: 'handoff', reason: input.reason, err: { message: (err as Error).message } }, 'hand-off request failed');
      return undefined;
    }
  }

  /** Sends a reply and remembers its choices for the next turn. */
  private async reply(context: TurnContext, data: ConversationData, reply: Reply | string): Promise<void> {
    const r = typeof reply === 'string' ? { text: reply } : reply;
    data.choices = r.choices?.map(({ value, title, words }) => ({ value, title, ...(words ? { words } : {}) }));
    await send(context, r);
  }
}

/** The text is the language's name in that language (as on the language buttons). */
function isOwnName(text: string, lang: Lang): boolean {
  return normalize(text) === normalize(tFor(lang)('language.name'));
}

/** True when nothing but the question itself is recognised (the brain answers and includes the emergency text). */
function isQuestion(rec: Recognized): boolean {
  return !rec.command && !rec.task && !rec.smallTalk;
}

function taskOf(c: Choice | undefined): Task | undefined {
  const v = c?.value;
  return v === 'task:report' ? 'report' : v === 'task:place_tonight' ? 'place_tonight' : v === 'task:complaint' ? 'complaint' : undefined;
}

function commandOf(c: Choice | undefined): Recognized['command'] {
  return c?.value === 'cmd:person' ? 'person' : c?.value === 'cmd:help' ? 'help' : undefined;
}

/** The 12 languages, each named in itself. */
export function languageChoices(): Choice[] {
  return SUPPORTED_LANGS.map((l) => ({ value: `lang:${l}`, title: tFor(l)('language.name'), words: [l] }));
}

/** The answer to a yes/no question: a tapped or numbered choice, else yes/no words in any language. */
function yesOrNo(picked: Choice | undefined, text: string): 'yes' | 'no' | undefined {
  return picked?.value === 'yes' || picked?.value === 'no' ? picked.value : yesNo(text);
}

/** Yes and no as choices ("yes"/"no" typed in any language are understood too). */
export function yesNoChoices(lang: Lang, yesKey = 'bot.share_yes', noKey = 'bot.share_no'): Choice[] {
  const t = tFor(lang);
  return [{ value: 'yes', title: t(yesKey) }, { value: 'no', title: t(noKey) }];
}

let allMenus: Choice[] | undefined;

/** The menu choice whose title, in any of the 12 languages, is exactly the text. */
function menuTitle(text: string): Choice | undefined {
  allMenus ??= SUPPORTED_LANGS.flatMap((l) => menuChoices(l));
  const n = normalize(text);
  return allMenus.find((c) => normalize(c.title) === n);
}

/** What the person can do besides asking a question. */
export function menuChoices(lang: Lang): Choice[] {
  const t = tFor(lang);
  return [
    { value: 'task:place_tonight', title: t('bot.menu.place_tonight') },
    { value: 'task:report', title: t('bot.menu.report') },
    { value: 'task:complaint', title: t('bot.menu.complaint') },
    { value: 'cmd:person', title: t('bot.menu.person') },
  ];
}

/** A brain answer as a reply: the text, the card and services as cards with pictograms, follow-up choices. */
export function answerReply(a: AskResponse, lang: Lang, extraLine?: string): Reply {
  const t = tFor(lang);
  const cards: CardView[] = [
    ...(a.card ? [{ title: a.card.title, pictogram: a.card.pictogram }] : []),
    ...a.services.map((s) => ({
      title: s.name,
      subtitle: [s.address ?? s.commune, s.openNow === 'open' ? t('bot.open_now') : undefined].filter(Boolean).join(' · ') || undefined,
      pictogram: s.pictogram,
    })),
  ];
  const choices: Choice[] = [];
  if (a.services.length) choices.push({ value: 'q:open_now', title: t('bot.followups.open_now') });
  choices.push({ value: 'cmd:person', title: t('bot.menu.person') });
  return {
    text: extraLine ? `${a.answer}\n\n${extraLine}` : a.answer,
    cards,
    cardsInText: true,
    choices,
    channelData: {
      sources: a.sources.map((s) => ({ kind: s.kind, document: s.document, title: s.title, locator: s.locator })),
      services: a.services.map((s) => s.id), card: a.card?.id, escalate: a.escalate, safety: a.safety,
    },
  };
}

/** The language the channel says the person uses (activity.locale), if it is one of ours. */
export function localeLang(context: TurnContext): Lang | undefined {
  const code = context.activity.locale?.slice(0, 2).toLowerCase();
  return isLang(code) ? code : undefined;
}

/** A conversation id the brain accepts (letters, digits, - and _), stable per channel conversation. */
export function conversationKey(context: TurnContext): string {
  const raw = `${context.activity.channelId}-${context.activity.conversation.id}`;
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  return safe.length <= 128 ? safe : `${safe.slice(0, 100)}_${hash(raw)}`;
}

function hash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
