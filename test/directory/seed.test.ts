/**
 * The committed seed of the service directory (directory/seed/directory.json): valid HSDS rows, ids that resolve,
 * every plan fact pointing at lines of the corpus that really name it, and only the public phone numbers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TABLES, TABLE_NAMES, type Dataset } from '../../directory/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const raw = JSON.parse(readFileSync(join(root, 'directory', 'seed', 'directory.json'), 'utf8')) as Record<string, unknown[]>;
const seed = raw as unknown as Dataset;

// The fixed ids of .helpers/IDS.md (copied: tests must not depend on files outside the project's sources).
const NEEDS = [
  'emergency-shelter', 'night-shelter', 'day-centre', 'food', 'shower-hygiene', 'laundry', 'luggage-storage', 'health-care',
  'mental-health', 'addiction', 'urgent-medical-aid', 'reference-address', 'income', 'legal-aid', 'complaints', 'housing',
  'eviction-prevention', 'domestic-violence', 'digital-help', 'work-training', 'street-outreach', 'transit-housing',
  'crisis-places', 'debt-energy', 'social-services', 'papers-migration',
];
const GROUPS = [
  'minors-youth', 'young-adults', 'families', 'women', 'undocumented', 'eu-migrants', 'asylum-refugees', 'lgbtqia', 'pets',
  'elderly', 'disability', 'ex-prisoners', 'sex-workers',
];
const COMMUNES = [
  'anderlecht', 'auderghem', 'berchem-sainte-agathe', 'bruxelles', 'etterbeek', 'evere', 'forest', 'ganshoren', 'ixelles', 'jette',
  'koekelberg', 'molenbeek-saint-jean', 'saint-gilles', 'saint-josse-ten-noode', 'schaerbeek', 'uccle', 'watermael-boitsfort',
  'woluwe-saint-lambert', 'woluwe-saint-pierre',
];
/** ../shared/public-facts.md: the only phone numbers allowed anywhere. */
const PUBLIC_NUMBERS = ['112', '101', '1813', '0800 32 123', '1712', '0800 30 030', '102', '103', '116 000', '0800 99 340'];
/** Needs no plan offers a service for (the plans say nothing about them). */
const KNOWN_GAPS = ['laundry', 'luggage-storage'];
const LIMBURG = '003_202ad49bcd0c2b9b';

const PREFIX: Record<string, string> = {
  organizations: 'org-', services: 'svc-', locations: 'loc-', service_at_locations: 'sal-', service_areas: 'area-', phones: 'ph-',
  schedules: 'sch-', languages: 'lang-', taxonomy_terms: 'term-', attributes: 'attr-', service_capacities: 'cap-',
};

type Row = Record<string, unknown>;
const rows = (table: string) => (raw[table] ?? []) as Row[];
const corpus = new Map<string, string[]>();
function corpusLines(doc: string): string[] | null {
  if (!corpus.has(doc)) {
    const file = join(root, 'knowledge', 'corpus', `${doc}.txt`);
    if (!existsSync(file)) return null;
    corpus.set(doc, readFileSync(file, 'utf8').split('\n'));
  }
  return corpus.get(doc)!;
}
const ranges = (spec: string) =>
  spec.split(',').map((part) => {
    const [a, b] = part.trim().split('-').map(Number);
    return [a!, b ?? a!] as const;
  });
/** Lowercase, accents and curly quotes folded. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’‘`´]/g, "'");
/** The cited lines ±3, folded, in two readings: lines joined by a space, and line-end hyphens joined up ("socio-\néducatif"). */
function citedText(lines: string[], spec: string): string[] {
  const text = ranges(spec).map(([a, b]) => lines.slice(Math.max(0, a - 4), b + 3).join('\n')).join('\n');
  const f = fold(text);
  return [f.replace(/\s+/g, ' '), f.replace(/-\s*\n\s*/g, '').replace(/\s+/g, ' ')];
}
/**
 * The words of a name that should appear where it is cited: words of at least 5 letters and acronyms ("SMES", "SV");
 * a name with neither ("Fair Work") falls back to its words of at least 3 letters.
 */
