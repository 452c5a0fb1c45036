/**
 * The HSDS CSV datapackage: a folder with one CSV per table (organizations.csv, services.csv, …, named as the
 * tables of directory/model.ts) and a Frictionless `datapackage.json` describing them.
 *
 * Cells: empty = null (or the field's default when it cannot be null), booleans true/false, arrays joined with ",",
 * numbers as numbers. Reading turns cells back into values by the field types, then validates with each row's line
 * number in its CSV (header = line 1), so an error points at the line a spreadsheet shows.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { readHsdsJson } from './hsds-json.js';
import { TABLES, TABLE_NAMES, type Dataset, type TableName } from './model.js';
import { REFERENCES, canonicalDataset, validateDataset, type ReadOptions, type ValidationError, type ValidationResult } from './validate.js';

/** Frictionless Table Schema field types used by the datapackage. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'array';

/** Fields that hold a full calendar date (valid_from/valid_to also allow "--MM-DD", so they are strings). */
const DATE_FIELDS = new Set(['x_last_verified']);

interface FieldInfo {
  name: string;
  type: FieldType;
  /** null is a valid value (an empty cell means null rather than "use the default"). */
  nullable: boolean;
  /** The field has neither a default nor null: the cell must be filled. */
  required: boolean;
}

/** The fields of a table in model order, with their CSV types. */
export function tableFields(table: TableName): FieldInfo[] {
  const shape = TABLES[table].shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, schema]) => ({
    name,
    type: DATE_FIELDS.has(name) ? 'date' : baseType(schema),
    nullable: schema.safeParse(null).success,
    required: !schema.safeParse(undefined).success,
  }));
}

/** The Table Schema type of a zod field, looking through default/nullable/optional wrappers. */
function baseType(schema: z.ZodType): FieldType {
  let s = schema as unknown as { _zod: { def: { type: string; innerType?: unknown } }; format?: string | null };
  while (s._zod.def.innerType) s = s._zod.def.innerType as typeof s;
  switch (s._zod.def.type) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return s.format === 'safeint' || s.format === 'int32' ? 'integer' : 'number';
    case 'array':
      return 'array';
    default:
      return 'string';
  }
}

/** The Frictionless Data Package descriptor of the directory. */
export function datapackageDescriptor(): Record<string, unknown> {
  return {
    name: 'brussels-infoline-directory',
    title: 'Service directory of the Brussels information line on homelessness (Open Referral HSDS)',
    profile: 'tabular-data-package',
    resources: TABLE_NAMES.map((table) => ({
      name: table,
      path: `${table}.csv`,
      profile: 'tabular-data-resource',
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8',
      schema: {
        fields: tableFields(table).map((f) => ({
          name: f.name,
          type: f.type,
          ...(f.type === 'array' ? { description: 'values separated by ","' } : {}),
          ...(f.required ? { constraints: { required: true } } : {}),
        })),
        primaryKey: 'id',
        foreignKeys: REFERENCES.filter((r) => r.table === table).map((r) => ({
          fields: r.field,
          reference: { resource: r.target, fields: 'id' },
        })),
        missingValues: [''],
      },
    })),
  };
}

/** Writes the dataset as a CSV datapackage in `dir` (created if needed): one CSV per table and datapackage.json. */
export function writeHsdsCsv(dir: string, dataset: Dataset): void {
  mkdirSync(dir, { recursive: true });
  const canonical = canonicalDataset(dataset);
  for (const table of TABLE_NAMES) {
    const fields = tableFields(table).map((f) => f.name);
    const rows = (canonical[table] as unknown as Array<Record<string, unknown>>).map((row) => fields.map((f) => encodeCell(row[f])));
    writeFileSync(join(dir, `${table}.csv`), stringify([fields, ...rows], { record_delimiter: '\n' }));
  }
  writeFileSync(join(dir, 'datapackage.json'), JSON.stringify(datapackageDescriptor(), null, 2) + '\n');
}

function encodeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/** Reads and validates HSDS from a path: a folder is a CSV datapackage, anything else a JSON file (unless `format` says). */
export function readHsds(path: string, format?: 'json' | 'csv', opts: ReadOptions = {}): ValidationResult {
  const csv = format ? format === 'csv' : existsSync(path) && statSync(path).isDirectory();
  return csv ? readHsdsCsv(path, opts) : readHsdsJson(path, opts);
}

