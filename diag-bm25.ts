import { openPglite } from '/work/main/db/database.js';
import { migrate } from '/work/main/db/migrate.js';
import { loadConfig } from '/work/main/config.js';
import { openKnowledgeBase } from '/work/main/knowledge/knowledge-base.js';
import { loadEvalItems, questionsOf, isHit } from '/work/main/knowledge/evaluate.js';
import { OfflineEmbeddings } from '/work/main/knowledge/embeddings/offline-embeddings.js';
import { featurize } from '/work/main/knowledge/embeddings/featurize.js';
import { SUPPORTED_LANGS } from '/work/main/conversation/languages.js';
const db = await openPglite(); await migrate(db);
const kb = await openKnowledgeBase(db, loadConfig({}).embeddings); await kb.ensureIndexed();
const emb = kb.embeddings as OfflineEmbeddings;
const { rows } = await db.query<{ text: string; headings: string[] }>('select text, headings from chunks order by id');
// raw counts per doc
const docs = rows.map(r => { const t = r.headings.join('\n') + '\n' + r.text; const f = featurize(emb.lexicon, t, { mode: 'document', lang: 'nl' }).features; const hf = featurize(emb.lexicon, r.headings.join('\n'), { mode: 'document', lang: 'nl' }).features; let len = 0; for (const v of f.values()) len += v; return { r, f, hf, len }; });
const avg = docs.reduce((s, d) => s + d.len, 0) / docs.length;
const df: Record<string, number> = {}; for (const d of docs) for (const k of d.f.keys()) df[k] = (df[k] ?? 0) + 1;
const N = docs.length;
const qs = questionsOf(loadEvalItems());
const [k1, b, hw, fam] = [Number(process.argv[2] ?? 1.2), Number(process.argv[3] ?? 0.75), Number(process.argv[4] ?? 0), process.argv[5] ?? 'cwg'];
const res: Record<string, number[]> = {};
for (const q of qs) {
  const { features: qf } = featurize(emb.lexicon, q.text, { mode: 'query', lang: q.lang });
  const scored = docs.map(d => { let s = 0; for (const [k, qv] of qf) { if (!fam.includes(k[0]!)) continue; const tf = d.f.get(k); if (!tf) continue; const idf = Math.log(1 + (N - df[k]! + 0.5) / (df[k]! + 0.5)); s += qv * idf * (tf * (k1 + 1)) / (tf + k1 * (1 - b + b * d.len / avg)) + (d.hf.has(k) ? hw * idf * qv : 0); } return { d, s }; }).sort((a, b) => b.s - a.s).slice(0, 5);
  (res[q.lang] ??= []).push(scored.some(x => isHit(x.d.r.text, q.item)) ? 1 : 0);
}
const all = Object.values(res).flat();
console.log(process.argv.slice(2).join(' '), 'all', (all.reduce((a, b) => a + b, 0) / all.length).toFixed(3), SUPPORTED_LANGS.map(l => `${l}:${((res[l] ?? []).reduce((a, b) => a + b, 0) / ((res[l] ?? [1]).length)).toFixed(2)}`).join(' '));
await db.close();