function nameWords(name: string): string[] {
  const tokens = name.split(/[^\p{L}\p{N}]+/u).filter((w) => /\p{L}/u.test(w));
  const strong = tokens.filter((w) => w.length >= 5 || (w.length >= 2 && w === w.toUpperCase()));
  return (strong.length > 0 ? strong : tokens.filter((w) => w.length >= 3)).map(fold);
}
const significantWords = (...names: unknown[]) => names.filter((n): n is string => typeof n === 'string').flatMap(nameWords);

describe('directory seed', () => {
  it('parses with the model’s schemas, with no unknown field', () => {
    expect(Object.keys(raw).sort()).toEqual([...TABLE_NAMES].sort());
    const errors: string[] = [];
    for (const table of TABLE_NAMES) {
      rows(table).forEach((row, i) => {
        const parsed = TABLES[table].strict().safeParse(row);
        if (!parsed.success) errors.push(`${table}[${i}] ${String(row.id)}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      });
    }
    expect(errors).toEqual([]);
    expect(seed.services.length).toBeGreaterThanOrEqual(150);
    expect(seed.taxonomy_terms).toEqual([]);
  });

  it('has unique, prefixed ids and references that resolve', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const table of TABLE_NAMES) {
      for (const row of rows(table)) {
        const id = String(row.id);
        if (seen.has(id)) problems.push(`duplicate id ${id}`);
        seen.add(id);
        if (!id.startsWith(PREFIX[table]!)) problems.push(`${table} ${id} lacks prefix ${PREFIX[table]}`);
      }
    }
    const ids = (table: string) => new Set(rows(table).map((r) => r.id));
    const orgs = ids('organizations');
    const services = ids('services');
    const locations = ids('locations');
    const sals = ids('service_at_locations');
    const must = (ok: boolean, what: string) => ok || problems.push(what);
    for (const s of seed.services) must(orgs.has(s.organization_id), `service ${s.id}: organization ${s.organization_id}`);
    for (const l of seed.locations) must(orgs.has(l.organization_id), `location ${l.id}: organization ${l.organization_id}`);
    for (const x of seed.service_at_locations) {
      must(services.has(x.service_id), `${x.id}: service ${x.service_id}`);
      must(locations.has(x.location_id), `${x.id}: location ${x.location_id}`);
    }
    for (const a of seed.service_areas) {
      must(services.has(a.service_id), `${a.id}: service ${a.service_id}`);
      must(a.name === 'region' || COMMUNES.includes(a.name), `${a.id}: area ${a.name}`);
    }
    for (const l of seed.locations) must(l.x_commune === null || COMMUNES.includes(l.x_commune), `${l.id}: commune ${l.x_commune}`);
    for (const p of seed.phones) {
      must(p.organization_id === null || orgs.has(p.organization_id), `${p.id}: organization ${p.organization_id}`);
      must(p.service_id === null || services.has(p.service_id), `${p.id}: service ${p.service_id}`);
    }
    for (const s of seed.schedules) {
      must(s.service_id !== null || s.service_at_location_id !== null, `${s.id}: belongs to nothing`);
      must(s.service_id === null || services.has(s.service_id), `${s.id}: service ${s.service_id}`);
      must(s.service_at_location_id === null || sals.has(s.service_at_location_id), `${s.id}: ${s.service_at_location_id}`);
    }
    for (const l of seed.languages) must(services.has(l.service_id), `${l.id}: service ${l.service_id}`);
    for (const c of seed.service_capacities) must(services.has(c.service_id), `${c.id}: service ${c.service_id}`);
    for (const a of seed.attributes) {
      must(services.has(a.link_id), `${a.id}: service ${a.link_id}`);
      must(NEEDS.includes(a.taxonomy_term_id) || GROUPS.includes(a.taxonomy_term_id), `${a.id}: term ${a.taxonomy_term_id}`);
    }
    expect(problems).toEqual([]);
  });

  it('links every service to 1-4 needs and at least one area', () => {
    const needs = new Map<string, number>();
    for (const a of seed.attributes) if (NEEDS.includes(a.taxonomy_term_id)) needs.set(a.link_id, (needs.get(a.link_id) ?? 0) + 1);
    const areas = new Set(seed.service_areas.map((a) => a.service_id));
    const offenders = seed.services
      .filter((s) => !(needs.get(s.id)! >= 1 && needs.get(s.id)! <= 4) || (!areas.has(s.id) && !s.description.startsWith('Limburg')))
      .map((s) => `${s.id} (needs ${needs.get(s.id) ?? 0}, area ${areas.has(s.id)})`);
    expect(offenders).toEqual([]);
  });

  it('cites existing plan lines that name what each plan row is about', () => {
    const offenders: string[] = [];
    const named: [string, (r: Row) => unknown[]][] = [
      ['organizations', (r) => [r.name, r.alternate_name]],
      ['services', (r) => [r.name, r.alternate_name]],
      ['locations', (r) => [r.name, r.address_1]],
    ];
    for (const table of TABLE_NAMES) {
      const naming = named.find(([t]) => t === table)?.[1];
      for (const row of rows(table)) {
        if (row.x_source !== 'plan') continue;
        const where = `${table} ${String(row.id)} (${String(row.x_source_document)}:${String(row.x_source_lines)})`;
        const lines = corpusLines(String(row.x_source_document));
        if (!lines || typeof row.x_source_lines !== 'string') {
          offenders.push(`${where}: no such document or no lines`);
          continue;
        }
        if (row.x_last_verified !== null) offenders.push(`${where}: a plan fact has no verification date`);
        if (ranges(row.x_source_lines).some(([a, b]) => a < 1 || b < a || b > lines.length)) {
          offenders.push(`${where}: lines outside 1-${lines.length}`);
          continue;
        }
        const texts = citedText(lines, row.x_source_lines);
        if (naming) {
          const words = significantWords(...naming(row));
          if (!words.some((w) => texts.some((t) => t.includes(w)))) offenders.push(`${where}: none of [${words.join(', ')}] in the cited lines`);
        }
        if (table === 'service_capacities') {
          // The number of places must be in the cited lines (written "3084", "3.084" or "3 084").
          const digits = texts[0]!.replace(/(\d)[. ](?=\d{3}\b)/g, '$1');
          if (!new RegExp(`\\b${String(row.maximum)}\\b`).test(digits)) offenders.push(`${where}: ${String(row.maximum)} not in the cited lines`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has only the public phone numbers, marked public with their date', () => {
    const wrong = seed.phones.filter((p) => !PUBLIC_NUMBERS.includes(p.number) || p.x_source !== 'public' || p.x_last_verified !== '2026-12-01');
    expect(wrong.map((p) => p.id)).toEqual([]);
    expect(new Set(seed.phones.map((p) => p.number))).toEqual(new Set(PUBLIC_NUMBERS));
    // No digits that look like a phone number hide in free text either.
    const text = JSON.stringify({ ...raw, phones: [] });
    const numbers = [...text.matchAll(/\b0\d{2,3}[ /.]?\d{2}[ /.]?\d{2,3}(?:[ /.]?\d{2})?\b/g)].map((m) => m[0]);
    expect(numbers.filter((n) => !PUBLIC_NUMBERS.includes(n))).toEqual([]);
    const samusocial = seed.phones.find((p) => p.number === '0800 99 340')!;
    expect(samusocial.organization_id).toBe('org-new-samusocial');
    expect([...samusocial.languages].sort()).toEqual(['en', 'fr', 'nl']);
  });

  it('marks public rows as public, with the date they were taken', () => {
    const publicRows = TABLE_NAMES.flatMap((t) => rows(t)).filter((r) => r.x_source === 'public');
    expect(publicRows.length).toBeGreaterThan(20);
    expect(publicRows.filter((r) => r.x_last_verified !== '2026-12-01' || r.x_source_document !== null).map((r) => r.id)).toEqual([]);
  });

  it('has a service for every need except the known gaps', () => {
    const covered = new Set(seed.attributes.map((a) => a.taxonomy_term_id));
    expect(NEEDS.filter((n) => !covered.has(n) && !KNOWN_GAPS.includes(n))).toEqual([]);
    // The gaps are real: if a service for them is added, the list above must shrink.
    expect(KNOWN_GAPS.filter((n) => covered.has(n))).toEqual([]);
    for (const group of ['families', 'women', 'minors-youth', 'young-adults', 'undocumented', 'eu-migrants', 'pets', 'lgbtqia']) {
      expect(covered.has(group), group).toBe(true);
    }
  });

  it('keeps Limburg out of Brussels answers', () => {
    const limburg = seed.services.filter((s) => s.x_source_document === LIMBURG || s.description.startsWith('Limburg'));
    const areas = new Set(seed.service_areas.map((a) => a.service_id));
    expect(limburg.filter((s) => areas.has(s.id) || !s.description.startsWith('Limburg (not Brussels):')).map((s) => s.id)).toEqual([]);
    const limburgOrgs = seed.organizations.filter((o) => o.x_source_document === LIMBURG);
    expect(limburgOrgs.filter((o) => !o.description.startsWith('Limburg (not Brussels):')).map((o) => o.id)).toEqual([]);
  });

  it('carries the key facts of the plans', () => {
    const svc = (id: string) => seed.services.find((s) => s.id === id)!;
    // The 0800 line and the central point are foreseen, 24/7.
    for (const id of ['svc-brusshelp-info-line', 'svc-brusshelp-central-point']) {
      expect(svc(id).x_programmatic).toBe(true);
      expect(seed.schedules.find((s) => s.service_id === id)?.x_always_open).toBe(true);
    }
    // Dispatching: "7d/7" but no hours in the plan, so no schedule (it needs hours) and no hours anywhere.
    expect(seed.schedules.some((s) => s.service_id === 'svc-brusshelp-dispatching')).toBe(false);
    expect(svc('svc-brusshelp-dispatching').description).toContain('7 days a week');
    expect(seed.schedules.every((s) => s.x_always_open && s.opens_at === null && s.closes_at === null)).toBe(true);
    expect(svc('svc-gbo-ukraine').status).toBe('defunct');
    const hit = svc('svc-hit-18-25');
    expect([hit.minimum_age, hit.maximum_age]).toEqual([18, 25]);
    expect(seed.service_capacities.find((c) => c.service_id === 'svc-hit-18-25')).toMatchObject({ unit: 'room', maximum: 14 });
    const hitLocation = seed.locations.find((l) => l.id === 'loc-hit-18-25')!;
    expect(hitLocation).toMatchObject({ address_1: 'Koningstraat 135', x_commune: 'bruxelles', postal_code: null });
    expect(hitLocation.description).toContain('139-141');
    expect(seed.locations.find((l) => l.id === 'loc-mado')).toMatchObject({ address_1: 'Emile Bockstaellaan 114', postal_code: '1020' });
    expect(seed.locations.find((l) => l.id === 'loc-dubbelklik')).toMatchObject({ address_1: 'Hoogstraat 303', postal_code: '1000' });
    expect(seed.locations.every((l) => l.latitude === null && l.longitude === null && l.x_coordinates_precision === null)).toBe(true);
    const gbo = seed.service_areas.filter((a) => a.service_id === 'svc-gbo').map((a) => a.name).sort();
    expect(gbo).toEqual(['anderlecht', 'jette', 'koekelberg']);
    // Complaints: the three levels of measure 32.
    const complaints = new Set(seed.attributes.filter((a) => a.taxonomy_term_id === 'complaints').map((a) => a.link_id));
    for (const id of ['svc-complaints-level-1', 'svc-vivalis-complaints', 'svc-cocof-complaints', 'svc-vgc-complaints', 'svc-gob-complaints', 'svc-ombuds-brussels-complaints']) {
      expect(complaints.has(id), id).toBe(true);
    }
    expect(svc('svc-doucheflux').description).toMatch(/only among the organisations/);
  });
});
