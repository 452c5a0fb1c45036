/** Test helpers: a private copy of the ingested template database, opened like the app opens it. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
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

/** Opens an ingested copy of the knowledge base on embedded PGlite. */
export async function openTestKnowledge(): Promise<{ db: Database; kb: KnowledgeBase; dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = copyTemplate();
  const db = await openPglite(dir);
  await migrate(db);
  const kb = await openKnowledgeBase(db, testConfig(dir).embeddings);
  await kb.ensureIndexed();
  return { db, kb, dir, close: async () => { await db.close(); cleanup(); } };
}
