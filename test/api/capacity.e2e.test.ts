/**
 * Free places API over real HTTP: an express app with express.json(), capacityRoutes and errorHandler on a migrated
 * in-memory PGlite, listening on an ephemeral port, called with fetch.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capacityRoutes } from '../../api/capacity.routes.js';
import { errorHandler } from '../../api/http-errors.js';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { CapacityRepository } from '../../directory/capacity.repository.js';
import { createLogger } from '../../logger.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Error messages as shipped: the test never hard-codes a user-facing string. */
const errors = (lang: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as { errors: Record<string, string> }).errors;
const fill = (template: string, params: Record<string, unknown>) =>
  template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(params[k]));

const T0 = new Date('2025-01-15T21:00:00.000Z');
const minutes = (d: Date, n: number) => new Date(d.getTime() + n * 60_000);

async function insertFixtures(db: Database): Promise<void> {
  await db.query(`INSERT INTO dir_organizations (id, name, record) VALUES ('org-a', 'Org A', '{}')`);
  await db.query(
    `INSERT INTO dir_services (id, organization_id, name, status, record) VALUES
       ('svc-a', 'org-a', 'Shelter A', 'active', '{}'), ('svc-b', 'org-a', 'Shelter B', 'active', '{}')`,
  );
}

/** Starts an app on port 0; returns its base URL and a close function. */
async function start(deps: Parameters<typeof capacityRoutes>[0]): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(express.json());
  app.use(capacityRoutes(deps));
  app.use(errorHandler(createLogger('silent')));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

async function call(url: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

function expectError(r: { status: number; body: Json }, status: number, code: string, params: Record<string, unknown> = {}, lang = 'en') {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body).toEqual({ error: { code, message: fill(errors(lang)[code]!, params) } });
}

