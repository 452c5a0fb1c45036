import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readHsdsCsv } from '../../directory/hsds-csv.js';
import { readHsdsJson } from '../../directory/hsds-json.js';

const exec = promisify(execFile);
const FIXTURES = 'test/fixtures/hsds';
const VALID = join(FIXTURES, 'valid.json');

// Each run starts tsx and, for import/export, PGlite: a few seconds each on a busy 2-core machine.
describe('npm run directory', { timeout: 180_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'directory-cli-'));
  const dataDir = join(tmp, 'data');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };

  /** Runs the script; resolves with its exit code and output whatever the code. */
  async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await exec('npx', ['tsx', 'scripts/directory.ts', ...args], { env, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }
  const fixture = readHsdsJson(VALID).dataset!;

  it('should validate a good JSON file and a good CSV folder with a table of counts (exit 0)', async () => {
    for (const path of [VALID, join(FIXTURES, 'valid-csv')]) {
      const r = await run('validate', path);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/organizations\s+2\b/);
      expect(r.stdout).toMatch(/services\s+3\b/);
      expect(r.stdout).toMatch(/schedules\s+3\b/);
    }
  });

  it("should validate the shipped seed, which takes its taxonomy terms from the project's taxonomy", async () => {
    const r = await run('validate', 'directory/seed/directory.json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/taxonomy_terms\s+39\b/);
    expect(r.stdout).toMatch(/services\s+\d{3}\b/);
  });

  it('should print file:row: field for every error and exit 1', async () => {
    const r = await run('validate', join(FIXTURES, 'broken/bad-time.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(FIXTURES, 'broken/bad-time.json')}:2: opens_at: `);
    const csv = await run('validate', join(FIXTURES, 'broken/csv-bad-time'));
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain(`${join(FIXTURES, 'broken/csv-bad-time/schedules.csv')}:4: opens_at: `);
    // --format overrides the detection: the JSON file read as a datapackage folder is not one.
    const forced = await run('validate', VALID, '--format', 'csv');
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('not a folder');
  });

  it('should import, then export the same dataset as JSON and as CSV', async () => {
    const imp = await run('import', VALID);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/languages\s+6\b/);
    const json = join(tmp, 'export.json');
    const ex = await run('export', json);
    expect(ex.code, ex.stderr).toBe(0);
    expect(readHsdsJson(json).dataset).toEqual(fixture);
    const dir = join(tmp, 'export-csv');
    expect((await run('export', dir)).code).toBe(0);
    expect(readHsdsCsv(dir).dataset).toEqual(fixture);
  });

  it('should import nothing from a broken file and leave the database as it was', async () => {
    const r = await run('import', join(FIXTURES, 'broken/csv-unknown-column'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(FIXTURES, 'broken/csv-unknown-column/services.csv')}:1: opening_hours: `);
    expect(r.stderr).toMatch(/nothing imported/i);
    const json = join(tmp, 'after.json');
    expect((await run('export', json)).code).toBe(0);
    expect(readHsdsJson(json).dataset).toEqual(fixture);
  });

  it('should exit 1 with the database message when the embedded database is in use', async () => {
    // What `npm start` leaves while it runs: the lock file with a live process id (this test runner's).
    writeFileSync(join(dataDir, '.infoline.lock'), String(process.pid));
    try {
      const r = await run('import', VALID);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/is in use by process \d+/);
    } finally {
      rmSync(join(dataDir, '.infoline.lock'), { force: true });
    }
  });

  it('should print the usage and exit 2 on a usage error', async () => {
    for (const args of [[], ['frobnicate', 'x'], ['import'], ['export', 'x', '--format', 'xml'], ['validate', 'x', '--bogus']]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Usage: npm run directory --');
    }
  });
});
