/**
 * Benchmark of the embedded default (npm run bench): full ingestion time and memory on PGlite in a temporary
 * DATA_DIR, then /api/ask over real loopback HTTP — 60 questions from eval/*.jsonl in all languages, sequential
 * (3 rounds) and with 4 requests in flight, then the 72 service questions of eval/services (card, directory search,
 * service lines), then bot turns through /api/messages (bench/bot-turns.ts). Timings live here, never in pass/fail tests.
 *   npm run bench            # or: npx tsx bench/run.ts [rounds=3] [concurrency=4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { openPglite } from '../db/database.js';
import { loadEvalItems, questionsOf } from '../knowledge/evaluate.js';
import { createLogger } from '../logger.js';
import { printTable, progressBar } from '../scripts/cli.js';
import { buildApp, createDependencies, prepareDirectory } from '../server.js';
import { loadServiceQuestions } from '../knowledge/evaluate-services.js';
import { DirectoryRepository } from '../directory/directory.repository.js';
import { benchBotTurns } from './bot-turns.js';

const ROUNDS = Math.min(20, Math.max(1, Number(process.argv[2] ?? 3) || 3));
const CONCURRENCY = Math.min(32, Math.max(1, Number(process.argv[3] ?? 4) || 4));
const QUESTIONS = 60;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** 60 questions spread over every eval item file, cycling through each item's languages (nl, fr, en, other). */
function pickQuestions(): Array<{ lang: string; text: string }> {
  const items = loadEvalItems();
  const out: Array<{ lang: string; text: string }> = [];
  for (let i = 0; i < Math.min(QUESTIONS, items.length); i++) {
    const variants = questionsOf([items[Math.floor((i * items.length) / QUESTIONS)]!]);
    const q = variants[i % variants.length];
    if (q) out.push({ lang: q.lang, text: q.text });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

const dataDir = mkdtempSync(join(tmpdir(), 'infoline-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
const rows: Array<Record<string, string | number>> = [];
const rssBefore = process.memoryUsage().rss;
let server: ReturnType<ReturnType<typeof buildApp>['listen']> | undefined;
let close: (() => Promise<void>) | undefined;
try {
  const deps = await createDependencies(config, createLogger('silent'), await openPglite(dataDir));
  close = () => deps.db.close();

  // 1. Full ingestion into an empty database.
  let ingestBar: ReturnType<typeof progressBar> | undefined;
  const started = performance.now();
  const summary = await deps.kb.ingest((done, total, label) => {
    ingestBar ??= progressBar('ingest      ', total);
    ingestBar.update(done, label);
  });
  const ingestSeconds = (performance.now() - started) / 1000;
  ingestBar?.stop();
  const rssAfterIngest = process.memoryUsage().rss;
  deps.readiness.ready = true;
  rows.push({ measure: 'ingestion', value: `${ingestSeconds.toFixed(1)} s`, detail: `${summary.documents} documents, ${summary.chunks} chunks` });
  const seedStarted = performance.now();
  await prepareDirectory(config, deps);
  const counts = await new DirectoryRepository(deps.db).counts();
  rows.push({ measure: 'directory seed import', value: `${((performance.now() - seedStarted) / 1000).toFixed(2)} s`, detail: `${counts.services} services, ${counts.attributes} category links` });
  rows.push({ measure: 'RSS after ingestion', value: `${mb(rssAfterIngest)} MB`, detail: `${mb(rssBefore)} MB at start, heap ${mb(process.memoryUsage().heapUsed)} MB` });

  // 2. The real app on an ephemeral loopback port.
  server = buildApp(config, deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server!.once('listening', resolve).once('error', reject));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ask`;
  const questions = pickQuestions();
  const langs = [...new Set(questions.map((q) => q.lang))].sort();
  let errors = 0;
  const askOnce = async (q: { text: string }): Promise<number> => {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: q.text }) });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
    return performance.now() - t;
  };
  await askOnce(questions[0]!); // warm-up (JIT, first query plans); not counted

  /** Sends every question `ROUNDS` times with `inFlight` workers; returns latencies and wall time. */
  async function run(name: string, inFlight: number, qs: Array<{ text: string }> = questions): Promise<void> {
    const jobs = Array.from({ length: ROUNDS * qs.length }, (_, i) => qs[i % qs.length]!);
    const latencies: number[] = [];
    const bar = progressBar(name.padEnd(12), jobs.length);
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < jobs.length) {
          latencies.push(await askOnce(jobs[next++]!));
          bar.update(latencies.length);
        }
      }),
    );
    const wall = (performance.now() - t) / 1000;
    bar.stop();
    const s = [...latencies].sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    rows.push({
      measure: `/api/ask ${name}`,
      value: `${(latencies.length / wall).toFixed(1)} req/s`,
      detail: `n=${s.length} p50 ${ms(percentile(s, 50))} p95 ${ms(percentile(s, 95))} p99 ${ms(percentile(s, 99))} max ${ms(s[s.length - 1]!)}`,
    });
  }
  await run('sequential', 1);
  await run(`${CONCURRENCY} in flight`, CONCURRENCY);
  // Practical questions: card choice + directory search + service lines on top of retrieval.
  const serviceQuestions = loadServiceQuestions().map((q) => ({ text: q.q }));
  await run('services seq', 1, serviceQuestions);
  // Bot turns through /api/messages: 24 conversations (2 per language), 11 turns each.
  const base = url.replace(/\/api\/ask$/, '');
  for (const st of await benchBotTurns(base, questions, 24)) {
    const s = [...st.latencies].sort((a, b) => a - b);
    errors += st.errors;
    rows.push({
      measure: `/api/messages ${st.name}`, value: `p50 ${percentile(s, 50).toFixed(1)} ms`,
      detail: `n=${s.length} p95 ${percentile(s, 95).toFixed(1)} ms p99 ${percentile(s, 99).toFixed(1)} ms max ${s[s.length - 1]!.toFixed(1)} ms`,
    });
  }
  rows.push({ measure: 'RSS after requests', value: `${mb(process.memoryUsage().rss)} MB`, detail: `non-200 responses: ${errors}` });

  console.log(`\n${questions.length} questions (${langs.join(', ')}) x ${ROUNDS} rounds, embedded PGlite, ${config.embeddings.provider} embeddings, Node ${process.version}\n`);
  printTable(rows, ['measure', 'value', 'detail']);
  console.log(`\nReproduce: npm run bench   (or npx tsx bench/run.ts ${ROUNDS} ${CONCURRENCY}   # rounds, requests in flight)`);
  if (errors) process.exitCode = 1;
} finally {
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  await close?.();
  rmSync(dataDir, { recursive: true, force: true });
}