describe('capacity API', () => {
  let db: Database;
  let repo: CapacityRepository;
  let api: { url: string; close: () => Promise<void> };
  let clock = T0;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    await insertFixtures(db);
    repo = new CapacityRepository(db);
    api = await start({ capacity: repo, rateLimit: { windowMs: 60_000, max: 1000 }, now: () => clock });
  });
  afterAll(async () => {
    await api.close();
    await db.close();
  });
  beforeEach(async () => {
    clock = T0;
    await db.query('DELETE FROM shelter_tokens');
    await db.query('DELETE FROM capacity_records');
    await db.query('DELETE FROM capacity_history');
    tokenA = (await repo.createToken('svc-a')).token;
    tokenB = (await repo.createToken('svc-b', 'Shelter B night team')).token;
  });

  const put = (serviceId: string, json: unknown, token?: string, init: RequestInit = {}) =>
    call(`${api.url}/api/capacity/${serviceId}`, { method: 'PUT', json, token, ...init });
  const tableRows = async () => ({
    records: (await db.query('SELECT service_id, free, total, updated_at, updated_by FROM capacity_records ORDER BY service_id')).rows,
    history: (await db.query('SELECT service_id, free, total, recorded_at, recorded_by FROM capacity_history ORDER BY id')).rows,
  });

  describe('PUT /api/capacity/:serviceId', () => {
    it('should store the record and one history row, authored by the token label', async () => {
      const r = await put('svc-a', { free: 3, total: 40 }, tokenA);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ serviceId: 'svc-a', free: 3, total: 40, updatedAt: T0.toISOString(), updatedBy: 'Shelter staff (token 1)', ageMinutes: 0 });
      expect(await tableRows()).toEqual({
        records: [{ service_id: 'svc-a', free: 3, total: 40, updated_at: T0, updated_by: 'Shelter staff (token 1)' }],
        history: [{ service_id: 'svc-a', free: 3, total: 40, recorded_at: T0, recorded_by: 'Shelter staff (token 1)' }],
      });
    });

    it('should answer 401 without a token, with a non-Bearer header, with a wrong token and with a revoked one', async () => {
      expectError(await put('svc-a', { free: 3, total: 40 }), 401, 'capacity_token_missing');
      expectError(await put('svc-a', { free: 3, total: 40 }, undefined, { headers: { authorization: `Basic ${tokenA}` } }), 401, 'capacity_token_missing');
      expectError(await put('svc-a', { free: 3, total: 40 }, `shl_${'x'.repeat(43)}`), 401, 'capacity_token_invalid');
      expectError(await put('svc-a', { free: 3, total: 40 }, tokenA.toUpperCase()), 401, 'capacity_token_invalid');
      await repo.revokeTokens('svc-a');
      expectError(await put('svc-a', { free: 3, total: 40 }, tokenA), 401, 'capacity_token_invalid');
      expect(await tableRows()).toEqual({ records: [], history: [] });
    });

    it("should answer 403 when a shelter edits another shelter's record, and change nothing", async () => {
      await put('svc-b', { free: 2, total: 10 }, tokenB);
      const before = await tableRows();
      expectError(await put('svc-b', { free: 0, total: 10 }, tokenA), 403, 'capacity_other_shelter');
      expectError(await put('svc-a', { free: 0, total: 10 }, tokenB), 403, 'capacity_other_shelter');
      expect(await tableRows()).toEqual(before);
    });

    it('should answer 415 for a body that is not JSON', async () => {
      const r = await call(`${api.url}/api/capacity/svc-a`, {
        method: 'PUT', token: tokenA, headers: { 'content-type': 'text/plain' }, body: 'free=3&total=40',
      });
      expectError(r, 415, 'content_type');
    });

    it.each([
      [[3, 40], 'body_not_object', {}],
      [{ free: '3', total: 40 }, 'capacity_field_invalid', { field: 'free', max: 10_000 }],
      [{ free: 3.5, total: 40 }, 'capacity_field_invalid', { field: 'free', max: 10_000 }],
      [{ free: -1, total: 40 }, 'capacity_field_invalid', { field: 'free', max: 10_000 }],
      [{ free: 3 }, 'capacity_field_invalid', { field: 'total', max: 10_000 }],
      [{ free: 3, total: 20_000 }, 'capacity_field_invalid', { field: 'total', max: 10_000 }],
      [{ free: 41, total: 40 }, 'capacity_free_over_total', { free: 41, total: 40 }],
      // The author is the token's label: a name sent in the body is refused, never stored.
      [{ free: 3, total: 40, updatedBy: 'Marie' }, 'capacity_unknown_field', { field: 'updatedBy' }],
    ])('should answer 400 for %j', async (json, code, params) => {
      expectError(await put('svc-a', json, tokenA), 400, code, params);
      expect(await tableRows()).toEqual({ records: [], history: [] });
    });

    it('should answer 400 for broken JSON', async () => {
      const r = await call(`${api.url}/api/capacity/svc-a`, { method: 'PUT', token: tokenA, headers: { 'content-type': 'application/json' }, body: '{"free": 3,' });
      expectError(r, 400, 'invalid_json');
    });

    it('should answer 404 when the token is for a service no longer in the directory', async () => {
      await db.query(`DELETE FROM dir_services WHERE id = 'svc-b'`);
      try {
        expectError(await put('svc-b', { free: 1, total: 2 }, tokenB), 404, 'capacity_unknown_service', { serviceId: 'svc-b' });
        expect(await tableRows()).toEqual({ records: [], history: [] });
      } finally {
        await db.query(`INSERT INTO dir_services (id, organization_id, name, status, record) VALUES ('svc-b', 'org-a', 'Shelter B', 'active', '{}')`);
      }
    });

    it("should answer in the requester's language", async () => {
      expectError(await put('svc-b', { free: 1, total: 2 }, tokenA, { headers: { 'accept-language': 'fr-BE,fr;q=0.9' } }), 403, 'capacity_other_shelter', {}, 'fr');
      expectError(await put('svc-a', { free: 9, total: 2 }, tokenA, { headers: { 'accept-language': 'uk' } }), 400, 'capacity_free_over_total', { free: 9, total: 2 }, 'uk');
    });
  });

  describe('public reads', () => {
    it('should show a record with its age, and all records, without a token', async () => {
      await put('svc-a', { free: 3, total: 40 }, tokenA);
      clock = minutes(T0, 30);
      await put('svc-b', { free: 0, total: 12 }, tokenB);
      clock = minutes(T0, 90.5);
      const one = await call(`${api.url}/api/capacity/svc-a`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual({ serviceId: 'svc-a', free: 3, total: 40, updatedAt: T0.toISOString(), updatedBy: 'Shelter staff (token 1)', ageMinutes: 90 });
      const all = await call(`${api.url}/api/capacity`);
      expect(all.body).toEqual({
        records: [
          { serviceId: 'svc-a', free: 3, total: 40, updatedAt: T0.toISOString(), updatedBy: 'Shelter staff (token 1)', ageMinutes: 90 },
          { serviceId: 'svc-b', free: 0, total: 12, updatedAt: minutes(T0, 30).toISOString(), updatedBy: 'Shelter B night team', ageMinutes: 60 },
        ],
      });
    });

    it('should answer 404 for a service without a record', async () => {
      expectError(await call(`${api.url}/api/capacity/svc-b`), 404, 'capacity_no_record', { serviceId: 'svc-b' });
    });

    it('should list the history newest first, honour limit and refuse a bad one', async () => {
      for (const [i, free] of [5, 4, 2].entries()) {
        clock = minutes(T0, i * 10);
        expect((await put('svc-a', { free, total: 40 }, tokenA)).status).toBe(200);
      }
      const h = await call(`${api.url}/api/capacity/svc-a/history`);
      expect(h.status).toBe(200);
      expect(h.body).toEqual({
        serviceId: 'svc-a',
        records: [2, 1, 0].map((i) => ({ free: [5, 4, 2][i], total: 40, recordedAt: minutes(T0, i * 10).toISOString(), recordedBy: 'Shelter staff (token 1)' })),
      });
      const two = await call(`${api.url}/api/capacity/svc-a/history?limit=2`);
      expect((two.body.records as Array<{ free: number }>).map((r) => r.free)).toEqual([2, 4]);
      for (const bad of ['0', '501', 'abc', '1.5', '-1', ''])
        expectError(await call(`${api.url}/api/capacity/svc-a/history?limit=${bad}`), 400, 'capacity_history_limit', { max: 500 });
      expect((await call(`${api.url}/api/capacity/svc-a/history?limit=500`)).status).toBe(200);
    });

    it('should give an empty history for a known service and 404 for an unknown one', async () => {
      expect((await call(`${api.url}/api/capacity/svc-b/history`)).body).toEqual({ serviceId: 'svc-b', records: [] });
      expectError(await call(`${api.url}/api/capacity/svc-nope/history`), 404, 'capacity_unknown_service', { serviceId: 'svc-nope' });
    });
  });
});

