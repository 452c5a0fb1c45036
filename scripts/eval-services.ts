/**
 * npm run eval:services — practical answers on eval/services/services.jsonl: card@1, services@3 and hit@3 per
 * language and overall, through the answer path the app uses (language detection, card choice, directory search).
 * Builds a fresh in-memory database (migrate, index the plans and cards, import the directory seed), so it is
 * reproducible and never touches the running service's data. It measures; it always exits 0 once it has run.
 *   npm run eval:services -- [--misses] [--json] [--file other.jsonl]
 */
import { parseArgs } from 'node:util';
import { openPglite } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { evaluateServices, formatTable, loadServiceQuestions, summarize } from '../knowledge/evaluate-services.js';
import { openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { createLogger } from '../logger.js';
import { createAskService, createDirectory, prepareDirectory } from '../server.js';
import { configOrExit, printTable, progressBar } from './cli.js';

const { values } = parseArgs({
  options: {
    misses: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    file: { type: 'string' },
  },
});
const config = configOrExit();
const logger = createLogger('silent');
const started = performance.now();
const db = await openPglite();
await migrate(db);
const kb = await openKnowledgeBase(db, config.embeddings);
await kb.ensureIndexed();
const directory = createDirectory(db);
// A fresh database always gets the seed, whatever DIRECTORY_SEED_ON_START says for the running service.
await prepareDirectory({ ...config, directory: { ...config.directory, seedOnStart: true } }, { db, directory, logger });
const ask = createAskService(config, db, kb, logger, directory);
const buildSeconds = (performance.now() - started) / 1000;

const questions = loadServiceQuestions(values.file);
const bar = progressBar('eval:services', questions.length);
const t0 = performance.now();
const results = await evaluateServices(ask, questions, (n, q) => bar.update(n, q.id));
bar.stop();
const askMs = (performance.now() - t0) / Math.max(1, questions.length);

if (values.json) {
  // card: null rather than a missing key, so every result has the same fields.
  console.log(JSON.stringify({ model: kb.store.model, summary: summarize(results), results: results.map((r) => ({ ...r, card: r.card ?? null })) }, null, 2));
} else {
  console.log(`\nService answers on ${questions.length} questions (${kb.store.model}, ${db.kind})\n`);
  printTable(formatTable(summarize(results)));
  const detected = results.filter((r) => r.detected === r.lang).length / Math.max(1, results.length);
  console.log(
    `\nlanguage detected correctly: ${detected.toFixed(3)}; database built in ${buildSeconds.toFixed(1)} s; ` +
      `${askMs.toFixed(0)} ms per question`,
  );
  if (values.misses) {
    console.log('\nMisses (neither an expected card nor an expected service in the top 3):');
    results.forEach((r, i) => {
      if (r.hit3) return;
      const q = questions[i]!;
      console.log(`  ${r.id} [${r.lang}${r.detected !== r.lang ? `→${r.detected}` : ''}] ${q.q}`);
      console.log(`      got card ${r.card ?? '—'}; services ${r.services.slice(0, 3).join(', ') || '—'}`);
      console.log(`      expected cards ${q.expect.cards.join(', ') || '—'}; services ${q.expect.services.slice(0, 4).join(', ')}${q.expect.services.length > 4 ? ', …' : ''}`);
    });
  }
}
await db.close();
process.exit(0);
