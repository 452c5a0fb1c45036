/**
 * The bot as a thin channel adapter: a Bot Framework activity becomes a question for the conversation brain
 * (AskService) and the answer becomes a reply with `speak` and `inputHint` so a voice channel can read it.
 * Understanding, languages and sources live in conversation/; nothing here decides what to answer.
 */
import { ActivityHandler, ActivityTypes, type TurnContext } from 'botbuilder';
import type { AskService } from '../conversation/ask-service.js';
import { tFor } from '../conversation/i18n.js';
import { isLang, type Lang } from '../conversation/languages.js';

export interface InfolineBotDeps {
  ask: Pick<AskService, 'ask'>;
  /** Longest message accepted; longer ones get a polite refusal, not an error. */
  maxChars: number;
}

/** Escapes text for the SSML `speak` field. */
export function ssml(text: string, lang: Lang): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${lang}">${escaped}</speak>`;
}

export class InfolineBot extends ActivityHandler {
  constructor(private readonly deps: InfolineBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const lang = localeLang(context);
      const t = tFor(lang);
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id === context.activity.recipient.id) continue;
        await context.sendActivity({ type: ActivityTypes.Message, text: t('bot.welcome'), speak: ssml(t('bot.welcome'), lang), inputHint: 'expectingInput' });
      }
      await next();
    });
  }

  private async answer(context: TurnContext): Promise<void> {
    const text = (context.activity.text ?? '').trim();
    const prior = localeLang(context, undefined);
    if (!text) {
      const t = tFor(prior ?? 'en');
      await context.sendActivity({ type: ActivityTypes.Message, text: t('bot.empty'), speak: ssml(t('bot.empty'), prior ?? 'en'), inputHint: 'expectingInput' });
      return;
    }
    if (text.length > this.deps.maxChars) {
      const t = tFor(prior ?? 'en');
      const msg = t('errors.text_too_long', { max: this.deps.maxChars });
      await context.sendActivity({ type: ActivityTypes.Message, text: msg, speak: ssml(msg, prior ?? 'en'), inputHint: 'expectingInput' });
      return;
    }
    await context.sendActivity({ type: ActivityTypes.Typing });
    const r = await this.deps.ask.ask({ text, conversationId: conversationKey(context), channel: `bot:${context.activity.channelId}` });
    await context.sendActivity({
      type: ActivityTypes.Message,
      text: r.answer,
      speak: ssml(r.answer, r.lang),
      inputHint: 'expectingInput',
      locale: r.lang,
      channelData: { sources: r.sources.map((s) => ({ kind: s.kind, document: s.document, title: s.title, locator: s.locator })), services: r.services.map((s) => s.id), escalate: r.escalate, safety: r.safety },
    });
  }
}

/** The language the channel says the person uses (activity.locale), if it is one of ours. */
function localeLang(context: TurnContext): Lang;
function localeLang(context: TurnContext, fallback: undefined): Lang | undefined;
function localeLang(context: TurnContext, ...rest: [] | [undefined]): Lang | undefined {
  const fallback = rest.length ? undefined : 'en';
  const code = context.activity.locale?.slice(0, 2).toLowerCase();
  return isLang(code) ? code : fallback;
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