describe('capacity API rate limit', () => {
  let db: Database;
  let repo: CapacityRepository;
  let api: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    await insertFixtures(db);
    repo = new CapacityRepository(db);
    api = await start({ capacity: repo, rateLimit: { windowMs: 60_000, max: 3 } });
  });
  afterAll(async () => {
    await api.close();
    await db.close();
  });

  const put = (serviceId: string, token?: string) =>
    call(`${api.url}/api/capacity/${serviceId}`, { method: 'PUT', json: { free: 1, total: 5 }, token });

  it('should answer 429 after max updates per token, with standard headers, and count each token on its own', async () => {
    const a = (await repo.createToken('svc-a')).token;
    const b = (await repo.createToken('svc-b')).token;
    for (let i = 0; i < 3; i++) {
      const r = await put('svc-a', a);
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit')).toMatch(new RegExp(`limit=3, remaining=${2 - i}, reset=\\d+`));
      expect(r.headers.get('ratelimit-policy')).toBe('3;w=60');
    }
    const over = await put('svc-a', a);
    expectError(over, 429, 'capacity_rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.headers.get('x-ratelimit-limit')).toBeNull(); // no legacy headers
    // The refused update was not stored.
    expect((await db.query(`SELECT count(*)::int AS n FROM capacity_history WHERE service_id = 'svc-a'`)).rows).toEqual([{ n: 3 }]);
    // Another shelter has its own budget.
    expect((await put('svc-b', b)).status).toBe(200);
  });

  it('should count requests without a valid token by IP, so guessing tokens does not buy new budget', async () => {
    expectError(await put('svc-a'), 401, 'capacity_token_missing');
    for (let i = 0; i < 2; i++) expectError(await put('svc-a', `shl_${String(i).repeat(43)}`), 401, 'capacity_token_invalid');
    expectError(await put('svc-a', `shl_${'9'.repeat(43)}`), 429, 'capacity_rate_limited');
    expectError(await put('svc-a'), 429, 'capacity_rate_limited');
  });
});
