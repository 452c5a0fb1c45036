/**
 * The knowledge store on PostgreSQL + pgvector (PGlite or a server, through db/database.ts).
 * A LangChain VectorStore, so LangChain retrievers work on it (`store.asRetriever()`), with the project's
 * own extras: whole-document upserts with content hashes, full-text search and hybrid search inputs.
 * SQL values are always parameters; the only identifiers spliced in are whitelisted constants.
 *
 * @example
 *   const store = await PgKnowledgeStore.create(db, new OfflineEmbeddings());
 *   const docs = await store.similaritySearch('uithuiszetting', 5);
 */
import { VectorStore } from '@langchain/core/vectorstores';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import pgvector from 'pgvector';
import type { Database, Queryable } from '../db/database.js';
import { isLang, type Lang } from '../conversation/languages.js';
import type { Chunk, DocumentMeta, Passage, Scope, SourceKind } from './types.js';

/** Filter accepted by the store's searches. */
export interface KnowledgeFilter {
  documentIds?: string[];
  kinds?: SourceKind[];
}

export interface KnowledgeStoreOptions {
  /** Identifies the embedding model; vectors of another model are ignored and rebuilt. */
  model: string;
  /** Vector size of the model. */
  dims: number;
}

/** PostgreSQL text-search configuration per language (pg's built-in snowball configurations). */
const TS_CONFIG: Record<Lang, string> = {
  nl: 'dutch', fr: 'french', en: 'english', es: 'spanish', pt: 'portuguese', ro: 'romanian',
  ru: 'russian', tr: 'turkish', ar: 'arabic', pl: 'simple', bg: 'simple', uk: 'simple',
};

/** Row shape shared by the search queries. */
interface PassageRow {
  id: string | number;
  document_id: string;
  kind: SourceKind;
  title: string;
  short_title: string;
  organisation: string;
  year: number;
  scope: Scope;
  programmatic: boolean;
  headings: string[];
  line_from: number;
  line_to: number;
  lang: string;
  text: string;
  concepts: string[];
  score: number;
}

const PASSAGE_COLUMNS = `c.id, c.document_id, d.kind, d.title, d.short_title, d.organisation, d.year, d.scope,
  d.programmatic, c.headings, c.line_from, c.line_to, c.lang, c.text, c.concepts`;

export class PgKnowledgeStore extends VectorStore {
  declare FilterType: KnowledgeFilter;
  readonly db: Database;
  readonly model: string;
  readonly dims: number;

  private constructor(db: Database, embeddings: EmbeddingsInterface, opts: KnowledgeStoreOptions) {
    super(embeddings, {});
    if (!Number.isInteger(opts.dims) || opts.dims < 1 || opts.dims > 16000) throw new Error(`Invalid dims ${opts.dims}`);
    this.db = db;
    this.model = opts.model;
    this.dims = opts.dims;
  }

  /** Creates the store; the schema comes from db/migrations (run migrate() first). */
  static async create(
    db: Database,
    embeddings: EmbeddingsInterface & { model?: string; dims?: number },
    opts?: Partial<KnowledgeStoreOptions>,
  ): Promise<PgKnowledgeStore> {
    const model = opts?.model ?? embeddings.model;
    let dims = opts?.dims ?? embeddings.dims;
    if (!model) throw new Error('PgKnowledgeStore needs the embedding model name (opts.model).');
    if (!dims) dims = (await embeddings.embedQuery('dimension probe')).length;
    return new PgKnowledgeStore(db, embeddings, { model, dims });
  }

  _vectorstoreType(): string {
    return 'pg-knowledge';
  }

