/**
 * Retrieval evaluation with the scoring rule of the shared sample set: a retrieved source is a hit when its
 * text holds at least half of the quote's distinct words longer than 2 letters, or all `must_contain` strings.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLang, type Lang } from '../conversation/languages.js';
import type { Retriever } from './types.js';

export const EVAL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'eval');

/** One evaluation item (the format of ../shared/eval/dev.jsonl). */
export interface EvalItem {
  id: string;
  seed: string;
  q: { nl?: string; fr?: string; en?: string; other?: { lang: string; text: string }; [lang: string]: unknown };
  must_contain: string[];
  quote: string;
  lines: [number, number];
  split?: string;
}

/** One question in one language. */
export interface EvalQuestion {
  item: EvalItem;
  lang: Lang;
  text: string;
}

/** Reads eval/*.jsonl (or the given files); each item's split is its file name. */
export function loadEvalItems(files?: string[]): EvalItem[] {
  const paths = files ?? readdirSync(EVAL_DIR).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(EVAL_DIR, f));
  const items: EvalItem[] = [];
  for (const p of paths) {
    const split = p.split('/').pop()!.replace(/\.jsonl$/, '');
    readFileSync(p, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        try {
          items.push({ ...(JSON.parse(line) as EvalItem), split });
        } catch (err) {
          throw new Error(`${p}:${i + 1}: ${(err as Error).message}`);
        }
      });
  }
  return items;
}

/** Every (item, language) question of the items. */
export function questionsOf(items: EvalItem[]): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  for (const item of items) {
    for (const [key, value] of Object.entries(item.q)) {
      if (key === 'other') {
        const o = value as { lang: string; text: string };
        if (isLang(o.lang)) out.push({ item, lang: o.lang, text: o.text });
      } else if (isLang(key) && typeof value === 'string') out.push({ item, lang: key, text: value });
    }
  }
  return out;
}

const words = (s: string) => new Set((s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2));

/** The shared scoring rule. */
export function isHit(sourceText: string, item: Pick<EvalItem, 'quote' | 'must_contain'>): boolean {
  const lower = sourceText.toLowerCase();
  if (item.must_contain.length && item.must_contain.every((m) => lower.includes(m.toLowerCase()))) return true;
  const quoteWords = words(item.quote);
  if (!quoteWords.size) return false;
  const have = words(sourceText);
  let n = 0;
  for (const w of quoteWords) if (have.has(w)) n++;
  return n >= quoteWords.size / 2;
}

export interface QuestionResult {
  id: string;
  split: string;
  lang: Lang;
  /** 1-based rank of the first hit among the top k, or 0. */
  rank: number;
}

/** Runs every question through the retriever (language given or detected by `langOf`). */
export async function evaluate(
  retriever: Retriever,
  questions: EvalQuestion[],
  opts: { k?: number; langOf?: (q: EvalQuestion) => Lang | undefined; onProgress?: (done: number) => void } = {},
): Promise<QuestionResult[]> {
  const k = opts.k ?? 5;
  const results: QuestionResult[] = [];
  for (const q of questions) {
    const passages = await retriever.search(q.text, { lang: opts.langOf ? opts.langOf(q) : q.lang, k });
    const idx = passages.findIndex((p) => isHit(p.text, q.item));
    results.push({ id: q.item.id, split: q.item.split ?? '', lang: q.lang, rank: idx + 1 });
    opts.onProgress?.(results.length);
  }
  return results;
}

export interface Metrics {
  n: number;
  hit1: number;
  hit3: number;
  hit5: number;
  mrr: number;
}

/** hit@1/3/5 and MRR (over the top 5) of a set of results. */
export function metrics(results: QuestionResult[]): Metrics {
  const n = results.length || 1;
  const at = (k: number) => results.filter((r) => r.rank > 0 && r.rank <= k).length / n;
  const mrr = results.reduce((s, r) => s + (r.rank > 0 ? 1 / r.rank : 0), 0) / n;
  return { n: results.length, hit1: at(1), hit3: at(3), hit5: at(5), mrr };
}

/** Metrics per language (in the order given) and overall. */
export function metricsByLanguage(results: QuestionResult[], langs: readonly Lang[]): Array<{ lang: string } & Metrics> {
  const rows = langs
    .map((lang) => ({ lang: lang as string, ...metrics(results.filter((r) => r.lang === lang)) }))
    .filter((r) => r.n > 0);
  rows.push({ lang: 'all', ...metrics(results) });
  return rows;
}
