/** Directory search on real PGlite: each filter, ranking, live capacity, and what strict mode leaves out. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { DirectoryRepository } from '../../directory/directory.repository.js';
import { DirectorySearch } from '../../directory/directory-search.js';
import { emptyDataset, TABLES, type Dataset } from '../../directory/model.js';

const bxl = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Brussels' }).toJSDate();
const src = { x_source: 'plan', x_source_document: '004_cb8e911b77208c6d', x_source_lines: '2662-2745' };

/** A small directory: parse every row through the model so defaults apply as in an import. */
function dataset(): Dataset {
  const d = emptyDataset();
  const add = <T extends keyof Dataset>(table: T, row: Record<string, unknown>) =>
    (d[table] as unknown[]).push(TABLES[table].parse(row));
  add('organizations', { id: 'org-a', name: 'Org A', description: 'A', ...src });
  add('organizations', { id: 'org-b', name: 'Org B', description: 'B', ...src });
  const svc = (id: string, org: string, extra: Record<string, unknown> = {}) =>
    add('services', { id, organization_id: org, name: id, description: `${id} desc`, ...src, ...extra });
  svc('svc-night', 'org-a'); // night shelter, Saint-Gilles near Midi, 20:00-08:00, speaks fr
  svc('svc-family', 'org-a'); // emergency shelter for families, Schaerbeek, region
  svc('svc-shower', 'org-b'); // shower, Bruxelles (Marolles), day hours
  svc('svc-women', 'org-b'); // night shelter for women, region-wide, no location
  svc('svc-gone', 'org-b', { status: 'defunct' });
  svc('svc-limburg', 'org-b', { x_source_document: '003_202ad49bcd0c2b9b', x_source_lines: '460-463' });
  for (const [s, terms] of Object.entries({
    'svc-night': ['night-shelter', 'emergency-shelter'], 'svc-family': ['emergency-shelter', 'families'],
    'svc-shower': ['shower-hygiene'], 'svc-women': ['night-shelter', 'women'], 'svc-gone': ['night-shelter'],
    'svc-limburg': ['night-shelter'],
  })) for (const t of terms) add('attributes', { id: `attr-${s}-${t}`, link_id: s, taxonomy_term_id: t });
  for (const [id, kind] of [['night-shelter', 'need'], ['emergency-shelter', 'need'], ['shower-hygiene', 'need'], ['families', 'group'], ['women', 'group']])
    add('taxonomy_terms', { id, term: id, x_kind: kind });
  add('locations', { id: 'loc-midi', organization_id: 'org-a', name: 'Near the station', address_1: 'Test street 1', x_commune: 'saint-gilles', latitude: 50.8357, longitude: 4.3362, x_coordinates_precision: 'address', ...src });
  add('locations', { id: 'loc-schaerbeek', organization_id: 'org-a', x_commune: 'schaerbeek', ...src });
  add('locations', { id: 'loc-marolles', organization_id: 'org-b', name: 'Marollen', x_commune: 'bruxelles', ...src });
  add('service_at_locations', { id: 'sal-night', service_id: 'svc-night', location_id: 'loc-midi' });
  add('service_at_locations', { id: 'sal-family', service_id: 'svc-family', location_id: 'loc-schaerbeek' });
  add('service_at_locations', { id: 'sal-shower', service_id: 'svc-shower', location_id: 'loc-marolles' });
  add('service_areas', { id: 'area-family', service_id: 'svc-family', name: 'region' });
  add('service_areas', { id: 'area-women', service_id: 'svc-women', name: 'region' });
  add('schedules', { id: 'sch-night', service_id: 'svc-night', opens_at: '20:00', closes_at: '08:00', ...src });
  add('schedules', { id: 'sch-shower', service_id: 'svc-shower', byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opens_at: '09:00', closes_at: '12:00', ...src });
  add('languages', { id: 'lang-night-fr', service_id: 'svc-night', code: 'fr' });
  add('phones', { id: 'ph-family', service_id: 'svc-family', number: '0800 99 340', languages: ['fr', 'nl', 'en'], x_source: 'public', x_last_verified: '2026-12-01' });
  add('service_capacities', { id: 'cap-night', service_id: 'svc-night', unit: 'bed', maximum: 40, ...src });
  return d;
}