/** Reads and validates a CSV datapackage folder; errors name the CSV, its line and the column. */
export function readHsdsCsv(dir: string, opts: ReadOptions = {}): ValidationResult {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { errors: [{ file: dir, row: 0, field: '(folder)', message: 'not a folder with a CSV datapackage' }] };
  }
  const errors: ValidationError[] = [];
  const known = new Set(TABLE_NAMES.map((t) => `${t}.csv`));
  for (const name of readdirSync(dir).sort()) {
    if (name.toLowerCase().endsWith('.csv') && !known.has(name)) {
      errors.push({ file: join(dir, name), row: 0, field: '(file)', message: `unknown table CSV "${name}" (known: ${[...known].join(', ')})` });
    }
  }
  const descriptor = join(dir, 'datapackage.json');
  if (existsSync(descriptor)) {
    try {
      JSON.parse(readFileSync(descriptor, 'utf8'));
    } catch (err) {
      errors.push({ file: descriptor, row: 0, field: '(json)', message: `not valid JSON: ${(err as Error).message}` });
    }
  }

  const raw: Record<string, Array<Record<string, unknown>>> = {};
  const lines: Record<string, number[]> = {};
  const unreadable = new Set<string>();
  for (const table of TABLE_NAMES) {
    const file = join(dir, `${table}.csv`);
    const decoded = existsSync(file) ? decodeCsv(file, table) : { rows: [], lines: [], errors: [], readable: true };
    raw[table] = decoded.rows;
    lines[table] = decoded.lines;
    errors.push(...decoded.errors);
    if (!decoded.readable) unreadable.add(table);
  }
  const locate = (table: string, index: number) => ({ file: join(dir, `${table}.csv`), row: lines[table]?.[index] ?? 0 });
  const result = validateDataset(raw, locate, unreadable, opts);
  const all = [...errors, ...result.errors];
  return all.length ? { errors: all } : result;
}

/** Parses one table's CSV into raw rows (cells converted by field type) and the line number each row starts on. */
function decodeCsv(file: string, table: TableName): { rows: Array<Record<string, unknown>>; lines: number[]; errors: ValidationError[]; readable: boolean } {
  const errors: ValidationError[] = [];
  // One line-ending convention, so that csv-parse's line count matches what an editor shows.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { rows: [], lines: [], errors: [{ file, row: e.lines ?? 0, field: '(csv)', message: e.message }], readable: false };
  }
  if (!records.length) return { rows: [], lines: [], errors, readable: true };

  const fields = new Map(tableFields(table).map((f) => [f.name, f]));
  const header = records[0]!.record.map((h) => h.trim());
  const headerLine = startLine(records[0]!);
  header.forEach((name, i) => {
    if (!fields.has(name)) errors.push({ file, row: headerLine, field: name || `(column ${i + 1})`, message: `unknown column "${name}" in ${table} (known: ${[...fields.keys()].join(', ')})` });
    else if (header.indexOf(name) !== i) errors.push({ file, row: headerLine, field: name, message: `column "${name}" appears twice` });
  });

  const rows: Array<Record<string, unknown>> = [];
  const lineNumbers: number[] = [];
  for (const rec of records.slice(1)) {
    const line = startLine(rec);
    if (rec.record.length !== header.length) {
      errors.push({ file, row: line, field: '(row)', message: `expected ${header.length} cells as in the header, found ${rec.record.length}` });
    }
    const row: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const field = fields.get(name);
      const value = field ? decodeCell(rec.record[i] ?? '', field) : undefined;
      if (value !== undefined) row[name] = value;
    });
    rows.push(row);
    lineNumbers.push(line);
  }
  return { rows, lines: lineNumbers, errors, readable: true };
}

/** csv-parse counts the line a record ends on; a quoted cell can span lines, so step back over its newlines. */
function startLine(rec: { record: string[]; info: { lines: number } }): number {
  const inner = rec.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  return rec.info.lines - inner;
}

/** A cell back to a value of its field's type; a cell that does not convert stays text, for zod to report. */
function decodeCell(cell: string, field: FieldInfo): unknown {
  if (cell === '') return field.nullable ? null : undefined;
  switch (field.type) {
    case 'boolean': {
      const v = cell.trim().toLowerCase();
      return v === 'true' ? true : v === 'false' ? false : cell;
    }
    case 'integer':
    case 'number':
      return /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(cell) ? Number(cell) : cell;
    case 'array':
      return cell.split(',').map((v) => v.trim()).filter(Boolean);
    default:
      return cell;
  }
}
