/**
 * When the person switches language in the middle of a task, the question waiting for an answer was rendered in the
 * old language and is stored so in the prompt's dialog state. Rather than re-running the step (which would redo what
 * it did with the previous answer), its text is translated back: each line that is exactly a locale string of the old
 * language becomes the same string of the new one (also "1. <choice>" lines and suggested actions). Lines built with
 * the person's own words (a summary) stay as they are.
 */
import type { Activity } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { getI18n } from '../../conversation/i18n.js';
import type { Lang } from '../../conversation/languages.js';
import { ssml } from '../render.js';

const reverse = new Map<Lang, Map<string, string>>();

/** Old-language text → key, for strings without placeholders. */
function keysOf(lang: Lang): Map<string, string> {
  let m = reverse.get(lang);
  if (m) return m;
  m = new Map();
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'string') {
      if (!node.includes('{{') && !m!.has(node)) m!.set(node, prefix);
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    }
  };
  walk(getI18n().getResourceBundle(lang, 'translation'), '');
  reverse.set(lang, m);
  return m;
}

function line(text: string, from: Lang, to: Lang): string {
  const t = getI18n().getFixedT(to);
  const key = keysOf(from).get(text.trim());
  if (key) return t(key);
  const numbered = /^(\d+\.\s+)(.*)$/.exec(text);
  if (numbered) {
    const k = keysOf(from).get(numbered[2]!.trim());
    if (k) return `${numbered[1]}${t(k)}`;
  }
  return text;
}

/** The text with every known line in the new language. */
export function retranslate(text: string, from: Lang, to: Lang): string {
  return text.split('\n').map((l) => line(l, from, to)).join('\n');
}

/** Rewrites the waiting prompt of the innermost active dialog, so a reprompt asks it in the new language. */
export function retranslateActivePrompt(dc: DialogContext, from: Lang, to: Lang): void {
  let inner: DialogContext = dc;
  while (inner.child) inner = inner.child;
  const options = (inner.activeDialog?.state as { options?: { prompt?: Partial<Activity> } } | undefined)?.options;
  const prompt = options?.prompt;
  if (!prompt || typeof prompt !== 'object' || from === to) return;
  if (prompt.text) {
    prompt.text = retranslate(prompt.text, from, to);
    prompt.speak = ssml(prompt.text, to);
  }
  prompt.locale = to;
  for (const a of prompt.suggestedActions?.actions ?? []) {
    a.title = line(a.title, from, to);
    if (typeof a.value === 'string') a.value = line(a.value, from, to);
  }
}
