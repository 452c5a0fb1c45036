import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../../knowledge/corpus/', import.meta.url));
export const IDS = ['000_e621c450b624349b', '001_c1465b57ccda06e5', '002_30401f9a23f9a7fe', '003_202ad49bcd0c2b9b', '004_cb8e911b77208c6d'];
export const MASTERPLAN = '004_cb8e911b77208c6d';

export function raw(id: string): string {
  return readFileSync(`${CORPUS}${id}.txt`, 'utf8');
}

export function rawLines(id: string): string[] {
  const lines = raw(id).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Original lines from..to (1-based, inclusive) as one text, as a test excerpt. */
export function excerpt(id: string, from: number, to: number): string {
  return rawLines(id).slice(from - 1, to).join('\n');
}

/** Letters only, lower case: to check that cleaned words come from the original lines. */
export function letters(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}]/gu, '');
}
