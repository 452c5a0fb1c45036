/**
 * npm run eval — retrieval quality on eval/*.jsonl: hit@1, hit@3, hit@5 and MRR per language and overall.
 * Builds a fresh in-memory index from the corpus (reproducible, does not touch the running service's database);
 * --configured uses the configured database instead. The question's language is detected as in production
 * (--given-lang uses the item's language). EMBEDDINGS_PROVIDER selects the embedder, so providers compare here.
 *   npm run eval -- [--split dev,set-a] [--misses] [--given-lang] [--configured] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { detectLanguage } from '../conversation/detect-language.js';
import { SUPPORTED_LANGS } from '../conversation/languages.js';
import { openPglite } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { evaluate, loadEvalItems, metrics, metricsByLanguage, questionsOf } from '../knowledge/evaluate.js';
import { openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { configOrExit, openKnowledgeOrExit, printTable, progressBar } from './cli.js';

const { values } = parseArgs({
  options: {
    split: { type: 'string' },
    misses: { type: 'boolean', default: false },
    'given-lang': { type: 'boolean', default: false },
    configured: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const config = configOrExit();
const started = performance.now();
const { db, kb } = values.configured
  ? await openKnowledgeOrExit(config)
  : await (async () => {
      const mem = await openPglite();
      await migrate(mem);
      return { db: mem, kb: await openKnowledgeBase(mem, config.embeddings) };
    })();
const ingest = await kb.ensureIndexed();
const ingestSeconds = (performance.now() - started) / 1000;

const splits = values.split?.split(',').map((s) => s.trim());
const items = loadEvalItems().filter((i) => !splits || splits.includes(i.split ?? ''));
const questions = questionsOf(items);
const bar = progressBar('eval', questions.length);
let detectedRight = 0;
const t0 = performance.now();
const results = await evaluate(kb.retriever, questions, {
  langOf: (q) => {
    if (values['given-lang']) return q.lang;
    const d = detectLanguage(q.text).lang;
    if (d === q.lang) detectedRight++;
    return d;
  },
  onProgress: (n) => bar.update(n),
});
bar.stop();
const searchMs = (performance.now() - t0) / questions.length;

const pct = (x: number) => Number(x.toFixed(3));
console.log(`\nRetrieval on ${items.length} items, ${questions.length} questions (${kb.store.model}, ${db.kind})\n`);
printTable(
  metricsByLanguage(results, SUPPORTED_LANGS).map((r) => ({
    lang: r.lang, n: r.n, 'hit@1': pct(r.hit1), 'hit@3': pct(r.hit3), 'hit@5': pct(r.hit5), MRR: pct(r.mrr),
  })),
);
const bySplit = [...new Set(results.map((r) => r.split))].map((s) => ({ split: s, ...metrics(results.filter((r) => r.split === s)) }));
console.log('');
printTable(bySplit.map((r) => ({ split: r.split, n: r.n, 'hit@1': pct(r.hit1), 'hit@3': pct(r.hit3), 'hit@5': pct(r.hit5), MRR: pct(r.mrr) })));
console.log(
  `\nlanguage detected correctly: ${values['given-lang'] ? 'n/a (given)' : pct(detectedRight / questions.length)}; ` +
    `index ${ingest ? 'built' : 'reused'} in ${ingestSeconds.toFixed(1)} s; ${searchMs.toFixed(1)} ms per question`,
);
if (values.misses) {
  console.log('\nMisses (no hit in the top 5):');
  results.forEach((r, i) => {
    if (!r.rank) console.log(`  ${r.id} [${r.lang}] ${questions[i]!.text}`);
  });
}
if (values.json) writeFileSync(values.json, JSON.stringify({ model: kb.store.model, results }, null, 2));
await db.close();
