/**
 * Validation of a whole directory dataset (HSDS JSON or CSV, already decoded to plain objects): every row against
 * its zod schema, then what a row-by-row schema cannot see (unknown tables, duplicate ids, references, rules that
 * span fields). Every error is collected and names the file, row and field, so one run shows everything to fix.
 */
import type { z } from 'zod';
import { TABLES, TABLE_NAMES, emptyDataset, type Dataset, type TableName } from './model.js';

/** One problem in an input file. `row` is the 1-based data row (CSV: line in the file; JSON: index + 1); 0 = the file or table as a whole. */
export interface ValidationError {
  file: string;
  row: number;
  field: string;
  message: string;
  /** The table the row belongs to, when there is one (a JSON file holds every table, so the line says which). */
  table?: string;
}

/** Maps a table and a 0-based row index to where that row is in the input (file and row number). */
export type RowLocator = (table: string, rowIndex: number) => { file: string; row: number };

/** Reading options: the taxonomy terms to use when a dataset has none of its own. */
export interface ReadOptions {
  defaultTerms?: ReadonlyArray<Record<string, unknown>>;
}

/** The outcome of validation: the dataset only when there is no error. */
export interface ValidationResult {
  dataset?: Dataset;
  errors: ValidationError[];
}

type Row = Record<string, unknown>;

/** The references between tables: each value of `field` in `table` must be an id in `target`. */
export const REFERENCES: Array<{ table: TableName; field: string; target: TableName }> = [
  { table: 'services', field: 'organization_id', target: 'organizations' },
  { table: 'locations', field: 'organization_id', target: 'organizations' },
  { table: 'service_at_locations', field: 'service_id', target: 'services' },
  { table: 'service_at_locations', field: 'location_id', target: 'locations' },
  { table: 'service_areas', field: 'service_id', target: 'services' },
  { table: 'phones', field: 'organization_id', target: 'organizations' },
  { table: 'phones', field: 'service_id', target: 'services' },
  { table: 'schedules', field: 'service_id', target: 'services' },
  { table: 'schedules', field: 'service_at_location_id', target: 'service_at_locations' },
  { table: 'languages', field: 'service_id', target: 'services' },
  { table: 'attributes', field: 'link_id', target: 'services' },
  { table: 'attributes', field: 'taxonomy_term_id', target: 'taxonomy_terms' },
  { table: 'service_capacities', field: 'service_id', target: 'services' },
];

/**
 * Validates a decoded dataset; `where` says which file and row each table row came from. `unreadable` names tables
 * whose file could not be read at all (already reported): references to them are not checked, so one broken file
 * does not bury its error under one "unknown id" per child row.
 */
export function validateDataset(
  raw: unknown, where: RowLocator, unreadable: ReadonlySet<string> = new Set(), opts: ReadOptions = {},
): ValidationResult {
  const errors: ValidationError[] = [];
  const at = (table: string, index: number, field: string, message: string) => {
    const { file, row } = index < 0 ? { file: where(table, 0).file, row: 0 } : where(table, index);
    errors.push({ file, row, field, message, ...(table ? { table } : {}) });
  };

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    at('', -1, '(dataset)', 'expected an object with one array per table (organizations, services, …)');
    return { errors };
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(TABLE_NAMES as string[]).includes(key)) at(key, -1, key, `unknown table "${key}" (known: ${TABLE_NAMES.join(', ')})`);
  }

  // Ids of every row that has one, valid or not: a broken parent must not also flag each of its children.
  const ids = new Map<TableName, Set<string>>();
  const dataset = emptyDataset();
  const parsed = new Map<TableName, Array<{ index: number; row: Row }>>();
  for (const table of TABLE_NAMES) {
    const given = input[table];
    // A dataset without its own taxonomy uses the project's (the seed ships without one: it comes from directory/taxonomy).
    const rows = table === 'taxonomy_terms' && opts.defaultTerms && (!Array.isArray(given) || !given.length) ? opts.defaultTerms : given ?? [];
    const okRows: Array<{ index: number; row: Row }> = [];
    parsed.set(table, okRows);
    ids.set(table, new Set());
    if (!Array.isArray(rows)) {
      at(table, -1, table, 'expected an array of rows');
      continue;
    }
    const schema = (TABLES[table] as z.ZodObject).strict();
    const seen = new Map<string, number>();
    rows.forEach((rawRow: unknown, index) => {
      const id = (rawRow as Row | null)?.id;
      if (typeof id === 'string') {
        ids.get(table)!.add(id);
        const first = seen.get(id);
        if (first !== undefined) at(table, index, 'id', `duplicate id "${id}" (first used in row ${where(table, first).row})`);
        else seen.set(id, index);
      }
      const result = schema.safeParse(rawRow);
      if (result.success) okRows.push({ index, row: result.data as Row });
      else for (const issue of result.error.issues) pushIssue(issue, (field, message) => at(table, index, field, message));
    });
    (dataset as unknown as Record<string, Row[]>)[table] = okRows.map((r) => r.row);
  }

  for (const ref of REFERENCES) {
    if (unreadable.has(ref.target)) continue;
    for (const { index, row } of parsed.get(ref.table)!) {
      const value = row[ref.field];
      if (typeof value === 'string' && !ids.get(ref.target)!.has(value)) {
        at(ref.table, index, ref.field, `"${value}" is not the id of any row in ${ref.target}`);
      }
    }
  }
  for (const table of TABLE_NAMES) {
    for (const { index, row } of parsed.get(table)!) {
      for (const [field, message] of crossFieldRules(table, row)) at(table, index, field, message);
    }
  }
  return errors.length ? { errors } : { dataset: canonicalDataset(dataset), errors };
}

