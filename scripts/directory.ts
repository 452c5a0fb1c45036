/**
 * npm run directory -- validate|import|export <path> [--format json|csv]
 * The service directory as HSDS JSON (one file) or an HSDS CSV datapackage (a folder). `import` validates first and
 * changes nothing when anything is wrong; it then replaces the whole directory in one transaction.
 */
import { parseArgs } from 'node:util';
import { DatabaseError, openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { DirectoryRepository, importValidated } from '../directory/directory.repository.js';
import { readHsds, writeHsdsCsv } from '../directory/hsds-csv.js';
import { loadTaxonomy } from '../directory/taxonomy.js';
import { writeHsdsJson } from '../directory/hsds-json.js';
import { TABLE_NAMES, type TableName } from '../directory/model.js';
import { countRows, formatErrors, type ValidationResult } from '../directory/validate.js';
import { configOrExit, printTable } from './cli.js';

type Format = 'json' | 'csv';

const USAGE = `Usage: npm run directory -- <command> <path> [--format json|csv]
  validate <path>   check an HSDS JSON file or CSV datapackage folder; prints every error as file:row: field: message
  import <path>     validate, then replace the whole directory in the database (nothing changes on any error)
  export <path>     write the directory from the database (JSON when <path> ends in .json, else a CSV folder)`;

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

let parsed: ReturnType<typeof parseCommandLine>;
try {
  parsed = parseCommandLine();
} catch (err) {
  usage((err as Error).message);
}
const { command, path, format } = parsed;

/** Reads the command line; throws on unknown options (parseArgs) or a bad --format. */
function parseCommandLine(): { command: string | undefined; path: string | undefined; format: Format | undefined } {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { format: { type: 'string' } } });
  if (values.format !== undefined && values.format !== 'json' && values.format !== 'csv') {
    throw new Error(`Unknown format "${values.format}": use json or csv.`);
  }
  if (positionals.length > 2) throw new Error(`Unexpected arguments: ${positionals.slice(2).join(' ')}`);
  return { command: positionals[0], path: positionals[1], format: values.format as Format | undefined };
}

/** A folder is a CSV datapackage, anything else a JSON file, unless --format says otherwise. */
// A dataset without taxonomy terms (such as directory/seed/directory.json) gets the project's taxonomy.
const read = (p: string): ValidationResult => readHsds(p, format, { defaultTerms: loadTaxonomy().toTaxonomyTerms() });

function printCounts(counts: Record<TableName, number>): void {
  printTable(TABLE_NAMES.map((table) => ({ table, rows: counts[table] })));
}

/** Prints the errors; true when there were any. */
function reportErrors(result: ValidationResult): boolean {
  if (!result.errors.length) return false;
  for (const line of formatErrors(result.errors)) console.error(line);
  console.error(`${result.errors.length} error${result.errors.length === 1 ? '' : 's'}.`);
  return true;
}

/** Opens and migrates the configured database; a locked or unreachable database ends the process with its message. */
async function openDirectory(): Promise<{ db: Database; repo: DirectoryRepository }> {
  const config = configOrExit();
  try {
    const db = await openDatabase(config.db);
    await migrate(db);
    return { db, repo: new DirectoryRepository(db) };
  } catch (err) {
    if (err instanceof DatabaseError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

if (!command || !['validate', 'import', 'export'].includes(command)) usage(command ? `Unknown command "${command}".` : undefined);
if (!path) usage(`The ${command} command needs a path.`);

if (command === 'validate') {
  const result = read(path);
  if (reportErrors(result)) process.exit(1);
  console.log(`${path}: valid.`);
  printCounts(countRows(result.dataset!));
} else if (command === 'import') {
  const result = read(path);
  if (reportErrors(result)) {
    console.error('Nothing imported.');
    process.exit(1);
  }
  const { db, repo } = await openDirectory();
  try {
    await importValidated(repo, result);
  } catch (err) {
    // replaceAll is one transaction: a failure leaves the previous directory in place.
    console.error(`Import failed, nothing changed: ${(err as Error).message}`);
    await db.close();
    process.exit(1);
  }
  console.log(`Imported ${path}.`);
  printCounts(await repo.counts());
  await db.close();
} else {
  const out = format ?? (path.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  const { db, repo } = await openDirectory();
  try {
    const dataset = await repo.exportAll();
    if (out === 'json') writeHsdsJson(path, dataset);
    else writeHsdsCsv(path, dataset);
    console.log(`Exported to ${path} (${out === 'json' ? 'HSDS JSON' : 'HSDS CSV datapackage'}).`);
    printCounts(countRows(dataset));
  } finally {
    await db.close();
  }
}
