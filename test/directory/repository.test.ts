import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { DirectoryRepository, importValidated } from '../../directory/directory.repository.js';
import { readHsds } from '../../directory/hsds-csv.js';
import { readHsdsJson } from '../../directory/hsds-json.js';
import { TABLE_NAMES, emptyDataset, type Dataset } from '../../directory/model.js';
import { countRows } from '../../directory/validate.js';

const FIXTURES = 'test/fixtures/hsds';
const fixture = (): Dataset => readHsdsJson(join(FIXTURES, 'valid.json')).dataset!;

describe('DirectoryRepository on PGlite', () => {
  let db: Database;
  let repo: DirectoryRepository;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    repo = new DirectoryRepository(db);
  });
  afterAll(async () => db.close());
  beforeEach(async () => repo.replaceAll(emptyDataset()));

  it('should start empty and give back exactly what was imported', async () => {
    expect(await repo.isEmpty()).toBe(true);
    const d = fixture();
    await repo.replaceAll(d);
    expect(await repo.isEmpty()).toBe(false);
    expect(await repo.counts()).toEqual(countRows(d));
    const exported = await repo.exportAll();
    expect(exported).toEqual(d);
    // Same field order as the file readers, despite jsonb reordering keys.
    expect(Object.keys(exported.services[0]!)).toEqual(Object.keys(d.services[0]!));
  });

  it('should fill the search columns beside the record', async () => {
    await repo.replaceAll(fixture());
    const loc = await db.query<{ commune: string; latitude: number; organization_id: string }>(
      `SELECT commune, latitude, organization_id FROM dir_locations WHERE id = $1`, ['loc-test-night']);
    expect(loc.rows).toEqual([{ commune: 'saint-gilles', latitude: 50.8275, organization_id: 'fixture-shelters' }]);
    const svc = await db.query<{ status: string; name: string }>(`SELECT status, name FROM dir_services WHERE id = $1`, ['test-day-centre']);
    expect(svc.rows).toEqual([{ status: 'temporarily closed', name: 'Fixture day centre' }]);
    const kinds = await db.query<{ id: string; kind: string }>(`SELECT id, kind FROM dir_taxonomy_terms ORDER BY id`);
    expect(kinds.rows.find((r) => r.id === 'young-adults')?.kind).toBe('group');
    const phone = await db.query<{ number: string; service_id: string }>(`SELECT number, service_id FROM dir_phones`);
    expect(phone.rows).toEqual([{ number: '0800 99 340', service_id: 'new-samusocial-0800' }]);
    const sched = await db.query<{ service_at_location_id: string | null }>(`SELECT service_at_location_id FROM dir_schedules WHERE id = 'sched-day-weekdays'`);
    expect(sched.rows[0]!.service_at_location_id).toBe('sal-day');
  });

  it('should replace, not merge: rows missing from the new dataset are gone', async () => {
    await repo.replaceAll(fixture());
    const smaller = fixture();
    smaller.service_capacities = [];
    smaller.attributes = smaller.attributes.filter((a) => a.link_id !== 'test-day-centre');
    await repo.replaceAll(smaller);
    expect(await repo.exportAll()).toEqual(smaller);
  });

  it('should change nothing when an insert fails halfway', async () => {
    await repo.replaceAll(fixture());
    const before = await repo.exportAll();
    // Not validated on purpose: the last table references a service that does not exist, so the foreign key fails
    // after every other table was already deleted and re-inserted inside the transaction.
    const bad = fixture();
    bad.organizations = bad.organizations.map((o) => ({ ...o, name: `${o.name} (new)` }));
    bad.service_capacities = [{ ...bad.service_capacities[0]!, service_id: 'no-such-service' }];
    await expect(repo.replaceAll(bad)).rejects.toThrow();
    expect(await repo.exportAll()).toEqual(before);
  });

  it('should import a few hundred rows in batches well under a second', async () => {
    const d = emptyDataset();
    const template = fixture();
    for (let i = 0; i < 150; i++) {
      const org = `org-${String(i).padStart(3, '0')}`;
      d.organizations.push({ id: org, name: `Org ${i}`, alternate_name: null, description: 'Generated for a timing test.', email: null, website: null, x_source: 'operator', x_source_document: null, x_source_lines: null, x_last_verified: null });
      for (const k of [0, 1]) {
        d.services.push({ ...template.services[0]!, id: `${org}-svc-${k}`, organization_id: org, name: `Service ${i}.${k}` });
      }
    }
    d.taxonomy_terms = template.taxonomy_terms;
    d.attributes = d.services.map((s, i) => ({ id: `attr-${i}`, link_id: s.id, link_type: 'service' as const, taxonomy_term_id: 'night-shelter' }));
    const started = performance.now();
    await repo.replaceAll(d);
    const ms = performance.now() - started;
    expect(await repo.counts()).toMatchObject({ organizations: 150, services: 300, attributes: 300 });
    expect((await repo.exportAll()).services.map((s) => s.id)).toEqual(d.services.map((s) => s.id).sort());
    // 754 rows, one INSERT per 200 rows of a table: about 120 ms here; the bound leaves room for a loaded CI machine.
    expect(ms).toBeLessThan(1000);
  });
});

describe('importing broken files changes nothing', () => {
  let db: Database;
  let repo: DirectoryRepository;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    repo = new DirectoryRepository(db);
  });
  afterAll(async () => db.close());

  const broken = readdirSync(join(FIXTURES, 'broken')).sort();
  it('should have the broken fixtures', () => {
    expect(broken.length).toBeGreaterThanOrEqual(8);
  });

  for (const start of ['empty', 'with data'] as const) {
    it.each(broken)(`should leave a database ${start} untouched by %s`, async (name) => {
      await repo.replaceAll(start === 'empty' ? emptyDataset() : fixture());
      const before = { counts: await repo.counts(), rows: await repo.exportAll() };
      const result = readHsds(join(FIXTURES, 'broken', name));
      expect(result.errors.length).toBeGreaterThan(0);
      expect(await importValidated(repo, result)).toBe(false);
      expect(await repo.counts()).toEqual(before.counts);
      expect(await repo.exportAll()).toEqual(before.rows);
    });
  }

  it('should import the valid CSV datapackage', async () => {
    await repo.replaceAll(emptyDataset());
    expect(await importValidated(repo, readHsds(join(FIXTURES, 'valid-csv')))).toBe(true);
    const counts = await repo.counts();
    expect(TABLE_NAMES.every((t) => counts[t] > 0)).toBe(true);
    expect(await repo.exportAll()).toEqual(fixture());
  });
});
