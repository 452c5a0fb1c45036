/**
 * Bot Framework `Storage` in PostgreSQL (table bot_state, migration 004) on the project's database layer, so any
 * instance of the app can continue any conversation. Same contract as botbuilder's MemoryStorage:
 * - read returns only the keys found, each item with its `eTag`;
 * - write upserts an item whose eTag is missing, empty or '*'; with a concrete eTag it succeeds only when the stored
 *   etag is that one (an item not stored yet is written, as MemoryStorage does), otherwise it throws
 *   `Storage: error writing "<key>" due to eTag conflict.`. A batch is one transaction: on a conflict nothing of it
 *   is written. Every write gives the item a new random etag;
 * - delete removes the keys (missing keys are ignored).
 * After a successful write, each written object's `eTag` is set to its new etag.
 * The eTag is not stored inside the JSON data. jsonb cannot hold U+0000 nor a lone UTF-16 surrogate (e.g. a message cut in
 * the middle of an emoji): in string values they are stored as U+FFFD rather than failing the turn. Note that botbuilder's BotState.saveChanges always writes with
 * eTag '*' (last writer wins); the eTag check protects callers that write with the eTag they read.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Database } from '../db/database.js';

/** Longest accepted storage key, in characters (UTF-16 code units, JavaScript's string length). */
export const MAX_KEY_LENGTH = 1024;

/** A write whose eTag is not the stored one; the message is MemoryStorage's. */
export class StorageConflictError extends Error {
  override name = 'StorageConflictError';
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

interface Row {
  key: string;
  etag: string;
  data: Record<string, unknown>;
}

export class PgStorage implements Storage {
  /** db: the project's database (db/database.ts), migrated (bot_state exists). */
  constructor(private readonly db: Database) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    keys.forEach(checkKey);
    if (keys.length === 0) return {};
    const { rows } = await this.db.query<Row>('SELECT key, etag, data FROM bot_state WHERE key = ANY($1::text[])', [
      [...new Set(keys)],
    ]);
    const items: StoreItems = {};
    for (const r of rows) items[r.key] = { ...parseJson(r.data), eTag: r.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
    // Sorted: two batches touching the same keys lock rows in the same order (no deadlock on a server).
    const writes = Object.keys(changes)
      .sort()
      .map((key) => {
        checkKey(key);
        const item: unknown = changes[key];
        if (!item || typeof item !== 'object' || Array.isArray(item)) {
          throw new TypeError(`Storage: the item for "${key}" must be a JSON object.`);
        }
        const { eTag, ...data } = item as Record<string, unknown>;
        const expected = eTag === undefined || eTag === null || eTag === '' || eTag === '*' ? undefined : String(eTag);
        return { key, expected, json: JSON.stringify(data, wellFormed) };
      });
    if (writes.length === 0) return;
    const written: Array<[string, string]> = [];
    await this.db.transaction(async (tx) => {
      for (const w of writes) {
        const etag = randomUUID();
        written.push([w.key, etag]);
        try {
          if (w.expected === undefined) {
            await tx.query(
              `INSERT INTO bot_state (key, etag, data, updated_at) VALUES ($1, $2, $3::jsonb, now())
               ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, data = EXCLUDED.data, updated_at = now()`,
              [w.key, etag, w.json],
            );
            continue;
          }
          // One statement: inserts a key not stored yet, updates only when the stored etag is the expected one.
          // On a server, a concurrent writer waits for the row lock and then sees the new etag.
          const { rows } = await tx.query(
            `INSERT INTO bot_state (key, etag, data, updated_at) VALUES ($1, $2, $3::jsonb, now())
             ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, data = EXCLUDED.data, updated_at = now()
             WHERE bot_state.etag = $4
             RETURNING key`,
            [w.key, etag, w.json, w.expected],
          );
          if (rows.length === 0) throw new StorageConflictError(w.key);
        } catch (err) {
          if (err instanceof StorageConflictError) throw err;
          throw new Error(`Storage: error writing "${w.key}": ${(err as Error).message}`, { cause: err });
        }
      }
    });
    // The written objects get their new eTag, so a caller can write the same item again (optimistic-state.ts).
    for (const [key, etag] of written) (changes[key] as { eTag?: string }).eTag = etag;
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    keys.forEach(checkKey);
    if (keys.length === 0) return;
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [[...new Set(keys)]]);
  }
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new TypeError(`Storage: a key must be a string, not ${typeof key}.`);
  if (key.length > MAX_KEY_LENGTH) {
    throw new RangeError(
      `Storage: key of ${key.length} characters is longer than ${MAX_KEY_LENGTH}: "${key.slice(0, 40)}…".`,
    );
  }
  // PostgreSQL text cannot hold U+0000.
  if (key.includes('\u0000')) throw new RangeError('Storage: a key must not contain the character U+0000.');
}

/** JSON.stringify replacer: string values PostgreSQL's jsonb accepts (U+0000 and lone surrogates become U+FFFD). */
function wellFormed(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replace(NOT_IN_JSONB, '\uFFFD') : value;
}
const NOT_IN_JSONB = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Both drivers parse jsonb already; a string is parsed in case a driver returns the text. */
function parseJson(data: unknown): Record<string, unknown> {
  return (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>;
}
