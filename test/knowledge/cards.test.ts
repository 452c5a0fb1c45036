/** The knowledge cards: complete in 12 languages, honest citations, only public numbers, known categories. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS } from '../../conversation/languages.js';
import { loadCards, PUBLIC_NUMBERS, squash } from '../../knowledge/cards/load-cards.js';

const CORPUS = join(process.cwd(), 'knowledge', 'corpus');
const cards = [...loadCards().values()];
const lines = new Map<string, string[]>();
function corpusLines(doc: string): string[] {
  if (!lines.has(doc)) {
    const file = join(CORPUS, `${doc}.txt`);
    lines.set(doc, existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []);
  }
  return lines.get(doc)!;
}
const taxonomyFile = join(process.cwd(), 'directory', 'taxonomy', 'taxonomy.json');
const categoryIds = () =>
  new Set((JSON.parse(readFileSync(taxonomyFile, 'utf8')) as { categories: Array<{ id: string }> }).categories.map((c) => c.id));

describe('knowledge cards', () => {
  it('should have at least 40 cards', () => {
    expect(cards.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cards.map((c) => [c.id, c] as const))('%s: should be written in all 12 languages', (_id, card) => {
    for (const lang of SUPPORTED_LANGS) {
      expect(card.text[lang], lang).toBeDefined();
      expect(card.text[lang].body.length, lang).toBeLessThanOrEqual(600);
    }
    // Translations, not copies: the French and Arabic bodies differ from the English one.
    expect(card.text.fr.body).not.toBe(card.text.en.body);
    expect(card.text.ar.body).toMatch(/[\u0600-\u06FF]/);
    expect(card.text.ru.body).toMatch(/[\u0400-\u04FF]/);
  });

  it.each(cards.map((c) => [c.id, c] as const))('%s: should cite lines that exist and hold the quote', (_id, card) => {
    for (const cit of card.citations) {
      const doc = corpusLines(cit.document);
      expect(doc.length, `${cit.document} exists`).toBeGreaterThan(0);
      const [from, to] = cit.lines;
      expect(from).toBeLessThanOrEqual(to);
      expect(to, `line ${to} in ${cit.document}`).toBeLessThanOrEqual(doc.length);
      const passage = squash(doc.slice(Math.max(0, from - 2), to + 1).join('\n'));
      expect(passage, `quote "${cit.quote}" in ${cit.document}:${from}-${to}`).toContain(squash(cit.quote));
    }
  });

  it.each(cards.map((c) => [c.id, c] as const))('%s: should give only public numbers, in every language', (_id, card) => {
    for (const lang of SUPPORTED_LANGS) {
      const body = card.text[lang].body;
      for (const phone of card.phones) expect(body, `${lang} gives ${phone}`).toContain(phone);
      // Belgian phone-like sequences (0800 …, 0x …) must be public numbers the card declares.
      for (const m of body.matchAll(/\b0\d{2,3}[ ./]?\d{2,3}[ ./]?\d{2,3}\b/g)) {
        expect(PUBLIC_NUMBERS as readonly string[], `${lang}: ${m[0]}`).toContain(m[0]);
        expect(card.phones as string[], `${lang}: ${m[0]} declared`).toContain(m[0]);
      }
    }
  });

  it.each(cards.map((c) => [c.id, c] as const))('%s: should use taxonomy categories', (_id, card) => {
    const ids = categoryIds();
    for (const c of [...card.categories, ...card.groups]) expect(ids, c).toContain(c);
  });

  it('should list only directory services that exist', () => {
    const seed = JSON.parse(readFileSync(join(process.cwd(), 'directory', 'seed', 'directory.json'), 'utf8')) as { services: Array<{ id: string }> };
    const ids = new Set(seed.services.map((s) => s.id));
    for (const card of cards) for (const id of card.services) expect(ids, `${card.id} lists ${id}`).toContain(id);
  });

  it('should cover what people ask most', () => {
    const ids = new Set(cards.map((c) => c.id));
    for (const id of ['sleep-tonight', 'eat-today', 'shower-wash', 'see-doctor', 'urgent-medical-aid', 'reference-address',
      'integration-income', 'complain', 'report-person-street', 'minor-alone', 'domestic-violence', 'undocumented',
      'extreme-weather', 'losing-home', 'leaving-prison', 'leaving-hospital', 'housing-first', 'info-line', 'my-data']) {
      expect(ids, id).toContain(id);
    }
  });
});
