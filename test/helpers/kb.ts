/** Test helpers: a private copy of the ingested template database, opened like the app opens it. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig, type Config } from '../../config.js';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { openKnowledgeBase, type KnowledgeBase } from '../../knowledge/knowledge-base.js';

/** Configuration as in production but for the test's data folder. */
export function testConfig(dataDir: string, extra: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', ...extra });
}

/** Copies the template database to a fresh folder; returns the folder and a cleanup function. */
export function copyTemplate(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'infoline-test-'));
  cpSync(inject('kbTemplate'), dir, { recursive: true });
  rmSync(join(dir, '.infoline.lock'), { force: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A migrated copy of the template database for one test file: call in beforeAll, `close` in afterAll.
 * Usage: `const t = useTestDatabase();` then `t.db` inside tests.
 */
export function useTestDatabase(): { db: Database } {
  const holder = {} as { db: Database };
  let cleanup: (() => void) | undefined;
  beforeAll(async () => {
    const copy = copyTemplate();
    cleanup = copy.cleanup;
    holder.db = await openPglite(copy.dir);
    await migrate(holder.db);
  });
  afterAll(async () => {
    await holder.db?.close();
    cleanup?.();
  });
  return holder;
}

/** Opens an ingested copy of the knowledge base on embedded PGlite. */
export async function openTestKnowledge(): Promise<{ db: Database; kb: KnowledgeBase; dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = copyTemplate();
  const db = await openPglite(dir);
  await migrate(db);
  const kb = await openKnowledgeBase(db, testConfig(dir).embeddings);
  await kb.ensureIndexed();
  return { db, kb, dir, close: async () => { await db.close(); cleanup(); } };
}
