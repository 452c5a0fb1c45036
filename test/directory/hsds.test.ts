import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { datapackageDescriptor, readHsds, readHsdsCsv, writeHsdsCsv } from '../../directory/hsds-csv.js';
import { readHsdsJson, writeHsdsJson } from '../../directory/hsds-json.js';
import { TABLE_NAMES, type Dataset } from '../../directory/model.js';
import { REFERENCES, formatErrors, validateDataset, type ValidationError } from '../../directory/validate.js';

const FIXTURES = 'test/fixtures/hsds';
const VALID = join(FIXTURES, 'valid.json');
const SEED = 'directory/seed/directory.json';
const tmp = mkdtempSync(join(tmpdir(), 'hsds-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The fixture as a dataset (the test fails here if the fixture itself stops validating). */
function fixture(): Dataset {
  const r = readHsdsJson(VALID);
  expect(formatErrors(r.errors)).toEqual([]);
  return r.dataset!;
}
const where = (file: string) => (_t: string, i: number) => ({ file, row: i + 1 });
const loc = (errors: ValidationError[]) => errors.map((e) => ({ file: e.file, row: e.row, field: e.field }));
/** The fixture as plain JSON, to be broken in memory. */
const rawFixture = () => JSON.parse(readFileSync(VALID, 'utf8')) as Record<string, Array<Record<string, unknown>>>;

describe('HSDS JSON', () => {
  it('should read the fixture with every table, defaults filled in and rows sorted by id', () => {
    const d = fixture();
    expect(Object.keys(d)).toEqual(TABLE_NAMES);
    expect(d.organizations.map((o) => o.id)).toEqual(['fixture-shelters', 'new-samusocial']);
    expect(d.services).toHaveLength(3);
    expect(d.schedules.map((s) => s.id)).toEqual(['sched-day-weekdays', 'sched-night-overnight', 'sched-night-winter']);
    const overnight = d.schedules.find((s) => s.id === 'sched-night-overnight')!;
    expect(overnight).toMatchObject({ opens_at: '20:00', closes_at: '08:00', byday: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], freq: 'WEEKLY' });
    expect(d.schedules.find((s) => s.id === 'sched-night-winter')).toMatchObject({ x_always_open: true, valid_from: '--11-15', valid_to: '--03-31' });
    expect(d.services.find((s) => s.id === 'new-samusocial-0800')).toMatchObject({ status: 'active', x_programmatic: false, minimum_age: null });
  });

  it('should write a stable file: tables in import order, rows by id, 2-space indent, and read it back equal', () => {
    const d = fixture();
    const out = join(tmp, 'out.json');
    writeHsdsJson(out, d);
    const text = readFileSync(out, 'utf8');
    const parsed = JSON.parse(text) as Record<string, Array<{ id: string }>>;
    expect(Object.keys(parsed)).toEqual(TABLE_NAMES);
    expect(text).toMatch(/^\{\n {2}"organizations": \[\n {4}\{\n {6}"id": "fixture-shelters",\n {6}"name": /);
    for (const t of TABLE_NAMES) expect(parsed[t]!.map((r) => r.id)).toEqual([...parsed[t]!.map((r) => r.id)].sort());
    const again = readHsdsJson(out);
    expect(again.errors).toEqual([]);
    expect(again.dataset).toEqual(d);
    // Writing what was read gives the same bytes.
    writeHsdsJson(join(tmp, 'out2.json'), again.dataset!);
    expect(readFileSync(join(tmp, 'out2.json'), 'utf8')).toBe(text);
  });

  it('should report JSON that does not parse as one error naming the file and the line', () => {
    const file = join(FIXTURES, 'broken/unparsable.json');
    const r = readHsdsJson(file);
    expect(r.dataset).toBeUndefined();
    expect(loc(r.errors)).toEqual([{ file, row: 9, field: '(json)' }]);
    expect(r.errors[0]!.message).toMatch(/line 9, column 5/);
  });

  it('should report a file that does not exist', () => {
    const r = readHsdsJson(join(tmp, 'nope.json'));
    expect(loc(r.errors)).toEqual([{ file: join(tmp, 'nope.json'), row: 0, field: '(file)' }]);
  });
});

describe('HSDS CSV datapackage', () => {
  it('should round-trip JSON → dataset → CSV → dataset → JSON to the same dataset and the same JSON', () => {
    const d = fixture();
    const dir = join(tmp, 'csv-roundtrip');
    writeHsdsCsv(dir, d);
    const back = readHsdsCsv(dir);
    expect(formatErrors(back.errors)).toEqual([]);
    expect(back.dataset).toEqual(d);
    writeHsdsJson(join(tmp, 'a.json'), d);
    writeHsdsJson(join(tmp, 'b.json'), back.dataset!);
    expect(readFileSync(join(tmp, 'b.json'), 'utf8')).toBe(readFileSync(join(tmp, 'a.json'), 'utf8'));
  });

  it('should read the committed CSV fixture (multi-line quoted cells) as the JSON fixture', () => {
    const r = readHsds(join(FIXTURES, 'valid-csv'));
    expect(formatErrors(r.errors)).toEqual([]);
    expect(r.dataset).toEqual(fixture());
  });

  it('should encode null as an empty cell, booleans as true/false, arrays joined with "," and numbers as numbers', () => {
    const dir = join(tmp, 'csv-encoding');
    writeHsdsCsv(dir, fixture());
    const rows = (file: string) => parse(readFileSync(join(dir, file), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const sched = rows('schedules.csv').find((r) => r.id === 'sched-day-weekdays')!;
    expect(sched).toMatchObject({ service_id: '', service_at_location_id: 'sal-day', byday: 'MO,TU,WE,TH,FR', x_always_open: 'false', valid_from: '' });
    expect(rows('schedules.csv').find((r) => r.id === 'sched-night-winter')).toMatchObject({ x_always_open: 'true', opens_at: '' });
    expect(rows('locations.csv').find((r) => r.id === 'loc-test-night')).toMatchObject({ latitude: '50.8275', longitude: '4.3455' });
    expect(rows('phones.csv')[0]).toMatchObject({ number: '0800 99 340', languages: 'fr,nl,en' });
    expect(rows('service_capacities.csv')[0]).toMatchObject({ maximum: '40' });
    // An empty table still gets its header, so the folder always holds every table.
    writeHsdsCsv(join(tmp, 'csv-empty'), { ...fixture(), service_capacities: [] });
    expect(readFileSync(join(tmp, 'csv-empty', 'service_capacities.csv'), 'utf8')).toMatch(/^id,service_id,unit,maximum,/);
  });

  it('should describe the tables as a Frictionless tabular data package with typed fields', () => {
    const dir = join(tmp, 'csv-descriptor');
    writeHsdsCsv(dir, fixture());
    const pkg = JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8')) as {
      profile: string; name: string;
      resources: Array<{ name: string; path: string; profile: string; schema: { fields: Array<{ name: string; type: string }> } }>;
    };
    expect(pkg).toEqual(datapackageDescriptor());
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.name).toMatch(/^[a-z0-9._-]+$/);
    expect(pkg.resources.map((r) => r.path)).toEqual(TABLE_NAMES.map((t) => `${t}.csv`));
    expect(new Set(pkg.resources.map((r) => r.profile))).toEqual(new Set(['tabular-data-resource']));
    const type = (res: string, field: string) => pkg.resources.find((r) => r.name === res)!.schema.fields.find((f) => f.name === field)?.type;
    expect(type('services', 'minimum_age')).toBe('integer');
    expect(type('services', 'x_programmatic')).toBe('boolean');
    expect(type('services', 'name')).toBe('string');
    expect(type('locations', 'latitude')).toBe('number');
    expect(type('schedules', 'byday')).toBe('array');
    expect(type('phones', 'languages')).toBe('array');
    expect(type('organizations', 'x_last_verified')).toBe('date');
    expect(type('schedules', 'valid_from')).toBe('string');
    for (const r of pkg.resources) for (const f of r.schema.fields) expect(['string', 'integer', 'number', 'boolean', 'date', 'array']).toContain(f.type);
  });

  it('should treat a missing CSV as an empty table', () => {
    const dir = join(tmp, 'csv-missing-table');
    writeHsdsCsv(dir, fixture());
    rmSync(join(dir, 'service_capacities.csv'));
    const r = readHsdsCsv(dir);
    expect(r.errors).toEqual([]);
    expect(r.dataset!.service_capacities).toEqual([]);
    expect(r.dataset!.services).toHaveLength(3);
  });

  it('should name the file of an unknown CSV', () => {
    const dir = join(tmp, 'csv-unknown-file');
    writeHsdsCsv(dir, fixture());
    writeFileSync(join(dir, 'programs.csv'), 'id,name\np1,x\n');
    const r = readHsdsCsv(dir);
    expect(r.dataset).toBeUndefined();
    expect(loc(r.errors)).toEqual([{ file: join(dir, 'programs.csv'), row: 0, field: '(file)' }]);
  });

  it('should count lines as an editor does (CRLF, blank lines, quoted newlines) and report cells that do not convert', () => {
    const dir = join(tmp, 'csv-lines');
    writeHsdsCsv(dir, fixture());
    const file = join(dir, 'services.csv');
    const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
    // Line 2: a two-line description; line 4 blank; line 5: a boolean "yes"; line 6: an age "eighteen".
    const lines = [
      header,
      rows[0]!.replace('Free number for emergency shelter in Brussels.', '"Free number\r\nfor emergency shelter."'),
      '',
      rows[1]!.replace(',true,', ',yes,'),
      rows[2]!.replace(',18,', ',eighteen,'),
    ];
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    const r = readHsdsCsv(dir);
    expect(loc(r.errors)).toEqual([
      { file, row: 5, field: 'x_programmatic' },
      { file, row: 6, field: 'minimum_age' },
    ]);
  });

  it('should report a row with the wrong number of cells and a quote that is never closed', () => {
    const dir = join(tmp, 'csv-shape');
    writeHsdsCsv(dir, fixture());
    const langs = join(dir, 'languages.csv');
    writeFileSync(langs, readFileSync(langs, 'utf8').replace('lang-day-en,test-day-centre,en,English', 'lang-day-en,test-day-centre,en,English,extra'));
    const terms = join(dir, 'taxonomy_terms.csv');
    writeFileSync(terms, readFileSync(terms, 'utf8') + '"broken,term,x,infoline,need\n');
    const r = readHsdsCsv(dir);
    expect(loc(r.errors)).toEqual([
      { file: langs, row: 2, field: '(row)' },
      { file: terms, row: 6, field: '(csv)' },
    ]);
  });
});

describe('validation errors name the file, row and field', () => {
  const cases: Array<[string, Array<{ file: string; row: number; field: string }>]> = [
    ['broken/bad-time.json', [{ file: 'broken/bad-time.json', row: 2, field: 'opens_at' }]],
    ['broken/unknown-organization.json', [{ file: 'broken/unknown-organization.json', row: 3, field: 'organization_id' }]],
    ['broken/duplicate-id.json', [{ file: 'broken/duplicate-id.json', row: 5, field: 'id' }]],
    ['broken/missing-name.json', [{ file: 'broken/missing-name.json', row: 2, field: 'name' }]],
    ['broken/csv-bad-time', [{ file: 'broken/csv-bad-time/schedules.csv', row: 4, field: 'opens_at' }]],
    ['broken/csv-unknown-column', [{ file: 'broken/csv-unknown-column/services.csv', row: 1, field: 'opening_hours' }]],
    ['broken/csv-missing-name', [{ file: 'broken/csv-missing-name/organizations.csv', row: 3, field: 'name' }]],
  ];
  it.each(cases)('%s', (path, expected) => {
    const r = readHsds(join(FIXTURES, path));
    expect(r.dataset).toBeUndefined();
    expect(loc(r.errors)).toEqual(expected.map((e) => ({ ...e, file: join(FIXTURES, e.file) })));
    expect(formatErrors(r.errors)[0]).toContain(`${join(FIXTURES, expected[0]!.file)}:${expected[0]!.row}: ${expected[0]!.field}: `);
  });

  it('should say which table a JSON row is in, and leave the row out for whole-file errors', () => {
    const errors = [
      { file: 'd.json', row: 2, field: 'opens_at', message: 'a time HH:MM (24 h)', table: 'schedules' },
      { file: 'x/schedules.csv', row: 4, field: 'opens_at', message: 'bad', table: 'schedules' },
      { file: 'x/foo.csv', row: 0, field: '(file)', message: 'unknown' },
    ];
    expect(formatErrors(errors)).toEqual([
      'd.json:2: opens_at: a time HH:MM (24 h) (in schedules)',
      'x/schedules.csv:4: opens_at: bad',
      'x/foo.csv: (file): unknown',
    ]);
  });

  it('should flag every reference that does not resolve', () => {
    for (const ref of REFERENCES) {
      const raw = rawFixture();
      const index = raw[ref.table]!.findIndex((r) => typeof r[ref.field] === 'string');
      expect(index, `${ref.table}.${ref.field} in the fixture`).toBeGreaterThanOrEqual(0);
      raw[ref.table]![index]![ref.field] = 'missing-id';
      const r = validateDataset(raw, where('d.json'));
      expect(loc(r.errors), `${ref.table}.${ref.field}`).toEqual([{ file: 'd.json', row: index + 1, field: ref.field }]);
      expect(r.errors[0]!.message).toContain(ref.target);
    }
  });

  it('should collect every error at once, including the rules that span fields and tables', () => {
    const raw = rawFixture() as Record<string, unknown>;
    const t = raw as Record<string, Array<Record<string, unknown>>>;
    raw.programs = [];
    t.services![1]!.minimum_age = 30; // maximum_age is 25
    t.services![2]!.x_source = 'plan'; // without document or lines
    t.languages![0]!.opening_hours = 'always'; // not a field
    t.schedules![1]!.service_at_location_id = 'sal-night'; // now has both parents
    t.schedules![2]!.x_always_open = false; // and no hours
    t.phones![0]!.organization_id = null;
    t.phones![0]!.service_id = null;
    t.taxonomy_terms![0]!.x_kind = 'place';
    const r = validateDataset(raw, where('d.json'));
    expect(r.dataset).toBeUndefined();
    expect(r.errors.map((e) => `${e.table}:${e.row}:${e.field}`)).toEqual([
      'programs:0:programs',
      'languages:1:opening_hours',
      'taxonomy_terms:1:x_kind',
      'services:2:minimum_age',
      'services:3:x_source_document',
      'services:3:x_source_lines',
      'phones:1:organization_id',
      'schedules:2:service_id',
      'schedules:3:opens_at',
      'schedules:3:closes_at',
    ]);
  });

  it('should not flag children of a row that is itself invalid, nor refuse a dataset that is not an object silently', () => {
    const raw = rawFixture();
    delete raw.organizations![0]!.description;
    const r = validateDataset(raw, where('d.json'));
    expect(loc(r.errors)).toEqual([{ file: 'd.json', row: 1, field: 'description' }]);
    expect(loc(validateDataset([1, 2], where('d.json')).errors)).toEqual([{ file: 'd.json', row: 0, field: '(dataset)' }]);
    expect(loc(validateDataset({ services: {} }, where('d.json')).errors)).toEqual([{ file: 'd.json', row: 0, field: 'services' }]);
  });
});

describe.runIf(existsSync(SEED))('the seed directory (when present)', () => {
  it('should validate and round-trip through CSV unchanged', () => {
    const raw = JSON.parse(readFileSync(SEED, 'utf8')) as Record<string, Array<Record<string, unknown>>>;
    // The app adds the taxonomy's terms at load time (directory/seed.ts); stand-ins keep this test independent of it.
    if (!raw.taxonomy_terms?.length) {
      const ids = new Set((raw.attributes ?? []).map((a) => String(a.taxonomy_term_id)));
      raw.taxonomy_terms = [...ids].map((id) => ({ id, term: id, x_kind: 'need' }));
    }
    const r = validateDataset(raw, (table, i) => ({ file: `${SEED} (${table})`, row: i + 1 }));
    expect(formatErrors(r.errors)).toEqual([]);
    const dir = join(tmp, 'seed-csv');
    writeHsdsCsv(dir, r.dataset!);
    const back = readHsdsCsv(dir);
    expect(formatErrors(back.errors)).toEqual([]);
    expect(back.dataset).toEqual(r.dataset);
    writeHsdsJson(join(tmp, 'seed.json'), back.dataset!);
    expect(readHsdsJson(join(tmp, 'seed.json')).dataset).toEqual(r.dataset);
  });
});

// Keeps the broken fixtures honest: each differs from a valid dataset only by what its name says.
describe('broken CSV fixtures', () => {
  it('should be copies of the valid datapackage with one file changed', () => {
    const dir = join(tmp, 'copy');
    cpSync(join(FIXTURES, 'broken/csv-bad-time'), dir, { recursive: true });
    writeFileSync(join(dir, 'schedules.csv'), readFileSync(join(dir, 'schedules.csv'), 'utf8').replace('25:00,08:00', '20:00,08:00'));
    expect(readHsdsCsv(dir).dataset).toEqual(fixture());
  });
});
