/**
 * The multilingual concept lexicon (knowledge/lexicon/*.json, format in its README): compiled once into a
 * matcher that finds concept mentions in text of any supported language.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { arabicVariants, normalize, stem, tokenize } from './text.js';

export const LEXICON_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'lexicon');

/** One concept as written in a lexicon file. */
export interface ConceptEntry {
  id: string;
  gloss?: string;
  related?: string[];
  [lang: string]: unknown;
}

interface WordSpec {
  w: string;
  prefix: boolean;
}
interface Term {
  concept: number;
  lang: Lang;
  words: WordSpec[];
}

/** A concept found in a text: which one, where (token index) and in which language's term. */
export interface ConceptMatch {
  concept: string;
  lang: Lang;
  at: number;
  /** How many words the matched term spans. */
  len: number;
}

/** Compiled lexicon: concept ids, labels per language, and term lookup tables. */
export class Lexicon {
  readonly ids: string[] = [];
  readonly labels: Array<Partial<Record<Lang, string>>> = [];
  readonly related: number[][] = [];
  /** Dutch terms of each concept, for full-text query expansion. */
  readonly dutchTerms: string[][] = [];
  private readonly byKey = new Map<string, Term[]>();
  private readonly byStem = new Map<string, Term[]>();
  readonly fingerprint: string;

  constructor(entries: ConceptEntry[], fingerprint: string) {
    this.fingerprint = fingerprint;
    const index = new Map<string, number>();
    for (const e of entries) {
      if (index.has(e.id)) continue;
      index.set(e.id, this.ids.length);
      this.ids.push(e.id);
      this.labels.push({});
      this.related.push([]);
      this.dutchTerms.push([]);
    }
    for (const e of entries) {
      const ci = index.get(e.id)!;
      this.related[ci] = (e.related ?? []).map((r) => index.get(r)).filter((x): x is number => x !== undefined);
      for (const lang of SUPPORTED_LANGS) {
        const terms = e[lang];
        if (!Array.isArray(terms)) continue;
        for (const raw of terms) {
          if (typeof raw !== 'string' || !raw.trim()) continue;
          if (!this.labels[ci]![lang] && !raw.includes('*')) this.labels[ci]![lang] = raw.trim();
          if (lang === 'nl') this.dutchTerms[ci]!.push(raw.trim().toLowerCase());
          this.addTerm(ci, lang, raw);
        }
      }
    }
  }

  private addTerm(concept: number, lang: Lang, raw: string): void {
    const parts = raw.trim().split(/\s+/);
    const words: WordSpec[] = [];
    for (const p of parts) {
      const prefix = p.endsWith('*');
      const toks = tokenize(prefix ? p.slice(0, -1) : p);
      // "l'hébergement" tokenises to two words; keep them all, the last one carries the prefix mark.
      toks.forEach((w, i) => words.push({ w, prefix: prefix && i === toks.length - 1 }));
    }
    if (!words.length) return;
    const term: Term = { concept, lang, words };
    const first = words[0]!;
    push(this.byKey, first.w.slice(0, 3), term);
    if (!first.prefix && first.w.length >= 4) push(this.byStem, `${lang}:${stem(first.w, lang)}`, term);
  }

  /** Finds concept mentions; `langs` limits the terms considered (all languages when omitted). */
  match(text: string, langs?: ReadonlySet<Lang>): ConceptMatch[] {
    const tokens = tokenize(text);
    return this.matchTokens(tokens, langs);
  }

