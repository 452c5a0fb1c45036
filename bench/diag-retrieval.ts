/** Diagnostic: compares retrieval modes (vector only, text only, hybrid, exact sparse cosine) on the eval set. */
import { openPglite } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { loadConfig } from '../config.js';
import { openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { evaluate, loadEvalItems, metrics, questionsOf } from '../knowledge/evaluate.js';
import { HybridRetriever } from '../knowledge/hybrid-search.js';
import { OfflineEmbeddings } from '../knowledge/embeddings/offline-embeddings.js';
import { SUPPORTED_LANGS } from '../conversation/languages.js';

const db = await openPglite();
await migrate(db);
const kb = await openKnowledgeBase(db, loadConfig({}).embeddings);
await kb.ensureIndexed();
const questions = questionsOf(loadEvalItems());
const modes: Record<string, ConstructorParameters<typeof HybridRetriever>[3]> = {
  vector: { textWeight: 0 },
  text: { vectorWeight: 0 },
  hybrid: {},
};
for (const [name, opts] of Object.entries(modes)) {
  const r = new HybridRetriever(kb.store, kb.embeddings as OfflineEmbeddings, kb.lexicon, opts);
  const res = await evaluate(r, questions);
  const by = (l: string) => metrics(res.filter((x) => x.lang === l)).hit5.toFixed(2);
  console.log(name.padEnd(8), 'all', metrics(res).hit5.toFixed(3), SUPPORTED_LANGS.map((l) => `${l}:${by(l)}`).join(' '));
}
await db.close();
