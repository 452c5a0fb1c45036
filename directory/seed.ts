/**
 * The directory's seed: directory/seed/directory.json (what the plans and the public numbers say), with the
 * taxonomy terms added from directory/taxonomy. Imported on start when the directory is empty or the seed file
 * changed since it was last imported (DIRECTORY_SEED_ON_START=false leaves an operator-managed directory alone).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../db/database.js';
import { DirectoryRepository } from './directory.repository.js';
import type { TaxonomyTerm } from './model.js';
import { readHsdsJson } from './hsds-json.js';
import { formatErrors, type ValidationResult } from './validate.js';

export const SEED_FILE = join(dirname(fileURLToPath(import.meta.url)), 'seed', 'directory.json');
const META_KEY = 'directory-seed-hash';

/** Reads and validates the seed, with the taxonomy's terms as its taxonomy_terms table. */
export function loadSeed(terms: TaxonomyTerm[], file = SEED_FILE): ValidationResult & { hash: string } {
  const hash = createHash('sha256').update(readFileSync(file)).update(JSON.stringify(terms)).digest('hex').slice(0, 16);
  return { ...readHsdsJson(file, { defaultTerms: terms }), hash };
}

/** Imports the seed when needed; returns whether it did. Throws (naming file, row, field) when the seed is invalid. */
export async function ensureDirectorySeeded(db: Database, terms: TaxonomyTerm[], file = SEED_FILE): Promise<boolean> {
  const repo = new DirectoryRepository(db);
  const seed = loadSeed(terms, file);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM kb_meta WHERE key = $1', [META_KEY]);
  if (rows[0]?.value === seed.hash && !(await repo.isEmpty())) return false;
  if (seed.errors.length || !seed.dataset) {
    throw new Error(`The directory seed is invalid:\n${formatErrors(seed.errors).slice(0, 20).join('\n')}`);
  }
  await repo.replaceAll(seed.dataset);
  await db.query(
    `INSERT INTO kb_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [META_KEY, seed.hash],
  );
  return true;
}
