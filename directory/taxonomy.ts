/**
 * The taxonomy of needs and target groups (directory/taxonomy/taxonomy.json, fixed ids in .helpers/IDS.md): labels
 * and everyday words in the 12 languages, one pictogram per category, and a matcher that finds the categories a
 * message is about. Matching reuses the project's concept lexicon matcher (stems, plurals, Dutch compounds, Arabic
 * clitics), with one concept per category.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPPORTED_LANGS, type Lang } from '../conversation/languages.js';
import { queryLanguages } from '../knowledge/embeddings/featurize.js';
import { Lexicon, type ConceptEntry } from '../knowledge/embeddings/lexicon.js';
import type { TaxonomyTerm } from './model.js';

export const TAXONOMY_DIR = join(dirname(fileURLToPath(import.meta.url)), 'taxonomy');
export const TAXONOMY_FILE = join(TAXONOMY_DIR, 'taxonomy.json');
export const PICTOGRAM_DIR = join(TAXONOMY_DIR, 'pictograms');

export type CategoryKind = 'need' | 'group';

/** One category as written in taxonomy.json. */
export interface Category {
  id: string;
  kind: CategoryKind;
  pictogram: string;
  labels: Record<Lang, string>;
  terms: Record<Lang, string[]>;
  /** The plans' own Dutch vocabulary for the category (each occurs in knowledge/corpus). */
  dutch: string[];
}

/** A category found in a text; `count` is how many mentions of it the text holds. */
export interface CategoryMatch {
  id: string;
  kind: CategoryKind;
  count: number;
}

/** The compiled taxonomy. */
export class Taxonomy {
  readonly categories: readonly Category[];
  private readonly byId: Map<string, Category>;
  private readonly lexicon: Lexicon;

  constructor(categories: Category[], fingerprint = 'taxonomy') {
    this.categories = categories;
    this.byId = new Map(categories.map((c) => [c.id, c]));
    const entries: ConceptEntry[] = categories.map((c) => ({ id: c.id, ...c.terms, nl: [...c.terms.nl, ...c.dutch] }));
    this.lexicon = new Lexicon(entries, fingerprint);
  }

  /** The category with this id, or undefined. */
  get(id: string): Category | undefined {
    return this.byId.get(id);
  }

  /** The short label of a category in a language (English when the id is unknown to that language). */
  label(id: string, lang: Lang): string {
    const c = this.byId.get(id);
    if (!c) throw new Error(`Unknown taxonomy category "${id}"`);
    return c.labels[lang] ?? c.labels.en;
  }

  /**
   * Categories the text is about, most relevant first. With `lang`, terms of that language and of the ones Brussels
   * mixes in (nl, fr, en) are used; without it, all languages. Relevance: number of mentions, then the earliest
   * mention, then the words covered (at the same place, the phrase "night shelter" beats the word "shelter").
   */
  match(text: string, lang?: Lang): CategoryMatch[] {
    const found = this.lexicon.match(text, queryLanguages(lang)).sort((a, b) => a.at - b.at || b.len - a.len);
    const stats = new Map<string, { count: number; covered: number; first: number; until: number }>();
    for (const m of found) {
      const s = stats.get(m.concept) ?? { count: 0, covered: 0, first: m.at, until: -1 };
      // One mention, one count: "hébergement d'urgence" and its word "hébergement" name the category once.
      if (m.at < s.until) continue;
      s.count += 1;
      s.covered += m.len;
      s.until = m.at + m.len;
      stats.set(m.concept, s);
    }
    const order = (id: string) => this.categories.findIndex((c) => c.id === id);
    return [...stats.entries()]
      .sort(([a, x], [b, y]) => y.count - x.count || x.first - y.first || y.covered - x.covered || order(a) - order(b))
      .map(([id, s]) => ({ id, kind: this.byId.get(id)!.kind, count: s.count }));
  }

  /** Ids of the needs the text names, most relevant first. */
  needs(text: string, lang?: Lang): string[] {
    return this.match(text, lang)
      .filter((m) => m.kind === 'need')
      .map((m) => m.id);
  }

  /** Ids of the target groups the text names, most relevant first. */
  groups(text: string, lang?: Lang): string[] {
    return this.match(text, lang)
      .filter((m) => m.kind === 'group')
      .map((m) => m.id);
  }

  /** Absolute path of the category's pictogram (an SVG in directory/taxonomy/pictograms). */
  pictogramPath(id: string): string {
    const c = this.byId.get(id);
    if (!c) throw new Error(`Unknown taxonomy category "${id}"`);
    return join(PICTOGRAM_DIR, c.pictogram);
  }

  /** The pictogram's SVG source, ready to inline in a card or a page. */
  pictogramSvg(id: string): string {
    return readFileSync(this.pictogramPath(id), 'utf8');
  }

  /** The categories as HSDS taxonomy_term rows, labelled in one language. */
  toTaxonomyTerms(lang: Lang = 'en'): TaxonomyTerm[] {
    return this.categories.map((c) => ({
      id: c.id,
      term: c.labels[lang] ?? c.labels.en,
      description: null,
      taxonomy: 'infoline',
      x_kind: c.kind,
    }));
  }
}

/** Parses and checks taxonomy.json text; errors name the file and the category. */
export function parseTaxonomy(raw: string, file = TAXONOMY_FILE): Category[] {
  let doc: { categories?: unknown };
  try {
    doc = JSON.parse(raw) as { categories?: unknown };
  } catch (err) {
    throw new Error(`Taxonomy file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc.categories)) throw new Error(`Taxonomy file ${file} has no "categories" array`);
  const seen = new Set<string>();
  return doc.categories.map((c: Partial<Category>, i: number) => {
    const where = `Taxonomy file ${file}, category ${typeof c?.id === 'string' ? `"${c.id}"` : `#${i + 1}`}`;
    if (typeof c?.id !== 'string' || !/^[a-z0-9-]+$/.test(c.id)) throw new Error(`${where}: "id" must be a lowercase id`);
    if (seen.has(c.id)) throw new Error(`${where}: duplicate id`);
    seen.add(c.id);
    if (c.kind !== 'need' && c.kind !== 'group') throw new Error(`${where}: "kind" must be "need" or "group"`);
    if (typeof c.pictogram !== 'string' || !/^[a-z0-9-]+\.svg$/.test(c.pictogram)) throw new Error(`${where}: "pictogram" must name an .svg file`);
    for (const field of ['labels', 'terms'] as const) {
      const value = c[field] as Record<string, unknown> | undefined;
      for (const lang of SUPPORTED_LANGS) {
        const v = value?.[lang];
        const ok = field === 'labels' ? typeof v === 'string' && v.trim() !== '' : Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string');
        if (!ok) throw new Error(`${where}: "${field}.${lang}" is missing or empty`);
      }
    }
    if (!Array.isArray(c.dutch) || !c.dutch.every((t) => typeof t === 'string')) throw new Error(`${where}: "dutch" must be a list of strings`);
    return c as Category;
  });
}

/** Reads a taxonomy file into a Taxonomy. */
export function readTaxonomy(file = TAXONOMY_FILE): Taxonomy {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Taxonomy file ${file} cannot be read: ${(err as Error).message}`);
  }
  return new Taxonomy(parseTaxonomy(raw, file));
}

let shared: Taxonomy | undefined;
/** The project's taxonomy, loaded once per process. */
export function loadTaxonomy(): Taxonomy {
  return (shared ??= readTaxonomy());
}
