import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { Lexicon, defaultLexicon } from '../../knowledge/embeddings/lexicon.js';
import { OfflineEmbeddings } from '../../knowledge/embeddings/offline-embeddings.js';
import { CHUNKER_VERSION, indexIsStale, ingestCorpus } from '../../knowledge/ingest/ingest.js';
import { PgKnowledgeStore } from '../../knowledge/knowledge-store.js';
import type { DocumentMeta } from '../../knowledge/types.js';
import { CORPUS, IDS, rawLines } from './helpers.js';

describe('ingestCorpus', () => {
  let db: Database;
  let corpusDir: string;
  let store: PgKnowledgeStore;
  const embeddings = new OfflineEmbeddings();
  const lexicon = defaultLexicon();
  const run = () => ingestCorpus({ store, embeddings, lexicon, corpusDir });
  const chunkIds = async (doc: string) =>
    (await db.query<{ id: string }>('SELECT id FROM chunks WHERE document_id = $1 ORDER BY id', [doc])).rows.map((r) => String(r.id));

  beforeAll(async () => {
    corpusDir = mkdtempSync(join(tmpdir(), 'infoline-corpus-'));
    cpSync(CORPUS, corpusDir, { recursive: true });
    db = await openPglite();
    await migrate(db);
    store = await PgKnowledgeStore.create(db, embeddings);
  });
  afterAll(async () => {
    await db.close();
    rmSync(corpusDir, { recursive: true, force: true });
  });

  it('should index every plan with chunks, line ranges, concepts, full-text vectors and embeddings', async () => {
    expect(await indexIsStale(store, corpusDir)).toBe(true);
    const indexDef = `SELECT indexdef FROM pg_indexes WHERE indexname = 'chunk_embeddings_hnsw_4000'`;
    const fromMigration = (await db.query(indexDef)).rows;
    const summary = await run();
    // The bulk load drops and rebuilds the HNSW index: it must come back exactly as the migration made it.
    expect((await db.query(indexDef)).rows).toEqual(fromMigration);
    expect(fromMigration).toHaveLength(1);
    expect(summary.rows.map((r) => r.status)).toEqual(IDS.map(() => 'new'));
    expect(summary.documents).toBe(5);
    const counts = await store.counts();
    expect(counts.chunks).toBeGreaterThan(300);
    expect(counts.vectors).toBe(counts.chunks);
    const { rows } = await db.query<{ document_id: string; line_from: number; line_to: number; n_concepts: number; tsv_empty: boolean }>(
      `SELECT document_id, line_from, line_to, cardinality(concepts) AS n_concepts, tsv = ''::tsvector AS tsv_empty FROM chunks`,
    );
    for (const r of rows) {
      expect(r.line_from).toBeGreaterThanOrEqual(1);
      expect(r.line_to).toBeLessThanOrEqual(rawLines(r.document_id).length);
      expect(r.line_from).toBeLessThanOrEqual(r.line_to);
      expect(r.tsv_empty).toBe(false);
    }
    // Most passages mention at least one concept of the lexicon (that is what bridges the languages).
    expect(rows.filter((r) => r.n_concepts > 0).length / rows.length).toBeGreaterThan(0.9);
    const meta = await db.query<{ scope: string; chunker: string }>(`SELECT scope, chunker FROM documents WHERE id = $1`, ['003_202ad49bcd0c2b9b']);
    expect(meta.rows[0]).toEqual({ scope: 'limburg', chunker: CHUNKER_VERSION });
    expect(await indexIsStale(store, corpusDir)).toBe(false);
  });

  it('should change nothing when re-ingesting unchanged files', async () => {
    const before = await db.query('SELECT id, text, line_from FROM chunks ORDER BY id');
    const summary = await run();
    expect(summary.changed).toBe(false);
    expect(summary.rows.every((r) => r.status === 'unchanged')).toBe(true);
    expect((await db.query('SELECT id, text, line_from FROM chunks ORDER BY id')).rows).toEqual(before.rows);
  });

  it('should re-chunk a changed document alone', async () => {
    const file = join(corpusDir, '001_c1465b57ccda06e5.txt');
    const untouched = await chunkIds('004_cb8e911b77208c6d');
    const old = await chunkIds('001_c1465b57ccda06e5');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nExtra paragraaf over de inloopcentra van de buurt voor daklozen.\n`);
    const summary = await run();
    expect(summary.rows.filter((r) => r.status !== 'unchanged').map((r) => [r.document, r.status])).toEqual([
      ['001_c1465b57ccda06e5', 'changed'],
    ]);
    expect(await chunkIds('004_cb8e911b77208c6d')).toEqual(untouched);
    const renewed = await chunkIds('001_c1465b57ccda06e5');
    expect(renewed.some((id) => old.includes(id))).toBe(false);
    const last = await db.query<{ text: string }>(`SELECT text FROM chunks WHERE document_id = $1 ORDER BY ordinal DESC LIMIT 1`, ['001_c1465b57ccda06e5']);
    expect(last.rows[0]!.text).toContain('inloopcentra');
  });

  it('should remove a document that left the corpus', async () => {
    const metaFile = join(corpusDir, 'corpus.json');
    const metas = JSON.parse(readFileSync(metaFile, 'utf8')) as DocumentMeta[];
    writeFileSync(metaFile, JSON.stringify(metas.filter((m) => m.id !== '003_202ad49bcd0c2b9b')));
    const summary = await run();
    expect(summary.rows.find((r) => r.status === 'removed')).toBeDefined();
    expect(await chunkIds('003_202ad49bcd0c2b9b')).toEqual([]);
    expect(summary.documents).toBe(4);
  });

  it('should rebuild every vector when the embedding model changes, and keep the chunks', async () => {
    const chunksBefore = (await db.query('SELECT id FROM chunks ORDER BY id')).rows;
    const other = new OfflineEmbeddings({ lexicon: new Lexicon([{ id: 'only.one', nl: ['opvang'] }], 'othermodel01') });
    const otherStore = await PgKnowledgeStore.create(db, other);
    expect(otherStore.model).not.toBe(store.model);
    const summary = await ingestCorpus({ store: otherStore, embeddings: other, lexicon, corpusDir });
    const row = summary.rows.find((r) => r.status === 're-embedded');
    expect(row?.chunks).toBe(chunksBefore.length);
    expect((await db.query('SELECT id FROM chunks ORDER BY id')).rows).toEqual(chunksBefore);
    const models = await db.query<{ model: string; n: number }>('SELECT model, count(*)::int AS n FROM chunk_embeddings GROUP BY model');
    expect(models.rows).toEqual([{ model: other.model, n: chunksBefore.length }]);
  });
});
