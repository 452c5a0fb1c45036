/**
 * What every dialog shares: the turn's language, sending a Reply rendered for the channel, prompting with choices,
 * and recognising the picked choice. Dialogs never build activities themselves.
 *
 * The main dialog (main-dialog.ts) handles, before any step sees the message: safety alerts, language switches,
 * help, cancel, start over and "talk to a person". So a step receives only real answers.
 */
import type { TurnContext } from 'botbuilder';
import { TextPrompt, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Lang } from '../../conversation/languages.js';
import { renderReply, type Choice, type Reply } from '../render.js';

export type { Choice, Reply, CardView } from '../render.js';

/** Id of the TextPrompt every component dialog registers (`this.addDialog(new TextPrompt(TEXT_PROMPT))`). */
export const TEXT_PROMPT = 'text';
export { TextPrompt };

const LANG_KEY = Symbol('infoline.lang');
const PUBLIC_URL_KEY = Symbol('infoline.publicUrl');

/** Set by the bot at the start of each turn: the conversation's language after detection or a switch. */
export function setTurnLang(context: TurnContext, lang: Lang): void {
  context.turnState.set(LANG_KEY, lang);
}

/** The language to answer in on this turn. */
export function langOf(context: TurnContext): Lang {
  return (context.turnState.get(LANG_KEY) as Lang | undefined) ?? 'en';
}

export function setPublicUrl(context: TurnContext, url: string | undefined): void {
  if (url) context.turnState.set(PUBLIC_URL_KEY, url);
}

function activities(context: TurnContext, reply: Reply) {
  return renderReply(reply, {
    lang: langOf(context), channelId: context.activity.channelId, publicUrl: context.turnState.get(PUBLIC_URL_KEY) as string | undefined,
  });
}

/** Sends a reply (one or more activities, as the channel needs). */
export async function send(context: TurnContext, reply: Reply | string): Promise<void> {
  const r = typeof reply === 'string' ? { text: reply } : reply;
  await context.sendActivities(activities(context, r));
}

/**
 * Asks a question in a waterfall step and waits for the answer (the next step gets it as `step.result`, a string).
 * With choices, the channel shows them as buttons or numbered lines; recognise the answer with `pick`.
 */
export async function ask(step: WaterfallStepContext, reply: Reply | string): Promise<DialogTurnResult> {
  const r = typeof reply === 'string' ? { text: reply } : reply;
  const acts = activities(step.context, { ...r, inputHint: 'expectingInput' });
  const last = acts.pop()!;
  if (acts.length) await step.context.sendActivities(acts);
  return step.prompt(TEXT_PROMPT, { prompt: last });
}

/** Lower case, no accents, no punctuation: how answers are compared. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Western digits for Arabic-Indic and Persian ones ("٢" -> "2"). */
function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/**
 * The choice an answer picks: its number ("2", "٢"), its title, or one of its words, in the answer
 * (whole words, accents and case ignored). Undefined when nothing or more than one choice matches.
 */
export function pick(answer: string, choices: Choice[]): Choice | undefined {
  const text = normalize(westernDigits(answer));
  if (!text) return undefined;
  const n = /^(\d{1,2})$/.exec(text);
  if (n) return choices[Number(n[1]) - 1];
  const exact = choices.filter((c) => normalize(c.title) === text || (c.words ?? []).some((w) => normalize(w) === text));
  if (exact.length === 1) return exact[0];
  const padded = ` ${text} `;
  const contains = choices.filter((c) => [c.title, ...(c.words ?? [])].some((w) => {
    const nw = normalize(w);
    return nw.length > 0 && padded.includes(` ${nw} `);
  }));
  return contains.length === 1 ? contains[0] : undefined;
}

const SAFETY_KEY = Symbol('infoline.safetyShown');

/** The main dialog marks the turn when it has already sent an emergency message (so a dialog does not repeat it). */
export function markSafetyShown(context: TurnContext, kind: string): void {
  context.turnState.set(SAFETY_KEY, kind);
}

/** The kind of safety alert already answered on this turn (suicide, violence, medical, cold, child), if any. */
export function safetyShown(context: TurnContext): string | undefined {
  return context.turnState.get(SAFETY_KEY) as string | undefined;
}
