/**
 * Builds one ingested PGlite database per test run; test files copy it instead of ingesting again.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openKnowledgeBase } from '../knowledge/knowledge-base.js';
import { loadConfig } from '../config.js';
import { ensureDirectorySeeded } from '../directory/seed.js';
import { loadTaxonomy } from '../directory/taxonomy.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kbTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  // One folder per run: several runs at once (developers, CI) must not share or delete each other's template.
  const dir = join(process.cwd(), 'test-artifacts', `kb-template-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = await openPglite(dir);
  await migrate(db);
  const kb = await openKnowledgeBase(db, loadConfig({}).embeddings);
  await kb.ingest();
  await ensureDirectorySeeded(db, loadTaxonomy().toTaxonomyTerms());
  await db.close();
  project.provide('kbTemplate', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
