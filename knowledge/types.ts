import type { Lang } from '../conversation/languages.js';

/** Geographic scope of a plan: tells the person how far what it says applies. */
export type Scope = 'brussels-region' | 'city-of-brussels' | 'marollen-anneessens' | 'limburg';

/** Metadata of one plan of the corpus (knowledge/corpus/corpus.json). */
export interface DocumentMeta {
  /** File name without extension, e.g. "004_cb8e911b77208c6d". */
  id: string;
  file: string;
  title: string;
  /** Short title for citations on small screens, e.g. "Masterplan Bruss'help 2024-2029". */
  shortTitle: string;
  organisation: string;
  year: number;
  scope: Scope;
  lang: Lang;
  /** True when the plan describes what should be set up rather than services that exist now. */
  programmatic: boolean;
}

/** One line of a cleaned document, with the line number (1-based) it starts at in the original file. */
export interface CleanLine {
  text: string;
  /** First original line this cleaned line comes from. */
  from: number;
  /** Last original line it comes from (after re-joining wrapped lines). */
  to: number;
}

/** A retrievable piece of a plan, cut along the document's own structure. */
export interface Chunk {
  documentId: string;
  /** Position of the chunk in its document, 0-based. */
  ordinal: number;
  /** Heading path, outermost first, e.g. ["PIJLER 2 – Secundaire preventie", "Maatregel 17 …", "17.2 Informatie …"]. */
  headings: string[];
  text: string;
  lineFrom: number;
  lineTo: number;
}
