/**
 * Capacity repository on real PGlite (in memory, migrated): tokens stored as hashes only, authentication and
 * revocation, one-transaction updates with history, validation; and the shelter-token script as a child process.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { CapacityError, CapacityRepository, validateFigures } from '../../directory/capacity.repository.js';

const run = promisify(execFile);

/** One organisation with two shelters, in plain SQL as the directory import would leave them. */
async function insertFixtures(db: Database): Promise<void> {
  await db.query(`INSERT INTO dir_organizations (id, name, record) VALUES ('org-a', 'Org A', '{}')`);
  await db.query(
    `INSERT INTO dir_services (id, organization_id, name, status, record) VALUES
       ('svc-a', 'org-a', 'Shelter A', 'active', '{}'), ('svc-b', 'org-a', 'Shelter B', 'active', '{}')`,
  );
}

/** Every row of every table in the public schema as text: to prove a value is stored nowhere. */
async function dumpDatabase(db: Database): Promise<string> {
  const { rows: tables } = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const { rows } = await db.query<{ t: string }>(`SELECT t::text AS t FROM "${tablename}" t`);
    parts.push(...rows.map((r) => r.t));
  }
  return parts.join('\n');
}

const T0 = new Date('2025-01-15T21:00:00.000Z');
const T1 = new Date('2025-01-15T22:30:00.000Z');

describe('CapacityRepository', () => {
  let db: Database;
  let repo: CapacityRepository;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    await insertFixtures(db);
    repo = new CapacityRepository(db);
  });
  afterAll(async () => db.close());
  beforeEach(async () => {
    await db.query('DELETE FROM shelter_tokens');
    await db.query('DELETE FROM capacity_records');
    await db.query('DELETE FROM capacity_history');
  });

  describe('tokens', () => {
    it('should return a shl_ token once and store only its SHA-256', async () => {
      const { token, label } = await repo.createToken('svc-a', 'Night team');
      expect(token).toMatch(/^shl_[A-Za-z0-9_-]{43}$/);
      expect(label).toBe('Night team');
      const { rows } = await db.query<{ service_id: string; token_hash: string; label: string; revoked_at: unknown }>(
        'SELECT service_id, token_hash, label, revoked_at FROM shelter_tokens',
      );
      expect(rows).toEqual([
        { service_id: 'svc-a', token_hash: createHash('sha256').update(token).digest('hex'), label: 'Night team', revoked_at: null },
      ]);
      const dump = await dumpDatabase(db);
      expect(dump).toContain(rows[0]!.token_hash);
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(4)); // not even without its prefix
    });

    it('should make a different token each time and number default labels', async () => {
      const a = await repo.createToken('svc-a');
      const b = await repo.createToken('svc-a');
      expect(a.token).not.toBe(b.token);
      expect([a.label, b.label]).toEqual(['Shelter staff (token 1)', 'Shelter staff (token 2)']);
    });

    it('should refuse a service that is not in dir_services and store nothing', async () => {
      const err = await repo.createToken('svc-nope', 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CapacityError);
      expect(err).toMatchObject({ code: 'capacity_unknown_service', params: { serviceId: 'svc-nope' } });
      expect((err as Error).message).toMatch(/no service "svc-nope"/);
      expect((await db.query('SELECT * FROM shelter_tokens')).rows).toEqual([]);
    });

    it('should refuse a multi-line or overlong label', async () => {
      await expect(repo.createToken('svc-a', 'a\nb')).rejects.toMatchObject({ code: 'capacity_label_invalid' });
      await expect(repo.createToken('svc-a', 'x'.repeat(101))).rejects.toMatchObject({ code: 'capacity_label_invalid' });
    });

    it('should authenticate a valid token and reject wrong, malformed and revoked ones', async () => {
      const a = await repo.createToken('svc-a', 'Team A');
      const b = await repo.createToken('svc-b', 'Team B');
      expect(await repo.authenticate(a.token)).toEqual({ serviceId: 'svc-a', label: 'Team A' });
      expect(await repo.authenticate(`shl_${'A'.repeat(43)}`)).toBeUndefined();
      expect(await repo.authenticate(a.token.slice(0, -1))).toBeUndefined();
      expect(await repo.authenticate('')).toBeUndefined();
      expect(await repo.revokeTokens('svc-a')).toBe(1);
      expect(await repo.revokeTokens('svc-a')).toBe(0); // already revoked
      expect(await repo.authenticate(a.token)).toBeUndefined();
      // Revoking one shelter leaves the other's token working.
      expect(await repo.authenticate(b.token)).toEqual({ serviceId: 'svc-b', label: 'Team B' });
    });
  });

  describe('updates', () => {
    it('should store the record and a history row with the same figures, time and author', async () => {
      const rec = await repo.update('svc-a', { free: 3, total: 40 }, 'Team A', T0);
      expect(rec).toEqual({ serviceId: 'svc-a', free: 3, total: 40, updatedAt: T0, updatedBy: 'Team A' });
      expect((await db.query('SELECT service_id, free, total, updated_at, updated_by FROM capacity_records')).rows).toEqual([
        { service_id: 'svc-a', free: 3, total: 40, updated_at: T0, updated_by: 'Team A' },
      ]);
      expect((await db.query('SELECT service_id, free, total, recorded_at, recorded_by FROM capacity_history')).rows).toEqual([
        { service_id: 'svc-a', free: 3, total: 40, recorded_at: T0, recorded_by: 'Team A' },
      ]);
    });

    it('should replace the record but keep every update in the history, newest first', async () => {
      await repo.update('svc-a', { free: 3, total: 40 }, 'Team A', T0);
      await repo.update('svc-a', { free: 0, total: 40 }, 'Team A night', T1);
      await repo.update('svc-b', { free: 5, total: 5 }, 'Team B', T1);
      expect(await repo.get('svc-a')).toEqual({ serviceId: 'svc-a', free: 0, total: 40, updatedAt: T1, updatedBy: 'Team A night' });
      expect(await repo.history('svc-a', 50)).toEqual([
        { serviceId: 'svc-a', free: 0, total: 40, recordedAt: T1, recordedBy: 'Team A night' },
        { serviceId: 'svc-a', free: 3, total: 40, recordedAt: T0, recordedBy: 'Team A' },
      ]);
      expect(await repo.history('svc-a', 1)).toHaveLength(1);
      expect((await repo.list()).map((r) => [r.serviceId, r.free])).toEqual([['svc-a', 0], ['svc-b', 5]]);
    });

    it('should order updates made at the same instant by insertion', async () => {
      await repo.update('svc-a', { free: 1, total: 9 }, 'x', T0);
      await repo.update('svc-a', { free: 2, total: 9 }, 'x', T0);
      expect((await repo.history('svc-a')).map((h) => h.free)).toEqual([2, 1]);
    });

    it('should refuse an unknown service and write neither table', async () => {
      await expect(repo.update('svc-nope', { free: 1, total: 2 }, 'x', T0)).rejects.toMatchObject({ code: 'capacity_unknown_service' });
      expect((await db.query('SELECT * FROM capacity_records')).rows).toEqual([]);
      expect((await db.query('SELECT * FROM capacity_history')).rows).toEqual([]);
      expect(await repo.get('svc-nope')).toBeUndefined();
    });

    it.each([
      [{ free: -1, total: 4 }, 'capacity_field_invalid', 'free'],
      [{ free: 1.5, total: 4 }, 'capacity_field_invalid', 'free'],
      [{ free: '3', total: 4 }, 'capacity_field_invalid', 'free'],
      [{ free: 3 }, 'capacity_field_invalid', 'total'],
      [{ free: 3, total: 10_001 }, 'capacity_field_invalid', 'total'],
      [{ free: 3, total: Number.NaN }, 'capacity_field_invalid', 'total'],
      [{ free: 5, total: 4 }, 'capacity_free_over_total', undefined],
    ])('should refuse %j', async (figures, code, field) => {
      const err = await repo.update('svc-a', figures as never, 'x', T0).catch((e: unknown) => e);
      expect(err).toMatchObject({ code, ...(field ? { params: { field, max: 10_000 } } : {}) });
      expect((await db.query('SELECT * FROM capacity_history')).rows).toEqual([]);
    });

    it('should accept the bounds 0 <= free <= total <= 10000', () => {
      expect(validateFigures({ free: 0, total: 0 })).toEqual({ free: 0, total: 0 });
      expect(validateFigures({ free: 10_000, total: 10_000 })).toEqual({ free: 10_000, total: 10_000 });
    });
  });
});

