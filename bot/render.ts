/**
 * Rendering per channel. Dialogs say *what* to send (a Reply: text, choices, cards); this module decides *how*:
 * - chat channels get hero cards with the category pictograms and suggested actions (when the channel supports them);
 * - SMS-like channels get plain text in messages of at most 300 characters, choices as "1 ... 2 ..." to reply with;
 * - every message carries `speak` (SSML) and `inputHint` so a voice channel can read it.
 */
import { ActionTypes, ActivityTypes, CardFactory, type Activity, type Attachment, type CardAction } from 'botbuilder';
import { supportsSuggestedActions } from 'botbuilder-dialogs';
import type { Lang } from '../conversation/languages.js';
import { tFor } from '../conversation/i18n.js';

/** One choice the person can pick: by tapping it, typing its number, its title or one of its words. */
export interface Choice {
  value: string;
  title: string;
  /** Other words that pick it (synonyms, in the person's language). */
  words?: string[];
}

/** A card: a service, a knowledge card, a category. */
export interface CardView {
  title: string;
  subtitle?: string;
  text?: string;
  /** Path of a pictogram (/pictograms/<category>.svg); made absolute with the public base URL when one is set. */
  pictogram?: string;
}

export interface Reply {
  text: string;
  choices?: Choice[];
  cards?: CardView[];
  inputHint?: 'expectingInput' | 'acceptingInput' | 'ignoringInput';
  /** The text already names what the cards show: plain-text channels leave the cards out. */
  cardsInText?: boolean;
  /** Extra data for the channel (sources, services, references): never shown, kept small. */
  channelData?: Record<string, unknown>;
}

/** Longest SMS-like message (issue 4: under 300 characters; a concatenated SMS is 306 GSM characters). */
export const SMS_MAX = 299;

/** Channels that show only plain text: SMS (Twilio through Azure or direct) and phone. */
const PLAIN_TEXT_CHANNELS = new Set(['sms', 'twilio-sms', 'telephony', 'voice']);

export function isPlainTextChannel(channelId: string | undefined): boolean {
  return PLAIN_TEXT_CHANNELS.has((channelId ?? '').toLowerCase());
}

/** Escapes text for the SSML `speak` field. */
export function ssml(text: string, lang: Lang): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${lang}">${escaped}</speak>`;
}

export interface RenderOptions {
  lang: Lang;
  channelId: string;
  /** Public base URL of the app (PUBLIC_URL), to make pictogram paths absolute for cloud channels. */
  publicUrl?: string;
}

/** The activities for one reply (several only for SMS-like channels, where long text is split). */
export function renderReply(reply: Reply, opts: RenderOptions): Partial<Activity>[] {
  const { lang, channelId } = opts;
  const inputHint = reply.inputHint ?? 'expectingInput';
  const base = { type: ActivityTypes.Message, locale: lang, inputHint } as const;
  if (isPlainTextChannel(channelId)) {
    const t = tFor(lang);
    const cardsText = (reply.cardsInText ? [] : reply.cards ?? []).map((c) => [c.title, c.subtitle].filter(Boolean).join(': ')).join('\n');
    const choicesText = reply.choices?.length
      ? t('render.reply_with', { choices: reply.choices.map((c, i) => `${i + 1} ${c.title}`).join(', ') })
      : '';
    const whole = [reply.text, cardsText, choicesText].filter(Boolean).join('\n');
    const parts = splitMessage(whole, SMS_MAX);
    return parts.map((text, i) => ({
      ...base, text, speak: ssml(text, lang),
      inputHint: i === parts.length - 1 ? inputHint : 'ignoringInput',
      ...(i === parts.length - 1 && reply.channelData ? { channelData: reply.channelData } : {}),
    }));
  }
  const activity: Partial<Activity> = { ...base, text: reply.text, speak: ssml(speakable(reply), lang) };
  if (reply.cards?.length) {
    activity.attachments = reply.cards.map((c) => heroCard(c, opts.publicUrl));
    activity.attachmentLayout = reply.cards.length > 1 ? 'carousel' : 'list';
  }
  if (reply.choices?.length) {
    const actions: CardAction[] = reply.choices.map((c) => ({ type: ActionTypes.ImBack, title: c.title, value: c.title }));
    if (supportsSuggestedActions(channelId, actions.length)) {
      activity.suggestedActions = { actions, to: [] };
    } else {
      // No suggested actions (e.g. Teams): the choices as numbered lines, answered by number or title.
      activity.text = `${reply.text}\n\n${reply.choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}`;
    }
  }
  if (reply.channelData) activity.channelData = reply.channelData;
  return [activity];
}

/** What a voice channel reads: the text, then the cards' titles, then the choices. */
function speakable(reply: Reply): string {
  const extra = [...(reply.cards ?? []).map((c) => c.title), ...(reply.choices ?? []).map((c) => c.title)];
  return extra.length ? `${reply.text} ${extra.join('. ')}.` : reply.text;
}

function heroCard(c: CardView, publicUrl?: string): Attachment {
  const image = c.pictogram ? [{ url: publicUrl ? new URL(c.pictogram, publicUrl).href : c.pictogram, alt: c.title }] : [];
  return CardFactory.heroCard(c.title, c.text ?? '', image, [], { subtitle: c.subtitle });
}

/** Splits text into pieces of at most `max` characters, at paragraph, line, sentence or word boundaries. */
export function splitMessage(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join('');
    const cut = Math.max(head.lastIndexOf('\n'), head.lastIndexOf('. ') + 1, head.lastIndexOf('؟ ') + 1);
    const at = cut > max / 3 ? cut : head.lastIndexOf(' ') > max / 3 ? head.lastIndexOf(' ') : head.length;
    out.push(head.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(rest);
  return out;
}