describe('DirectorySearch', () => {
  let db: Database;
  let search: DirectorySearch;
  const midi = { lat: 50.8357, lon: 4.3362 };
  const kinds = new Map([['night-shelter', 'need'], ['emergency-shelter', 'need'], ['shower-hygiene', 'need'], ['families', 'group'], ['women', 'group']] as const);
  const centres: Record<string, { lat: number; lon: number }> = { schaerbeek: { lat: 50.867, lon: 4.377 }, bruxelles: { lat: 50.846, lon: 4.352 } };
  const haversine = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
    const r = (x: number) => (x * Math.PI) / 180;
    const h = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  };

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    await new DirectoryRepository(db).replaceAll(dataset());
    search = new DirectorySearch({
      db, kindOf: (id) => kinds.get(id as never), distanceKm: haversine,
      locate: (l) => (l.x_commune && centres[l.x_commune] ? { ...centres[l.x_commune]!, precision: 'commune' } : undefined),
    });
  });
  afterAll(async () => db.close());

  const ids = (hits: Array<{ id: string }>) => hits.map((h) => h.id);

  it('should find services by need and leave out defunct and non-Brussels ones', async () => {
    const hits = await search.search({ needs: ['night-shelter'], strict: true, limit: 10 });
    expect(ids(hits).sort()).toEqual(['svc-night', 'svc-women']);
  });

  it('should filter by target group in strict mode and prefer the group otherwise', async () => {
    expect(ids(await search.search({ needs: ['night-shelter', 'emergency-shelter'], groups: ['women'], strict: true }))).toEqual(['svc-women']);
    const soft = await search.search({ needs: ['emergency-shelter', 'night-shelter'], groups: ['families'], limit: 10 });
    expect(soft[0]!.id).toBe('svc-family');
  });

  it('should filter by commune, counting region-wide services as covering it', async () => {
    const hits = await search.search({ needs: ['night-shelter', 'emergency-shelter'], commune: 'saint-gilles', strict: true, limit: 10 });
    expect(ids(hits)).toContain('svc-night');
    expect(ids(hits)).toContain('svc-women'); // region-wide
    expect(hits[0]!.id).toBe('svc-night'); // located there
    const marolles = await search.search({ needs: ['shower-hygiene'], commune: 'schaerbeek', strict: true });
    expect(marolles).toEqual([]);
  });

  it('should rank by distance to a place and report it, using the commune centre when no coordinates', async () => {
    const hits = await search.search({ needs: ['night-shelter', 'emergency-shelter'], near: midi, limit: 10 });
    const night = hits.find((h) => h.id === 'svc-night')!;
    const family = hits.find((h) => h.id === 'svc-family')!;
    expect(night.distanceKm).toBe(0);
    expect(family.distanceKm).toBeGreaterThan(3);
    expect(family.locations[0]!.precision).toBe('commune');
    expect(hits.findIndex((h) => h.id === 'svc-night')).toBeLessThan(hits.findIndex((h) => h.id === 'svc-family'));
  });

  it('should filter by opening now and tonight in Brussels time', async () => {
    const at3am = bxl('2027-01-15T03:00');
    expect(ids(await search.search({ needs: ['night-shelter'], open: 'now', at: at3am, strict: true }))).toEqual(['svc-night']);
    const atNoon = bxl('2027-01-15T11:00'); // a Friday
    expect(ids(await search.search({ needs: ['night-shelter', 'shower-hygiene'], open: 'now', at: atNoon, strict: true }))).toEqual(['svc-shower']);
    const tonight = await search.search({ needs: ['night-shelter', 'shower-hygiene'], open: 'tonight', at: atNoon, strict: true });
    expect(ids(tonight)).toEqual(['svc-night']);
    expect(tonight[0]!.openTonight).toBe('open');
    expect((await search.search({ needs: ['shower-hygiene'], open: 'now', at: bxl('2027-01-16T11:00'), strict: true }))).toEqual([]); // Saturday
  });

  it('should filter by languages spoken (service languages and phone languages)', async () => {
    expect(ids(await search.search({ needs: ['emergency-shelter'], languages: ['nl'], strict: true }))).toEqual(['svc-family']);
    expect(ids(await search.search({ needs: ['emergency-shelter'], languages: ['fr'], strict: true, limit: 10 })).sort()).toEqual(['svc-family', 'svc-night']);
    expect(await search.search({ needs: ['emergency-shelter'], languages: ['tr'], strict: true })).toEqual([]);
  });

  it('should return the live free places with when and by whom they were updated', async () => {
    await db.query(`INSERT INTO capacity_records (service_id, free, total, updated_at, updated_by) VALUES ('svc-night', 3, 40, '2027-01-15T01:00:00Z', 'Shelter staff (token 1)')`);
    const [hit] = await search.search({ needs: ['night-shelter'], groups: [], near: midi, limit: 1 });
    expect(hit!.live).toEqual({ free: 3, total: 40, updatedAt: '2027-01-15T01:00:00.000Z', updatedBy: 'Shelter staff (token 1)' });
    expect(hit!.capacity).toEqual({ maximum: 40, unit: 'bed' });
  });
});