  /** LangChain entry point: embeds and stores chunk documents (metadata: documentId, ordinal, lines, headings). */
  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents);
  }

  /** Stores chunks with their vectors; their document row must exist (see replaceDocument). */
  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < documents.length; i++) {
        const d = documents[i]!;
        const m = d.metadata as Partial<Chunk> & { lang?: string; concepts?: string[] };
        if (!m.documentId) throw new Error('addVectors: metadata.documentId is required');
        const lang: Lang = isLang(m.lang) ? m.lang : 'nl';
        const id = await this.insertChunk(tx, {
          documentId: m.documentId, ordinal: m.ordinal ?? i, headings: m.headings ?? [], text: d.pageContent,
          lineFrom: m.lineFrom ?? 0, lineTo: m.lineTo ?? 0, concepts: m.concepts ?? [],
        }, lang, vectors[i]!);
        ids.push(id);
      }
      return ids;
    });
  }

  /** Inserts one chunk (full-text vectors over headings + text) and its embedding; returns the chunk id. */
  private async insertChunk(q: Queryable, c: Chunk & { concepts: string[] }, lang: Lang, vector: number[]): Promise<string> {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO chunks (document_id, ordinal, headings, text, line_from, line_to, lang, concepts, tsv, tsv_simple)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_tsvector($9::regconfig, $10), to_tsvector('simple', $10))
       RETURNING id`,
      [c.documentId, c.ordinal, c.headings, c.text, c.lineFrom, c.lineTo, lang, c.concepts, TS_CONFIG[lang],
        `${c.headings.join(' ')}\n${c.text}`],
    );
    const id = String(rows[0]!.id);
    await this.insertVector(q, id, vector);
    return id;
  }

  private async insertVector(q: Queryable, chunkId: string, vector: number[]): Promise<void> {
    if (vector.length !== this.dims) throw new Error(`Vector has ${vector.length} dimensions, expected ${this.dims}`);
    await q.query(
      `INSERT INTO chunk_embeddings (chunk_id, model, dims, embedding) VALUES ($1, $2, $3, $4::halfvec)
       ON CONFLICT (chunk_id, model) DO UPDATE SET embedding = EXCLUDED.embedding, dims = EXCLUDED.dims`,
      [chunkId, this.model, this.dims, pgvector.toSql(vector)],
    );
  }

  /** Nearest chunks by inner product, through the HNSW index (score = inner product; cosine for normalised vectors). */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: KnowledgeFilter): Promise<[Document, number][]> {
    const rows = await this.vectorSearch(query, k, filter);
    return rows.map((r) => [toDocument(r), r.score]);
  }

  /** Vector search returning passage rows. */
  async vectorSearch(query: number[], k: number, filter?: KnowledgeFilter): Promise<PassageRow[]> {
    const dims = this.dims;
    const params: unknown[] = [pgvector.toSql(query), this.model, Math.max(1, Math.min(k, 500))];
    const where = filterSql(filter, params);
    // The cast and the dims predicate must match the partial HNSW index of the migration for this dimension.
    const { rows } = await this.db.query<PassageRow>(
      `SELECT ${PASSAGE_COLUMNS}, -((e.embedding::halfvec(${dims})) <#> $1::halfvec(${dims})) AS score
         FROM chunk_embeddings e JOIN chunks c ON c.id = e.chunk_id JOIN documents d ON d.id = c.document_id
        WHERE e.dims = ${dims} AND e.model = $2 ${where}
        ORDER BY (e.embedding::halfvec(${dims})) <#> $1::halfvec(${dims})
        LIMIT $3`,
      params,
    );
    return rows;
  }

  /**
   * Full-text search: `stemmed` is a to_tsquery expression for the documents' language configuration,
   * `plain` one for the language-neutral 'simple' configuration (names, numbers). Either may be empty.
   */
  async fullTextSearch(
    q: { stemmed: string; plain: string; config?: string },
    k: number,
    filter?: KnowledgeFilter,
  ): Promise<PassageRow[]> {
    if (!q.stemmed && !q.plain) return [];
    const config = q.config ?? 'dutch';
    if (!Object.values(TS_CONFIG).includes(config)) throw new Error(`Unknown text-search configuration ${config}`);
    const params: unknown[] = [q.stemmed || '', q.plain || '', Math.max(1, Math.min(k, 500))];
    const where = filterSql(filter, params);
    const { rows } = await this.db.query<PassageRow>(
      `WITH q AS (SELECT CASE WHEN $1 = '' THEN NULL ELSE to_tsquery('${config}', $1) END AS s,
                         CASE WHEN $2 = '' THEN NULL ELSE to_tsquery('simple', $2) END AS p)
       SELECT ${PASSAGE_COLUMNS},
              coalesce(ts_rank(c.tsv, q.s, 1), 0) + 0.5 * coalesce(ts_rank(c.tsv_simple, q.p, 1), 0) AS score
         FROM chunks c JOIN documents d ON d.id = c.document_id, q
        WHERE (c.tsv @@ q.s OR c.tsv_simple @@ q.p) ${where}
        ORDER BY score DESC
        LIMIT $3`,
      params,
    );
    return rows;
  }

  /** Content hash and chunker version of each stored document of a kind, to skip unchanged ones. */
  async documentStates(kind: SourceKind = 'plan'): Promise<Map<string, { hash: string; chunker: string }>> {
    const { rows } = await this.db.query<{ id: string; content_hash: string; chunker: string }>(
      'SELECT id, content_hash, chunker FROM documents WHERE kind = $1',
      [kind],
    );
    return new Map(rows.map((r) => [r.id, { hash: r.content_hash, chunker: r.chunker }]));
  }

  /** Replaces a document and all its chunks (with their vectors) in one transaction. */
  async replaceDocument(
    meta: DocumentMeta & { kind?: SourceKind },
    hash: string,
    chunker: string,
    chunks: Array<Chunk & { concepts: string[]; lang?: string }>,
    vectors: number[][],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM documents WHERE id = $1', [meta.id]);
      await tx.query(
        `INSERT INTO documents (id, kind, title, short_title, organisation, year, scope, lang, programmatic, source_file, content_hash, chunker)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [meta.id, meta.kind ?? 'plan', meta.title, meta.shortTitle, meta.organisation, meta.year, meta.scope, meta.lang,
          meta.programmatic, meta.file, hash, chunker],
      );
      for (let i = 0; i < chunks.length; i++) {
        // A chunk may be in another language than its document (a card has one chunk per language).
        const lang = chunks[i]!.lang;
        await this.insertChunk(tx, chunks[i]!, isLang(lang) ? lang : meta.lang, vectors[i]!);
      }
    });
  }

  /** Removes documents no longer in the corpus. */
  async deleteDocumentsExcept(keep: string[], kind: SourceKind = 'plan'): Promise<number> {
    const { rows } = await this.db.query<{ id: string }>(
      'DELETE FROM documents WHERE kind = $1 AND NOT (id = ANY($2::text[])) RETURNING id',
      [kind, keep],
    );
    return rows.length;
  }

  /** Chunks without a vector of the current model (after a model change), as embedded (headings + text). */
  async chunksMissingVectors(limit = 500): Promise<Array<{ id: string; text: string; lang: string }>> {
    const { rows } = await this.db.query<{ id: string; text: string; lang: string }>(
      `SELECT c.id, array_to_string(c.headings, E'\n') || E'\n' || c.text AS text, c.lang FROM chunks c
        WHERE NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.model = $1)
        ORDER BY c.id LIMIT $2`,
      [this.model, limit],
    );
    return rows.map((r) => ({ ...r, id: String(r.id) }));
  }

  /** How many chunks have no vector of the current model. */
  async countMissingVectors(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM chunks c
        WHERE NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.model = $1)`,
      [this.model],
    );
    return rows[0]!.n;
  }

  /** The HNSW index of this store's dimension, as db/migrations/001 creates it for 4000 (kept identical: a test compares). */
  vectorIndexSql(): { name: string; create: string } {
    const d = this.dims;
    const name = `chunk_embeddings_hnsw_${d}`;
    return {
      name,
      create: `CREATE INDEX IF NOT EXISTS ${name} ON chunk_embeddings USING hnsw ((embedding::halfvec(${d})) halfvec_ip_ops) WITH (m = 8, ef_construction = 32) WHERE dims = ${d}`,
    };
  }

  /** Runs a bulk write with the HNSW index dropped, then builds it once (several times faster than row by row). */
  async bulkLoad<T>(fn: () => Promise<T>): Promise<T> {
    const { name, create } = this.vectorIndexSql();
    const existed = (await this.db.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [name])).rows.length > 0;
    if (existed) await this.db.query(`DROP INDEX IF EXISTS ${name}`);
    try {
      return await fn();
    } finally {
      if (existed) await this.db.query(create);
    }
  }

  /** Updates the planner statistics of the knowledge tables. */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE documents, chunks, chunk_embeddings');
  }

  /** Stores vectors for existing chunks and drops vectors of other models. */
  async setVectors(items: Array<{ id: string; vector: number[] }>): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const it of items) await this.insertVector(tx, it.id, it.vector);
    });
  }

  /** Deletes the vectors of every other model (after a rebuild). */
  async dropOtherModels(): Promise<number> {
    const { rows } = await this.db.query<{ chunk_id: string }>(
      'DELETE FROM chunk_embeddings WHERE model <> $1 RETURNING chunk_id',
      [this.model],
    );
    return rows.length;
  }

  /**
   * The plans' chunk texts as embedded (headings + text), for corpus statistics. Cards are left out: they repeat
   * one answer in 12 languages and would skew how rare a word looks in the plans.
   */
  async allChunkTexts(): Promise<Array<{ text: string; lang: string }>> {
    const { rows } = await this.db.query<{ text: string; lang: string }>(
      `SELECT array_to_string(c.headings, E'\n') || E'\n' || c.text AS text, c.lang FROM chunks c
         JOIN documents d ON d.id = c.document_id WHERE d.kind = 'plan' ORDER BY c.id`,
    );
    return rows;
  }

  /** Counts for health checks and summaries. */
  async counts(): Promise<{ documents: number; chunks: number; vectors: number }> {
    const { rows } = await this.db.query<{ documents: number; chunks: number; vectors: number }>(
      `SELECT (SELECT count(*)::int FROM documents) AS documents, (SELECT count(*)::int FROM chunks) AS chunks,
              (SELECT count(*)::int FROM chunk_embeddings WHERE model = $1) AS vectors`,
      [this.model],
    );
    return rows[0]!;
  }

  /** Reads a kb_meta value. */
  async getMeta(key: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM kb_meta WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  /** Writes a kb_meta value. */
  async setMeta(key: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO kb_meta (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, value],
    );
  }
}

/** Appends whitelisted filter predicates, with their values as parameters. */
function filterSql(filter: KnowledgeFilter | undefined, params: unknown[]): string {
  let sql = '';
  if (filter?.documentIds?.length) {
    params.push(filter.documentIds);
    sql += ` AND c.document_id = ANY($${params.length}::text[])`;
  }
  if (filter?.kinds?.length) {
    params.push(filter.kinds);
    sql += ` AND d.kind = ANY($${params.length}::text[])`;
  }
  return sql;
}

/** A row as a LangChain Document. */
function toDocument(r: PassageRow): Document {
  return new Document({
    pageContent: r.text,
    metadata: {
      chunkId: String(r.id), documentId: r.document_id, title: r.title, headings: r.headings,
      lineFrom: r.line_from, lineTo: r.line_to, scope: r.scope, year: r.year,
    },
  });
}

/** A row as a Passage (score filled in by the caller's ranking). */
export function toPassage(r: PassageRow, score: number, fused: number): Passage {
  return {
    kind: r.kind, chunkId: String(r.id), documentId: r.document_id, title: r.title, shortTitle: r.short_title,
    organisation: r.organisation, year: r.year, scope: r.scope, programmatic: r.programmatic, headings: r.headings,
    lineFrom: r.line_from, lineTo: r.line_to, lang: isLang(r.lang) ? r.lang : 'nl', text: r.text,
    concepts: r.concepts, score, fused,
  };
}

export type { PassageRow };
