/**
 * Sparse features of a text for the offline embedder: concepts from the multilingual lexicon (the bridge between
 * languages), Dutch word stems (the plans' own words) and character 4-grams (names and cognates:
 * "Marolles" ~ "Marollen", "Housing First", "Samusocial").
 */
import type { Lang } from '../../conversation/languages.js';
import type { Lexicon } from './lexicon.js';
import { STOPWORDS, isLatin, stem, tokenize } from './text.js';

export type Features = Map<string, number>;

/** Relative weight of each feature family; tuned on the evaluation set (npm run eval). */
export const FEATURE_WEIGHTS = { concept: 1.0, related: 0.25, word: 0.55, gram: 0.12 } as const;

/** Languages whose lexicon terms are looked for in a question: its own plus the ones Brussels mixes in. */
export function queryLanguages(lang?: Lang): ReadonlySet<Lang> | undefined {
  return lang ? new Set<Lang>([lang, 'nl', 'fr', 'en']) : undefined;
}

/** Features of a text. Documents are matched in their own language; questions in theirs plus nl/fr/en. */
export function featurize(
  lexicon: Lexicon,
  text: string,
  opts: { mode: 'document' | 'query'; lang?: Lang },
): { features: Features; concepts: string[] } {
  const tokens = tokenize(text);
  const features: Features = new Map();
  const add = (key: string, w: number) => features.set(key, (features.get(key) ?? 0) + w);

  const langs = opts.mode === 'document' ? new Set<Lang>([opts.lang ?? 'nl']) : queryLanguages(opts.lang);
  const matches = lexicon.matchTokens(tokens, langs);
  const concepts = [...new Set(matches.map((m) => m.concept))];
  for (const m of matches) add(`c:${m.concept}`, FEATURE_WEIGHTS.concept);
  if (opts.mode === 'query') {
    for (const id of concepts) {
      for (const r of lexicon.related[lexicon.indexOf(id)] ?? []) add(`c:${lexicon.ids[r]}`, FEATURE_WEIGHTS.related);
    }
  }

  for (const tok of tokens) {
    if (STOPWORDS.has(tok) || tok.length < 2) continue;
    // Documents are Dutch; stem every Latin word the Dutch way so a Dutch question meets the plan's word forms.
    if (isLatin(tok)) add(`w:${stem(tok, 'nl')}`, FEATURE_WEIGHTS.word);
    else if (opts.mode === 'document') add(`w:${tok}`, FEATURE_WEIGHTS.word);
    if (isLatin(tok) && tok.length >= 5 && !/^\d+$/.test(tok)) {
      const padded = `_${tok}_`;
      const n = padded.length - 3;
      for (let i = 0; i < n; i++) add(`g:${padded.slice(i, i + 4)}`, FEATURE_WEIGHTS.gram / Math.sqrt(n));
    }
  }
  // Sublinear term frequency: a word said ten times is not ten times as relevant.
  for (const [k, v] of features) features.set(k, v > 1 ? 1 + Math.log(v) : v);
  return { features, concepts };
}