  /** Same as match, on already tokenised text. */
  matchTokens(tokens: string[], langs?: ReadonlySet<Lang>): ConceptMatch[] {
    const out: ConceptMatch[] = [];
    const seen = new Set<string>();
    const stemCache = new Map<string, string>();
    const stemOf = (t: string, l: Lang) => {
      const k = `${l}:${t}`;
      let s = stemCache.get(k);
      if (s === undefined) stemCache.set(k, (s = stem(t, l)));
      return s;
    };
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i]!;
      const candidates = new Set<Term>();
      for (const v of arabicVariants(tok)) {
        for (const t of this.byKey.get(v.slice(0, 3)) ?? []) candidates.add(t);
        // Dutch compounds: "nachtopvang" ends with the term "opvang".
        for (let s = 1; s + 5 <= v.length; s++) {
          for (const t of this.byKey.get(v.slice(s, s + 3)) ?? []) if (t.lang === 'nl') candidates.add(t);
        }
      }
      for (const l of langs ?? SUPPORTED_LANGS) {
        for (const t of this.byStem.get(`${l}:${stemOf(tok, l)}`) ?? []) candidates.add(t);
      }
      for (const term of candidates) {
        if (langs && !langs.has(term.lang)) continue;
        if (!this.termMatchesAt(term, tokens, i, stemOf)) continue;
        const key = `${term.concept}:${i}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ concept: this.ids[term.concept]!, lang: term.lang, at: i, len: term.words.length });
      }
    }
    return out;
  }

  private termMatchesAt(term: Term, tokens: string[], i: number, stemOf: (t: string, l: Lang) => string): boolean {
    for (let k = 0; k < term.words.length; k++) {
      const tok = tokens[i + k];
      if (tok === undefined) return false;
      const spec = term.words[k]!;
      const variants = arabicVariants(tok);
      const ok = variants.some((v) => wordMatches(spec, v, term.lang, k === 0 && term.words.length === 1, stemOf));
      if (!ok) return false;
    }
    return true;
  }

  /** Index of a concept id, or -1. */
  indexOf(id: string): number {
    return this.ids.indexOf(id);
  }

  /** A plain label of the concept in the language (falls back to English, then Dutch). */
  label(id: string, lang: Lang): string | undefined {
    const l = this.labels[this.ids.indexOf(id)];
    return l?.[lang] ?? l?.en ?? l?.nl;
  }
}

function wordMatches(
  spec: WordSpec,
  tok: string,
  lang: Lang,
  allowCompound: boolean,
  stemOf: (t: string, l: Lang) => string,
): boolean {
  const w = spec.w;
  if (tok === w) return true;
  if (spec.prefix) {
    if (w.length >= 3 && tok.startsWith(w)) return true;
    // The stem of an inflected form may be shorter than the written prefix: "выселить" (stem "высел") ~ "выселен*".
    const s = stemOf(tok, lang);
    return s.length >= 5 && w.startsWith(s);
  }
  // Plurals and short endings: "expulsion" ~ "expulsions", "kick" ~ "kicking".
  if (w.length >= 4 && tok.startsWith(w) && tok.length - w.length <= 3) return true;
  if (lang === 'nl' && allowCompound && w.length >= 5 && tok.length > w.length && tok.endsWith(w)) return true;
  if (w.length >= 4 && tok.length >= 4 && stemOf(tok, lang) === stemOf(w, lang)) return true;
  return false;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Loads every *.json lexicon file of a folder; the fingerprint changes whenever any file changes. */
export function loadLexicon(dir = LEXICON_DIR): Lexicon {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const hash = createHash('sha256');
  const entries: ConceptEntry[] = [];
  for (const f of files) {
    const raw = readFileSync(join(dir, f), 'utf8');
    hash.update(f).update(raw);
    let parsed: { concepts?: ConceptEntry[] };
    try {
      parsed = JSON.parse(raw) as { concepts?: ConceptEntry[] };
    } catch (err) {
      throw new Error(`Lexicon file ${f} is not valid JSON: ${(err as Error).message}`);
    }
    for (const c of parsed.concepts ?? []) if (c && typeof c.id === 'string') entries.push(c);
  }
  return new Lexicon(entries, hash.digest('hex').slice(0, 12));
}

let shared: Lexicon | undefined;
/** The project's lexicon, loaded once per process. */
export function defaultLexicon(): Lexicon {
  return (shared ??= loadLexicon());
}

export { normalize };
