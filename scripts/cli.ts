/** Shared plumbing of the command-line scripts: configuration, database, progress bars and summary tables. */
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DatabaseError, openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledge-base.js';

/** Loads the configuration or exits with the message that says what to set. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/** Opens and migrates the configured database and the knowledge base, or exits with a clear message. */
export async function openKnowledgeOrExit(config: Config): Promise<{ db: Database; kb: KnowledgeBase }> {
  try {
    const db = await openDatabase(config.db);
    await migrate(db);
    return { db, kb: await openKnowledgeBase(db, config.embeddings) };
  } catch (err) {
    if (err instanceof DatabaseError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/** A progress bar on stderr (plain lines when not a terminal, e.g. in CI logs). */
export function progressBar(label: string, total: number): { update(done: number, what?: string): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {what}`,
      stream: process.stderr,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { what: '' });
  return {
    update: (done, what = '') => bar.update(done, { what }),
    stop: () => bar.stop(),
  };
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Array<Record<string, string | number>>, columns?: string[]): void {
  if (!rows.length) return;
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: string | number | undefined) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : (v ?? ''));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(line(cols));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}
