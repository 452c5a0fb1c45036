/**
 * Sparse features of a text for the offline embedder: concepts from the multilingual lexicon (the bridge between
 * languages), Dutch word stems (the plans' own words) and character 4-grams (names and cognates:
 * "Marolles" ~ "Marollen", "Housing First", "Samusocial").
 */
import type { Lang } from '../../conversation/languages.js';
import type { Lexicon } from './lexicon.js';
import { STOPWORDS, isLatin, stem, tokenize } from './text.js';

export type Features = Map<string, number>;

/** Relative weight of each feature family (by key prefix); tuned on the evaluation set (npm run eval). */
export const FEATURE_WEIGHTS = { c: 1.0, w: 0.55, g: 0.25 } as const;
/** Weight of a concept the question does not name but that its concepts are usually about (lexicon "related"). */
export const RELATED_WEIGHT = 0.25;

/** The family weight of a feature key ("c:…", "w:…", "g:…"). */
export function familyWeight(key: string): number {
  return FEATURE_WEIGHTS[key[0] as keyof typeof FEATURE_WEIGHTS] ?? 0;
}

/** Languages whose lexicon terms are looked for in a question: its own plus the ones Brussels mixes in. */
export function queryLanguages(lang?: Lang): ReadonlySet<Lang> | undefined {
  return lang ? new Set<Lang>([lang, 'nl', 'fr', 'en']) : undefined;
}

/**
 * Feature counts of a text (how often each concept, stem or n-gram occurs; n-grams count 1/sqrt(n) per word).
 * Documents are matched in their own language; questions in theirs plus nl/fr/en. Weighting is the embedder's job.
 */
export function featurize(
  lexicon: Lexicon,
  text: string,
  opts: { mode: 'document' | 'query'; lang?: Lang },
): { features: Features; concepts: string[] } {
  const tokens = tokenize(text);
  const features: Features = new Map();
  const add = (key: string, w: number) => features.set(key, (features.get(key) ?? 0) + w);

  const langs = opts.mode === 'document' ? new Set<Lang>([opts.lang ?? 'nl']) : queryLanguages(opts.lang);
  // One mention, one count: "centre d'hébergement" and its word "hébergement" name the concept once, not twice.
  const coveredUntil = new Map<string, number>();
  const matches = lexicon
    .matchTokens(tokens, langs)
    .sort((a, b) => a.at - b.at || b.len - a.len)
    .filter((m) => {
      if (m.at < (coveredUntil.get(m.concept) ?? -1)) return false;
      coveredUntil.set(m.concept, m.at + m.len);
      return true;
    });
  const concepts = [...new Set(matches.map((m) => m.concept))];
  // A word that names several concepts is one piece of evidence: its weight is shared, not multiplied.
  const perPosition = new Map<number, number>();
  for (const m of matches) perPosition.set(m.at, (perPosition.get(m.at) ?? 0) + 1);
  for (const m of matches) add(`c:${m.concept}`, 1 / Math.sqrt(perPosition.get(m.at)!));
  if (opts.mode === 'query') {
    for (const id of concepts) {
      for (const r of lexicon.related[lexicon.indexOf(id)] ?? []) add(`c:${lexicon.ids[r]}`, RELATED_WEIGHT);
    }
  }

  for (const tok of tokens) {
    if (STOPWORDS.has(tok) || tok.length < 2) continue;
    // Documents are Dutch; stem every Latin word the Dutch way so a Dutch question meets the plan's word forms.
    if (isLatin(tok)) add(`w:${stem(tok, 'nl')}`, 1);
    else if (opts.mode === 'document') add(`w:${tok}`, 1);
    if (isLatin(tok) && tok.length >= 5 && !/^\d+$/.test(tok)) {
      const padded = `_${tok}_`;
      const n = padded.length - 3;
      for (let i = 0; i < n; i++) add(`g:${padded.slice(i, i + 4)}`, 1 / Math.sqrt(n));
    }
  }
  return { features, concepts };
}
