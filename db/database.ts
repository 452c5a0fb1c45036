/**
 * One database layer, two drivers, the same SQL: embedded PGlite (with pgvector) persisted in a folder,
 * or node-postgres (with the pgvector package) against a PostgreSQL server when DATABASE_URL is set.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import pgvector from 'pgvector/pg';

/** Anything that runs a parameterised query: the database itself or a transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** The project's database handle: the rest of the code depends on this, never on a driver. */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /** Runs fn in a transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A database that cannot be used: the message says what to do. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** Embedded PostgreSQL (WASM) in-process; dataDir undefined keeps it in memory (tests). */
export async function openPglite(dataDir?: string, opts: { withVector?: boolean } = {}): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => undefined;
  const withVector = opts.withVector ?? true;
  try {
    const db = await PGlite.create(dataDir, withVector ? { extensions: { vector } } : {});
    const wrapped = wrapPglite(db);
    return { ...wrapped, close: async () => { await wrapped.close(); release(); } };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * PGlite is a single-process database: two processes on one folder would corrupt it. A pid file makes the second
 * one fail with a message instead (a stale file from a dead process is taken over).
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, '.infoline.lock');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseError(
        `The embedded database in ${dataDir} is in use by process ${pid} (is \`npm start\` running?). ` +
          'Stop it, use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL server.',
      );
    }
  }
  writeFileSync(file, String(process.pid));
  const release = () => rmSync(file, { force: true });
  process.once('exit', release);
  return () => {
    process.removeListener('exit', release);
    release();
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Wraps an existing PGlite instance (e.g. one also served over a socket in tests). */
export function wrapPglite(db: PGlite): Database {
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await db.query<T>(sql, params as unknown[] | undefined);
      return { rows: r.rows };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return db.transaction(async (tx) =>
        fn({
          async query<R>(sql: string, params?: unknown[]) {
            const r = await tx.query<R>(sql, params as unknown[] | undefined);
            return { rows: r.rows };
          },
        }),
      );
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}

/** node-postgres pool against a PostgreSQL server; vector values are registered with the pgvector package. */
export async function openPostgres(url: string, opts: { poolMax?: number; hnswEfSearch?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolMax ?? 10, connectionTimeoutMillis: 10_000 });
  // A pool error on an idle client must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseError(`Cannot connect to the database at DATABASE_URL (${redactUrl(url)}): ${(err as Error).message}`);
  }
  try {
    await assertVectorAvailable(client);
  } catch (err) {
    client.release();
    await pool.end().catch(() => undefined);
    throw err;
  }
  client.release();
  const efSearch = opts.hnswEfSearch ?? 100;
  pool.on('connect', (c) => {
    // Type registration needs the extension, which migrations create; ignore failure before that.
    void pgvector.registerTypes(c).catch(() => undefined);
    void c.query(`SET hnsw.ef_search = ${Math.trunc(efSearch)}`).catch(() => undefined);
  });
  return {
    kind: 'pg',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await pool.query(sql, params);
      return { rows: r.rows as T[] };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn({
          async query<R>(sql: string, params?: unknown[]) {
            const r = await c.query(sql, params);
            return { rows: r.rows as R[] };
          },
        });
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** Fails with a message that says what to install when the server has no pgvector. */
export async function assertVectorAvailable(q: Queryable): Promise<void> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'vector'`,
  );
  if (!rows[0] || rows[0].n === 0) {
    throw new DatabaseError(
      'The PostgreSQL server has no "vector" extension (pgvector). Install pgvector on the server ' +
        '(for example use the pgvector/pgvector:pg16 image, or apt install postgresql-16-pgvector), ' +
        'or unset DATABASE_URL to use the embedded database.',
    );
  }
}

/** Opens the database the configuration names. */
export async function openDatabase(cfg: { url?: string; dataDir: string; poolMax: number }): Promise<Database> {
  return cfg.url ? openPostgres(cfg.url, { poolMax: cfg.poolMax }) : openPglite(cfg.dataDir);
}

/** Hides the password in a connection string for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