describe('scripts/shelter-token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infoline-capacity-'));
  const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '' };
  const script = (...args: string[]) => run('npx', ['tsx', 'scripts/shelter-token.ts', ...args], { env, timeout: 120_000 });

  beforeAll(async () => {
    const db = await openPglite(dir);
    await migrate(db);
    await insertFixtures(db);
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should create a working token, print it once with a warning, then revoke it', async () => {
    const created = await script('create', 'svc-b', 'Night', 'team');
    const token = created.stdout.trim();
    expect(token).toMatch(/^shl_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/shown only this once: store it safely/);
    expect(created.stderr).toContain('Night team');

    let db = await openPglite(dir);
    expect(await new CapacityRepository(db).authenticate(token)).toEqual({ serviceId: 'svc-b', label: 'Night team' });
    expect(await dumpDatabase(db)).not.toContain(token);
    await db.close();

    const revoked = await script('revoke', 'svc-b');
    expect(revoked.stdout).toMatch(/Revoked 1 token\(s\) of svc-b/);
    db = await openPglite(dir);
    expect(await new CapacityRepository(db).authenticate(token)).toBeUndefined();
    await db.close();
  });

  it('should fail with a clear message for an unknown service and a usage line for bad arguments', async () => {
    const unknown = (await script('create', 'svc-nope').catch((e: unknown) => e)) as { code: number; stderr: string; stdout: string };
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no service "svc-nope"/);
    expect(unknown.stdout).toBe('');
    const usage = (await script('list').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: npm run shelter-token/);
  });
});
