/**
 * HSDS JSON: one object with one array per table. Written in a stable form (tables in import order, rows sorted by
 * id, fields in model order, 2-space indent) so that exports diff cleanly under version control.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Dataset } from './model.js';
import { canonicalDataset, validateDataset, type ReadOptions, type ValidationResult } from './validate.js';

export { canonicalDataset } from './validate.js';

/** Reads and validates an HSDS JSON file; errors name the file and, for rows, the row's index + 1 in its table. */
export function readHsdsJson(path: string, opts: ReadOptions = {}): ValidationResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { errors: [{ file: path, row: 0, field: '(file)', message: `cannot read the file: ${(err as Error).message}` }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const { line, column } = positionOf(text, (err as Error).message);
    return { errors: [{ file: path, row: line, field: '(json)', message: `not valid JSON at line ${line}, column ${column}: ${(err as Error).message}` }] };
  }
  return validateDataset(raw, (_table, index) => ({ file: path, row: index + 1 }), new Set(), opts);
}

/** The line and column of a JSON.parse error (its message gives a character position, or none at the end of input). */
function positionOf(text: string, message: string): { line: number; column: number } {
  const m = /position (\d+)/.exec(message);
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Writes the dataset as canonical HSDS JSON. */
export function writeHsdsJson(path: string, dataset: Dataset): void {
  writeFileSync(path, JSON.stringify(canonicalDataset(dataset), null, 2) + '\n');
}
