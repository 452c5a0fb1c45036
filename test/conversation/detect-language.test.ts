import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { detectLanguage } from '../../conversation/detect-language.ts';
import { SUPPORTED_LANGS, isLang, type Lang } from '../../conversation/languages.ts';

const fixture = fileURLToPath(new URL('../fixtures/lang-messages.jsonl', import.meta.url));
const rows = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { lang: string; text: string });

describe('detectLanguage on the SMS fixture', () => {
  it('has at least 25 messages per language, all with a supported code', () => {
    for (const r of rows) expect(isLang(r.lang), r.lang).toBe(true);
    for (const lang of SUPPORTED_LANGS) expect(rows.filter((r) => r.lang === lang).length).toBeGreaterThanOrEqual(25);
  });

  // One test per language so a regression in one language is visible on its own.
  for (const lang of SUPPORTED_LANGS) {
    it(`accuracy >= 0.9 for ${lang}`, () => {
      const mine = rows.filter((r) => r.lang === lang);
      const misses = mine.filter((r) => detectLanguage(r.text).lang !== lang).map((r) => r.text);
      expect(1 - misses.length / mine.length, `misses: ${misses.join(' | ')}`).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('is fast: well under 1 ms per message', () => {
    const start = performance.now();
    for (let i = 0; i < 3; i++) for (const r of rows) detectLanguage(r.text);
    expect((performance.now() - start) / (3 * rows.length)).toBeLessThan(0.5);
  });
});

describe('prior and fallbacks', () => {
  it.each(['ok', '?', '112', 'Gare du Midi', 'yes', 'merci', 'OK!!', 'cpas'])('keeps the prior for %j', (text) => {
    for (const prior of ['nl', 'pl', 'tr'] as Lang[]) {
      const d = detectLanguage(text, { prior });
      expect(d.lang).toBe(prior);
      expect(d.reliable).toBe(false);
    }
  });

  it('returns the prior, else French, unreliable, for empty or letterless text', () => {
    expect(detectLanguage('', { prior: 'uk' })).toMatchObject({ lang: 'uk', reliable: false, confidence: 0 });
    expect(detectLanguage('')).toMatchObject({ lang: 'fr', reliable: false });
    expect(detectLanguage('   ?? 0470 12 34 56 !!')).toMatchObject({ lang: 'fr', reliable: false });
  });

  it('never throws on odd input', () => {
    for (const t of ['\u0000', '😀😀', 'a'.repeat(5000), '\ud800', null as unknown as string]) {
      expect(() => detectLanguage(t)).not.toThrow();
    }
  });

  it('switches away from the prior when the message is clearly another language', () => {
    expect(detectLanguage('dzien dobry potrzebuje pomocy', { prior: 'fr' })).toMatchObject({ lang: 'pl', reliable: true });
    expect(detectLanguage('ik heb geen plek om te slapen', { prior: 'en' })).toMatchObject({ lang: 'nl', reliable: true });
  });

  it('keeps the prior on an es/pt-ambiguous text', () => {
    expect(detectLanguage('no se', { prior: 'pt' }).lang).toBe('pt');
    expect(detectLanguage('no se', { prior: 'es' }).lang).toBe('es');
  });

  it('does not keep a prior written in another script', () => {
    expect(detectLanguage('привет', { prior: 'fr' }).lang).not.toBe('fr');
    expect(detectLanguage('مرحبا', { prior: 'nl' }).lang).toBe('ar');
  });
});

describe('script and letter signals', () => {
  it('detects Arabic script and Arabizi', () => {
    expect(detectLanguage('السلام عليكم احتاج مساعدة')).toMatchObject({ lang: 'ar', reliable: true });
    expect(detectLanguage('salam khoya wach kayn blasa lyoum').lang).toBe('ar');
  });

  it.each([
    ['де можна переночувати', 'uk'], // і absent but uk words
    ['мені потрібна допомога', 'uk'], // і
    ['є місце?', 'uk'], // є, і
    ['мне нужна помощь', 'ru'],
    ['ты где', 'ru'], // ы
    ['это здесь?', 'ru'], // э
    ['имам нужда от помощ', 'bg'],
    ['къде да спя', 'bg'], // ъ, no ы/э
    ['нямам пари', 'bg'],
  ] as const)('%s -> %s', (text, lang) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });

  it('uses letters unique to Latin-script languages', () => {
    expect(detectLanguage('mulțumesc').lang).toBe('ro');
    expect(detectLanguage('dziękuję').lang).toBe('pl');
    expect(detectLanguage('não sei').lang).toBe('pt');
    expect(detectLanguage('teşekkür ederim yardım').lang).toBe('tr');
  });

  it('returns candidates best first with shares summing to at most 1', () => {
    const d = detectLanguage('onde posso dormir hoje');
    expect(d.candidates[0]?.lang).toBe(d.lang);
    expect(d.candidates.reduce((s, c) => s + c.score, 0)).toBeLessThanOrEqual(1.001);
    expect(d.confidence).toBeGreaterThan(0);
    expect(d.confidence).toBeLessThanOrEqual(1);
  });
});
