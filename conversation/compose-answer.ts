/**
 * Answer composition: frames the best passages in the person's language (i18next), quotes the sentences that
 * answer, cites them (document, section, lines), says how far the plan applies and whether it is only foreseen.
 * Says plainly when nothing relevant was found and offers a person instead of guessing.
 */
import type { Lexicon } from '../knowledge/embeddings/lexicon.js';
import { STOPWORDS, stem, tokenize } from '../knowledge/embeddings/text.js';
import type { Passage } from '../knowledge/types.js';
import { tFor } from './i18n.js';
import type { Lang } from './languages.js';

/** A source as the API contract (DESIGN.md section 7) describes it. */
export interface Source {
  kind: 'plan' | 'card' | 'directory';
  document?: string;
  title: string;
  locator?: string;
  text: string;
  score: number;
}

export interface ComposedAnswer {
  answer: string;
  sources: Source[];
  /** True when nothing relevant was found: a person should take over. */
  escalate: boolean;
  /** Whether a passage was good enough to answer with. */
  answered: boolean;
}

export interface ComposeOptions {
  /** Below this similarity a passage is not relevant enough to answer with. */
  minScore: number;
  /** How many passages to quote (the rest are listed as sources). */
  quote: number;
  /** Longest quoted excerpt, in characters (small screens, SMS). */
  maxQuoteChars: number;
}

const DEFAULTS: ComposeOptions = { minScore: 0.1, quote: 2, maxQuoteChars: 320 };

/** Composes the reply to a question from retrieved passages. */
export function composeAnswer(
  question: string,
  lang: Lang,
  passages: Passage[],
  lexicon: Lexicon,
  queryConcepts: string[],
  options: Partial<ComposeOptions> = {},
): ComposedAnswer {
  const opts = { ...DEFAULTS, ...options };
  const t = tFor(lang);
  // Relevant = about something the question is about (a shared lexicon concept) and matching enough of it.
  // Word overlap alone is not enough: "hoeveel kost een pizza" shares words with the plans, not a topic.
  const relevant = passages.filter((p) => p.score >= opts.minScore && sharesConcept(p, queryConcepts));
  const sources = passages.map(toSource);
  if (!relevant.length) {
    return { answer: [t('answer.no_result'), t('answer.offer_person')].join('\n'), sources, escalate: true, answered: false };
  }
  const parts: string[] = [t('answer.found_intro')];
  for (const p of relevant.slice(0, opts.quote)) {
    parts.push('');
    parts.push(`${t(`answer.scope.${p.scope}`, { organisation: p.organisation, year: p.year })}.`);
    if (p.programmatic) parts.push(t('answer.plan_foresees'));
    const topics = topicLabels(p, queryConcepts, lexicon, lang);
    if (topics) parts.push(t('answer.topics', { topics }));
    parts.push(`${t('answer.quote_label')} «${bestExcerpt(p.text, question, p, queryConcepts, lexicon, opts.maxQuoteChars)}»`);
    parts.push(citation(p, lang));
  }
  const others = relevant.slice(opts.quote, 4).map((p) => `${p.shortTitle} (${p.lineFrom}-${p.lineTo})`);
  if (others.length) parts.push('', t('answer.also', { titles: others.join('; ') }));
  parts.push('', t('answer.offer_person'));
  return { answer: parts.join('\n'), sources, escalate: false, answered: true };
}

function sharesConcept(p: Passage, concepts: string[]): boolean {
  return concepts.some((c) => p.concepts.includes(c));
}

/** "Source: Masterplan Bruss'help 2024-2029, Maatregel 32, lines 4780-4818". */
export function citation(p: Passage, lang: Lang): string {
  const t = tFor(lang);
  const section = sectionName(p);
  const args = { title: p.shortTitle, section, from: p.lineFrom, to: p.lineTo };
  return section ? t('answer.citation', args) : t('answer.citation_no_section', args);
}

/** The innermost heading, shortened for small screens. */
export function sectionName(p: Pick<Passage, 'headings'>): string {
  const h = p.headings[p.headings.length - 1] ?? '';
  return h.length > 70 ? `${h.slice(0, 67)}…` : h;
}

/** The source as returned by the API: locator = section path and lines. */
export function toSource(p: Passage): Source {
  const path = p.headings.join(' › ');
  return {
    kind: p.kind,
    document: p.documentId,
    title: p.title,
    locator: `${path ? `${path}, ` : ''}lines ${p.lineFrom}-${p.lineTo}`,
    text: p.text,
    score: Math.round(p.score * 1000) / 1000,
  };
}

/** Labels, in the person's language, of the concepts the question and the passage share. */
function topicLabels(p: Passage, queryConcepts: string[], lexicon: Lexicon, lang: Lang): string {
  const shared = queryConcepts.filter((c) => p.concepts.includes(c));
  const labels = [...new Set(shared.map((c) => lexicon.label(c, lang)).filter((l): l is string => !!l))];
  return labels.slice(0, 3).join(', ');
}

/**
 * The sentences of the passage that best answer the question: those sharing the most concepts and Dutch word
 * stems with it, kept in document order, cut to maxChars at a word boundary.
 */
export function bestExcerpt(
  text: string,
  question: string,
  p: Pick<Passage, 'lang'>,
  queryConcepts: string[],
  lexicon: Lexicon,
  maxChars: number,
): string {
  const sentences = text.replace(/\s+/g, ' ').split(/(?<=[.!?;:])\s+(?=[\p{Lu}\d•–-])/u).filter((s) => s.trim());
  if (!sentences.length) return '';
  const qStems = new Set(tokenize(question).filter((w) => !STOPWORDS.has(w)).map((w) => stem(w, 'nl')));
  const wanted = new Set(queryConcepts);
  const scored = sentences.map((s, i) => {
    const concepts = new Set(lexicon.match(s, new Set([p.lang])).map((m) => m.concept));
    let score = 0;
    for (const c of concepts) if (wanted.has(c)) score += 2;
    for (const w of tokenize(s)) if (qStems.has(stem(w, 'nl'))) score += 1;
    return { s: s.trim(), i, score };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.i - b.i);
  const chosen: typeof scored = [];
  let length = 0;
  for (const c of ranked) {
    if (chosen.length && length + c.s.length > maxChars) continue;
    chosen.push(c);
    length += c.s.length + 1;
    if (length >= maxChars * 0.6) break;
  }
  const out = chosen.sort((a, b) => a.i - b.i).map((c) => c.s).join(' … ');
  return out.length > maxChars ? `${out.slice(0, maxChars).replace(/\s+\S*$/, '')} …` : out;
}
