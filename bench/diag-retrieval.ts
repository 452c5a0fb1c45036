/**
 * Diagnostic for tuning: hit@5 per language of vector-only, text-only and hybrid retrieval on chosen splits.
 *   npx tsx bench/diag-retrieval.ts [splits=dev,set-a] ['{"w":0.55,"g":0.12}' feature weights] ['{"textWeight":0.6}' hybrid]
 */
import { openPglite } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { loadConfig } from '../config.js';
import { openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { evaluate, loadEvalItems, metrics, questionsOf } from '../knowledge/evaluate.js';
import { HybridRetriever, type HybridOptions } from '../knowledge/hybrid-search.js';
import { FEATURE_WEIGHTS } from '../knowledge/embeddings/featurize.js';
import type { OfflineEmbeddings } from '../knowledge/embeddings/offline-embeddings.js';
import { SUPPORTED_LANGS } from '../conversation/languages.js';

const splits = (process.argv[2] ?? 'dev,set-a').split(',');
Object.assign(FEATURE_WEIGHTS as Record<string, number>, JSON.parse(process.argv[3] ?? '{}'));
const hybrid = JSON.parse(process.argv[4] ?? '{}') as Partial<HybridOptions>;
const db = await openPglite();
await migrate(db);
const kb = await openKnowledgeBase(db, loadConfig({}).embeddings);
await kb.ensureIndexed();
const questions = questionsOf(loadEvalItems().filter((i) => splits.includes(i.split ?? '')));
const modes: Record<string, Partial<HybridOptions>> = { vector: { textWeight: 0 }, text: { vectorWeight: 0 }, hybrid: {} };
for (const [name, opts] of Object.entries(modes)) {
  const r = new HybridRetriever(kb.store, kb.embeddings as OfflineEmbeddings, kb.lexicon, { ...hybrid, ...opts });
  const res = await evaluate(r, questions);
  const by = (l: string) => metrics(res.filter((x) => x.lang === l)).hit5.toFixed(2);
  const m = metrics(res);
  console.log(name.padEnd(7), `hit5 ${m.hit5.toFixed(3)} mrr ${m.mrr.toFixed(3)}`, SUPPORTED_LANGS.map((l) => `${l}:${by(l)}`).join(' '));
}
await db.close();
