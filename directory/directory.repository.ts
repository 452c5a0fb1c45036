/**
 * Stores a whole directory dataset in the dir_* tables (db/migrations/003_directory.sql): a few columns that
 * searches and foreign keys need, plus `record`, the whole validated row, so an export gives back exactly what was
 * imported. Parameterised SQL only; table and column names come from the constant map below, never from input.
 */
import type { Database, Queryable } from '../db/database.js';
import { TABLE_NAMES, type Dataset, type TableName } from './model.js';
import { canonicalDataset, type ValidationResult } from './validate.js';

/** Rows per INSERT: a few hundred rows import in a handful of statements, well under PostgreSQL's parameter limit. */
const BATCH_ROWS = 200;

type Row = Record<string, unknown>;

/** The columns of each dir_* table besides `record`, and the model field each one is filled from. */
const COLUMNS: Record<TableName, Array<[column: string, field: string]>> = {
  organizations: [['id', 'id'], ['name', 'name']],
  services: [['id', 'id'], ['organization_id', 'organization_id'], ['name', 'name'], ['status', 'status']],
  locations: [['id', 'id'], ['organization_id', 'organization_id'], ['commune', 'x_commune'], ['latitude', 'latitude'], ['longitude', 'longitude']],
  service_at_locations: [['id', 'id'], ['service_id', 'service_id'], ['location_id', 'location_id']],
  service_areas: [['id', 'id'], ['service_id', 'service_id'], ['name', 'name']],
  phones: [['id', 'id'], ['organization_id', 'organization_id'], ['service_id', 'service_id'], ['number', 'number']],
  schedules: [['id', 'id'], ['service_id', 'service_id'], ['service_at_location_id', 'service_at_location_id']],
  languages: [['id', 'id'], ['service_id', 'service_id'], ['code', 'code']],
  taxonomy_terms: [['id', 'id'], ['kind', 'x_kind']],
  attributes: [['id', 'id'], ['link_id', 'link_id'], ['taxonomy_term_id', 'taxonomy_term_id']],
  service_capacities: [['id', 'id'], ['service_id', 'service_id']],
};

const sqlTable = (table: TableName) => `dir_${table}`;

/** Reads and replaces the directory stored in PostgreSQL. */
export class DirectoryRepository {
  constructor(private readonly db: Database) {}

  /** Replaces the whole directory in one transaction: on any failure the previous directory stays as it was. */
  async replaceAll(dataset: Dataset): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Children first, so no foreign key is violated even without relying on ON DELETE CASCADE.
      for (const table of [...TABLE_NAMES].reverse()) await tx.query(`DELETE FROM ${sqlTable(table)}`);
      for (const table of TABLE_NAMES) await insertTable(tx, table, dataset[table] as unknown as Row[]);
    });
  }

  /** The stored directory, every table's rows sorted by id. */
  async exportAll(): Promise<Dataset> {
    const out: Record<string, Row[]> = {};
    for (const table of TABLE_NAMES) {
      const { rows } = await this.db.query<{ record: Row | string }>(`SELECT record FROM ${sqlTable(table)} ORDER BY id COLLATE "C"`);
      out[table] = rows.map((r) => (typeof r.record === 'string' ? (JSON.parse(r.record) as Row) : r.record));
    }
    // jsonb reorders an object's keys: give them back in model order, like the file readers.
    return canonicalDataset(out as unknown as Dataset);
  }

  /** The number of rows in each table. */
  async counts(): Promise<Record<TableName, number>> {
    const select = TABLE_NAMES.map((t) => `(SELECT count(*)::int FROM ${sqlTable(t)}) AS "${t}"`).join(', ');
    const { rows } = await this.db.query<Record<TableName, number>>(`SELECT ${select}`);
    return Object.fromEntries(TABLE_NAMES.map((t) => [t, Number(rows[0]?.[t] ?? 0)])) as Record<TableName, number>;
  }

  /** Whether no directory has been imported yet. */
  async isEmpty(): Promise<boolean> {
    const counts = await this.counts();
    return Object.values(counts).every((n) => n === 0);
  }
}

/** Inserts a table's rows with multi-row VALUES statements of at most BATCH_ROWS rows. */
async function insertTable(tx: Queryable, table: TableName, rows: Row[]): Promise<void> {
  const columns = COLUMNS[table];
  const names = [...columns.map(([c]) => c), 'record'].join(', ');
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const slots = columns.map(([, field]) => {
        params.push(row[field] ?? null);
        return `$${params.length}`;
      });
      params.push(JSON.stringify(row));
      slots.push(`$${params.length}::jsonb`);
      return `(${slots.join(', ')})`;
    });
    await tx.query(`INSERT INTO ${sqlTable(table)} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
}

/**
 * Imports what a reader returned: the whole directory is replaced only when validation found no error, so a broken
 * file never leaves a half-imported directory. Returns whether it imported.
 */
export async function importValidated(repo: DirectoryRepository, result: ValidationResult): Promise<boolean> {
  if (result.errors.length || !result.dataset) return false;
  await repo.replaceAll(result.dataset);
  return true;
}