/** Turns a zod issue into errors; an unknown key becomes one error per key, named by that key. */
function pushIssue(issue: z.core.$ZodIssue, push: (field: string, message: string) => void): void {
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) push([...issue.path, key].join('.'), `unknown field "${key}"`);
    return;
  }
  const field = issue.path.length ? issue.path.join('.') : '(row)';
  // zod says "expected string, received undefined" for a missing field; say it plainly.
  if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) push(field, `required, but missing or empty (expected ${issue.expected})`);
  else push(field, issue.message);
}

/** The rules that involve more than one field of a row. */
function crossFieldRules(table: TableName, row: Row): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if ('x_source' in row && row.x_source === 'plan') {
    if (row.x_source_document == null) out.push(['x_source_document', 'x_source "plan" needs the document id of the plan']);
    if (row.x_source_lines == null) out.push(['x_source_lines', 'x_source "plan" needs the line numbers of the cited passage']);
  }
  if (table === 'schedules') {
    const parents = [row.service_id, row.service_at_location_id].filter((v) => v != null).length;
    if (parents !== 1) out.push(['service_id', 'a schedule belongs to exactly one of service_id or service_at_location_id']);
    if (!row.x_always_open) {
      if (row.opens_at == null) out.push(['opens_at', 'opens_at and closes_at are required unless x_always_open is true']);
      if (row.closes_at == null) out.push(['closes_at', 'opens_at and closes_at are required unless x_always_open is true']);
    }
  }
  if (table === 'phones' && row.organization_id == null && row.service_id == null) {
    out.push(['organization_id', 'a phone belongs to an organization (organization_id) or a service (service_id)']);
  }
  if (table === 'services' && typeof row.minimum_age === 'number' && typeof row.maximum_age === 'number' && row.minimum_age > row.maximum_age) {
    out.push(['minimum_age', `minimum_age ${row.minimum_age} is above maximum_age ${row.maximum_age}`]);
  }
  return out;
}

/** The dataset in canonical form: tables in import order, rows sorted by id, each row's fields in model order. */
export function canonicalDataset(dataset: Dataset): Dataset {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLE_NAMES) {
    const fields = Object.keys(TABLES[table].shape);
    const rows = [...(dataset[table] as unknown as Array<Record<string, unknown>>)].sort((a, b) => byId(a.id, b.id));
    out[table] = rows.map((row) => Object.fromEntries(fields.map((f) => [f, row[f] ?? null])));
  }
  return out as unknown as Dataset;
}

/** Code-point order, the same as the database's ORDER BY id COLLATE "C". */
export function byId(a: unknown, b: unknown): number {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * One line per error: "file:row: field: message" (the row is left out for errors about the whole file). When the
 * file is not the table's own CSV, the table is named at the end: row 2 of a JSON file exists in every table.
 */
export function formatErrors(errors: ValidationError[]): string[] {
  return errors.map((e) => {
    const table = e.table && !e.file.includes(e.table) ? ` (in ${e.table})` : '';
    return `${e.file}${e.row > 0 ? `:${e.row}` : ''}: ${e.field}: ${e.message}${table}`;
  });
}

/** Row counts per table, in import order. */
export function countRows(dataset: Dataset): Record<TableName, number> {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, dataset[t].length])) as Record<TableName, number>;
}
