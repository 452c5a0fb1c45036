/**
 * Safety interrupts through the real app, in all 12 languages: /api/ask and the Bot Framework endpoint answer a life
 * at risk with the emergency numbers in the person's language, flag a priority hand-off, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const safety = (lang: Lang) => (JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as { safety: Record<string, string> }).safety;

/** A suicidal message and a medical emergency, as people write them, per language. */
const MESSAGES: Record<Lang, [string, string]> = {
  nl: ['ik wil niet meer leven', 'hij ademt niet meer'], fr: ['je veux mourir', 'il ne respire plus'],
  en: ['i want to kill myself', 'he is not breathing'], ar: ['أريد أن أنتحر', 'لا يتنفس'],
  es: ['me quiero morir', 'no respira'], pt: ['quero morrer', 'ele não respira'], ro: ['vreau să mor', 'nu mai respiră'],
  pl: ['chcę się zabić', 'on nie oddycha'], bg: ['искам да умра', 'не диша'], tr: ['ölmek istiyorum', 'nefes almıyor'],
  ru: ['хочу покончить с собой', 'он не дышит'], uk: ['хочу померти', 'він не дихає'],
};

interface AskBody { lang: Lang; intent: string; answer: string; escalate: boolean; services: unknown[]; safety?: { kind: string; priority: string; numbers: string[] } }

describe('safety interrupts end to end', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(async () => app?.stop());

  const ask = async (text: string, lang: Lang): Promise<AskBody> => {
    const res = await fetch(`${app.base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, lang }) });
    expect(res.status).toBe(200);
    return (await res.json()) as AskBody;
  };

  it.each(SUPPORTED_LANGS.map((l) => [l] as const))('should give the suicide and medical emergency replies in %s', async (lang) => {
    const [suicidal, medical] = MESSAGES[lang];
    const s = await ask(suicidal, lang);
    expect(s).toMatchObject({ lang, intent: 'safety', escalate: true, safety: { kind: 'suicide', priority: 'life' } });
    expect(s.answer.startsWith(safety(lang).suicide!.slice(0, 20))).toBe(true); // the emergency message comes first
    for (const n of ['112', '1813', '0800 32 123']) expect(s.answer).toContain(n);
    expect(s.safety!.numbers).toEqual(expect.arrayContaining(['112', '1813', '0800 32 123']));
    const m = await ask(medical, lang);
    expect(m).toMatchObject({ intent: 'safety', escalate: true, safety: { kind: 'medical', priority: 'life' } });
    expect(m.answer).toContain('112');
  });

  it('should still answer the practical question after the emergency message', async () => {
    const r = await ask('mon mari me frappe j ai peur, ou aller avec mes enfants', 'fr');
    expect(r).toMatchObject({ intent: 'safety', escalate: true, safety: { kind: 'violence' } });
    expect(r.answer.startsWith(safety('fr').violence!.slice(0, 20))).toBe(true);
    for (const n of ['112', '0800 30 030']) expect(r.answer).toContain(n);
    expect(r.services.length).toBeGreaterThan(0);
  });

  it('should keep ordinary questions out of the safety path', async () => {
    for (const [text, lang] of [['waar kan ik vannacht slapen met mijn twee kinderen', 'nl'], ['how do I complain about my shelter', 'en']] as const) {
      const r = await ask(text, lang);
      expect(r.intent).not.toBe('safety');
      expect(r.safety).toBeUndefined();
    }
  });
});
