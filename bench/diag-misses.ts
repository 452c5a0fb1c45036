/** Diagnostic: lists missed questions of one language with their concepts, the top passages and the expected lines. */
import { openPglite } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { loadConfig } from '../config.js';
import { openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { isHit, loadEvalItems, questionsOf } from '../knowledge/evaluate.js';
import { queryLanguages } from '../knowledge/embeddings/featurize.js';
import { isLang, type Lang } from '../conversation/languages.js';

// npx tsx bench/diag-misses.ts <lang> [limit] [splits, e.g. dev,set-a]
const lang = (isLang(process.argv[2]) ? process.argv[2] : 'nl') as Lang;
const limit = Number(process.argv[3] ?? 15);
const splits = (process.argv[4] ?? 'dev,set-a').split(',');
const db = await openPglite();
await migrate(db);
const kb = await openKnowledgeBase(db, loadConfig({}).embeddings);
await kb.ensureIndexed();
let shown = 0;
for (const q of questionsOf(loadEvalItems().filter((i) => splits.includes(i.split ?? ''))).filter((x) => x.lang === lang)) {
  const ps = await kb.retriever.search(q.text, { lang, k: 5 });
  if (ps.some((p) => isHit(p.text, q.item))) continue;
  const concepts = [...new Set(kb.lexicon.match(q.text, queryLanguages(lang)).map((m) => m.concept))];
  const { rows } = await db.query<{ id: number; line_from: number; line_to: number; concepts: string[]; text: string }>(
    `SELECT id, line_from, line_to, concepts, text FROM chunks WHERE document_id = $1 AND line_from <= $3 AND line_to >= $2`,
    [q.item.seed.replace('.txt', ''), q.item.lines[0], q.item.lines[1]],
  );
  console.log(`\n## ${q.item.id} ${q.text}\n   q-concepts: ${concepts.join(', ')}`);
  for (const r of rows) console.log(`   EXPECTED ${r.id} ${r.line_from}-${r.line_to} hit=${isHit(r.text, q.item)} concepts: ${r.concepts.join(', ')}`);
  for (const p of ps) console.log(`   got ${p.chunkId} ${p.documentId.slice(0, 3)} ${p.lineFrom}-${p.lineTo} s=${p.score.toFixed(2)} ${p.headings.at(-1)?.slice(0, 50)} | ${p.concepts.filter((c) => concepts.includes(c)).join(',')}`);
  if (++shown >= limit) break;
}
await db.close();
