import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS } from '../../conversation/languages.js';
import { Lexicon, defaultLexicon, loadLexicon, type ConceptEntry } from '../../knowledge/embeddings/lexicon.js';
import { OfflineEmbeddings } from '../../knowledge/embeddings/offline-embeddings.js';

const tiny = new Lexicon(
  [
    { id: 'x.evict', nl: ['uithuiszetting', 'eruit zetten'], fr: ['expulsion', 'mettre dehors'], pl: ['eksmisj*'], ar: ['طرد'] },
    { id: 'x.shelter', nl: ['opvang'], en: ['shelter'], related: ['x.evict'] },
    { id: 'x.short', en: ['car'] },
  ] satisfies ConceptEntry[],
  'test',
);
const ids = (text: string, langs?: Set<(typeof SUPPORTED_LANGS)[number]>) => [...new Set(tiny.match(text, langs).map((m) => m.concept))];

describe('lexicon', () => {
  describe('match', () => {
    it('should match exact words, plurals and accents folded', () => {
      expect(ids('Expulsions en série')).toEqual(['x.evict']);
      expect(ids('EXPULSION')).toEqual(['x.evict']);
    });

    it('should match stems marked with * in inflected languages', () => {
      expect(ids('grozi mi eksmisja')).toEqual(['x.evict']);
      expect(ids('po eksmisji')).toEqual(['x.evict']);
    });

    it('should match Dutch terms at the end of compound words', () => {
      expect(ids('de nachtopvang is vol')).toEqual(['x.shelter']);
    });

    it('should match phrases only when their words are adjacent and in order', () => {
      expect(ids('hij wil me eruit zetten')).toEqual(['x.evict']);
      expect(ids('eruit gaan en zetten')).toEqual([]);
      expect(ids('il veut me mettre dehors')).toEqual(['x.evict']);
    });

    it('should strip Arabic clitics (and, the article)', () => {
      expect(ids('والطرد من البيت')).toEqual(['x.evict']);
    });

    it('should not stretch short words into longer ones', () => {
      expect(ids('i take care of it')).toEqual([]);
      expect(ids('my car')).toEqual(['x.short']);
    });

    it('should only use the languages asked for', () => {
      expect(ids('expulsion', new Set(['nl']))).toEqual([]);
      expect(ids('expulsion', new Set(['fr']))).toEqual(['x.evict']);
    });
  });

  describe('label', () => {
    it('should give the first plain term of the language, falling back to English then Dutch', () => {
      expect(tiny.label('x.evict', 'fr')).toBe('expulsion');
      expect(tiny.label('x.shelter', 'fr')).toBe('shelter');
      expect(tiny.label('x.evict', 'pl')).toBe('uithuiszetting');
    });
  });

  describe('the project lexicon', () => {
    const lex = defaultLexicon();

    it('should load every file with unique ids and terms in all 12 languages', () => {
      expect(lex.ids.length).toBeGreaterThan(250);
      expect(new Set(lex.ids).size).toBe(lex.ids.length);
      const missing = lex.ids.filter((_, i) => SUPPORTED_LANGS.some((l) => !lex.labels[i]![l]));
      expect(missing).toEqual([]);
    });

    it('should bring the same need in four scripts onto one concept', () => {
      const concepts = (t: string) => new Set(lex.match(t).map((m) => m.concept));
      const nl = concepts('uithuiszetting');
      const shared = [...nl].filter((c) =>
        ['expulsion du logement', 'eviction', 'طرد من السكن', 'выселение'].every((t) => concepts(t).has(c)),
      );
      expect(shared.length).toBeGreaterThan(0);
    });

    it('should change its fingerprint when a file changes', () => {
      expect(loadLexicon().fingerprint).toBe(lex.fingerprint);
      expect(lex.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    });
  });
});

describe('OfflineEmbeddings', () => {
  const emb = new OfflineEmbeddings();
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

  it('should be deterministic and of the declared size', async () => {
    const [a] = await emb.embedDocuments(['De uithuiszetting voorkomen door huurdersondersteuning.']);
    const [b] = await emb.embedDocuments(['De uithuiszetting voorkomen door huurdersondersteuning.']);
    expect(a).toHaveLength(emb.dims);
    expect(a).toEqual(b);
    expect(emb.model).toContain(emb.lexicon.fingerprint);
  });

  it('should score a Dutch passage on eviction above one on food for a question in another language', async () => {
    const [evict, food] = await emb.embedDocuments([
      'Het gewestelijk kader voor de preventie van uithuiszettingen en woonstverlies.',
      'Voedselhulp en sociale restaurants voor mensen met een laag inkomen.',
    ]);
    for (const [q, lang] of [['mon proprio veut m expulser', 'fr'], ['меня хотят выселить из квартиры', 'ru'], ['صاحب البيت يريد طردي', 'ar']] as const) {
      const v = await emb.embedQueryIn(q, lang);
      expect(dot(v, evict!)).toBeGreaterThan(dot(v, food!));
    }
  });
});
