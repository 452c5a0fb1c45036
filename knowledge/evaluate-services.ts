/**
 * Evaluation of practical answers: service-seeking questions (need + group + place, eval/services/services.jsonl)
 * asked through the whole answer path, as people text them, with the language detected as in production.
 * A question is answered when the answer's knowledge card is one of the expected cards (card@1) or one of the
 * services it lists first (top 3) is one of the expected directory services (services@3); hit@3 is either.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AskService } from '../conversation/ask-service.js';
import { isLang, SUPPORTED_LANGS, type Lang } from '../conversation/languages.js';
import { EVAL_DIR } from './evaluate.js';

/** Kept out of eval/*.jsonl on purpose: the plan-retrieval evaluation reads every file there. */
export const SERVICE_QUESTIONS_FILE = join(EVAL_DIR, 'services', 'services.jsonl');

const ServiceQuestionSchema = z.object({
  id: z.string().regex(/^sv-\d{3}$/),
  lang: z.string().refine(isLang, 'a supported language code'),
  q: z.string().trim().min(3),
  /** Taxonomy need ids the question is about. */
  needs: z.array(z.string()),
  /** Taxonomy group ids the question names (families, women, …). */
  groups: z.array(z.string()),
  /** The place as the question names it, or null. */
  place: z.string().nullable(),
  expect: z.object({
    /** Knowledge cards that answer the question (any of them counts). */
    cards: z.array(z.string()),
    /** Directory services a good answer lists (any of them in the top 3 counts). */
    services: z.array(z.string()),
  }),
});

/** One service-seeking question with what a good answer gives. */
export type ServiceQuestion = Omit<z.infer<typeof ServiceQuestionSchema>, 'lang'> & { lang: Lang };

/** Reads and checks the questions; throws naming the file, line and field of the first problem. */
export function loadServiceQuestions(file = SERVICE_QUESTIONS_FILE): ServiceQuestion[] {
  const out: ServiceQuestion[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: ${(err as Error).message}`);
      }
      const parsed = ServiceQuestionSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`${file}:${i + 1}: ${issue.path.join('.')}: ${issue.message}`);
      }
      out.push(parsed.data as ServiceQuestion);
    });
  return out;
}

/** What one question got. */
export interface ServiceResult {
  id: string;
  lang: Lang;
  /** The answer's card is one of the expected cards. */
  cardHit: boolean;
  /** One of the first three services listed is expected. */
  serviceHit3: boolean;
  /** Either of the two. */
  hit3: boolean;
  /** The card the answer rests on, if any. */
  card: string | undefined;
  /** Ids of the services the answer lists, in order. */
  services: string[];
  /** The language the answer path detected. */
  detected: Lang;
}

/** Asks every question (language not given: detected as in production) and scores the answer. */
export async function evaluateServices(
  ask: Pick<AskService, 'ask'>,
  questions: ServiceQuestion[],
  onProgress?: (done: number, q: ServiceQuestion) => void,
): Promise<ServiceResult[]> {
  const results: ServiceResult[] = [];
  for (const q of questions) {
    const res = await ask.ask({ text: q.q, channel: 'eval' });
    results.push(score(q, res.card?.id, res.services.map((s) => s.id), res.lang));
    onProgress?.(results.length, q);
  }
  return results;
}

/** Scores one answer against a question's expectations. */
export function score(q: ServiceQuestion, card: string | undefined, services: string[], detected: Lang = q.lang): ServiceResult {
  const cardHit = card !== undefined && q.expect.cards.includes(card);
  const serviceHit3 = services.slice(0, 3).some((id) => q.expect.services.includes(id));
  return { id: q.id, lang: q.lang, cardHit, serviceHit3, hit3: cardHit || serviceHit3, card, services, detected };
}

/** One row of the summary: a language, or "all". */
export interface ServiceSummaryRow {
  lang: string;
  n: number;
  card1: number;
  services3: number;
  hit3: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** card@1, services@3 and hit@3 (3 decimals) per language, in the order of SUPPORTED_LANGS, then "all". */
export function summarize(results: Pick<ServiceResult, 'lang' | 'cardHit' | 'serviceHit3' | 'hit3'>[]): ServiceSummaryRow[] {
  const row = (lang: string, rs: typeof results): ServiceSummaryRow => {
    const share = (f: (r: (typeof results)[number]) => boolean) => (rs.length ? round3(rs.filter(f).length / rs.length) : 0);
    return { lang, n: rs.length, card1: share((r) => r.cardHit), services3: share((r) => r.serviceHit3), hit3: share((r) => r.hit3) };
  };
  const rows = SUPPORTED_LANGS.map((l) => row(l, results.filter((r) => r.lang === l))).filter((r) => r.n > 0);
  rows.push(row('all', results));
  return rows;
}

/** The summary as rows for scripts/cli.ts printTable (column names as the report shows them). */
export function formatTable(rows: ServiceSummaryRow[]): Array<Record<string, string | number>> {
  return rows.map((r) => ({ lang: r.lang, n: r.n, 'card@1': r.card1.toFixed(3), 'services@3': r.services3.toFixed(3), 'hit@3': r.hit3.toFixed(3) }));
}
