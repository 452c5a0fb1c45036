import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentMeta } from '../types.js';

/** Folder of corpus.json and the plan texts. */
export const DEFAULT_CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');

export interface CorpusDocument {
  meta: DocumentMeta;
  raw: string;
  /** sha256 of the raw text: lets ingestion skip documents that did not change. */
  hash: string;
}

/** Read corpus.json and every plan it lists. */
export async function loadCorpus(dir: string = DEFAULT_CORPUS_DIR): Promise<CorpusDocument[]> {
  const metas = JSON.parse(await readFile(join(dir, 'corpus.json'), 'utf8')) as DocumentMeta[];
  if (!Array.isArray(metas)) throw new Error(`${dir}/corpus.json must hold an array of documents`);
  return Promise.all(
    metas.map(async (meta) => {
      const raw = await readFile(join(dir, meta.file), 'utf8');
      return { meta, raw, hash: createHash('sha256').update(raw).digest('hex') };
    }),
  );
}

/** The plans' metadata only (titles for citations), read synchronously once at start-up. */
export function loadCorpusMeta(dir: string = DEFAULT_CORPUS_DIR): DocumentMeta[] {
  return JSON.parse(readFileSync(join(dir, 'corpus.json'), 'utf8')) as DocumentMeta[];
}
