/**
 * Directory search: services by need, target group, commune, nearness to a place, opening (now / tonight, Brussels
 * time) and languages spoken, ranked so that what a person can use now and nearby comes first.
 * Filters are strict when `strict` is set (the /api/services listing) and preferences otherwise (answers to a
 * question: a region-wide service with unknown hours is still worth listing when nothing better is on file).
 *
 * @example
 *   const hits = await search.search({ needs: ['shower-hygiene'], near: midi, open: 'now', limit: 3 });
 */
import type { Database } from '../db/database.js';
import type { Location, Phone, Schedule, Service } from './model.js';
import { openState, openTonight, type OpenState } from './opening-hours.js';

export interface ServiceQuery {
  /** Taxonomy need ids; a service must match one of them (when given). */
  needs?: string[];
  /** Taxonomy group ids (families, women, …). */
  groups?: string[];
  /** Gazetteer commune id. */
  commune?: string;
  /** A point to rank by distance (a station, a landmark, a commune centre). */
  near?: { lat: number; lon: number };
  open?: 'now' | 'tonight';
  /** Spoken languages wanted (ISO codes). */
  languages?: string[];
  /** Filters exclude instead of ranking lower. */
  strict?: boolean;
  limit?: number;
  /** The instant "now" means (tests, "tonight"). */
  at?: Date;
}

export interface ServiceLocation {
  id: string;
  name: string | null;
  address: string | null;
  postalCode: string | null;
  commune: string | null;
  lat: number | null;
  lon: number | null;
  precision: 'address' | 'neighbourhood' | 'commune' | null;
}

export interface LiveCapacity {
  free: number;
  total: number;
  updatedAt: string;
  updatedBy: string;
}

/** One service as answers and the API show it. */
export interface ServiceHit {
  id: string;
  name: string;
  organization: { id: string; name: string };
  description: string;
  programmatic: boolean;
  eligibility: string | null;
  ages: { min: number | null; max: number | null } | null;
  fees: string | null;
  applicationProcess: string | null;
  categories: string[];
  groups: string[];
  areas: string[];
  locations: ServiceLocation[];
  phones: Array<Pick<Phone, 'number' | 'description' | 'languages' | 'x_source'>>;
  schedules: Schedule[];
  languages: string[];
  openNow: OpenState;
  openTonight: OpenState;
  capacity: { maximum: number | null; unit: string } | null;
  live: LiveCapacity | null;
  distanceKm: number | null;
  source: { kind: string; document: string | null; lines: string | null };
  score: number;
}

/** Gives approximate coordinates to a location without its own (neighbourhood or commune centre). */
export type Locate = (loc: Pick<Location, 'x_commune' | 'name' | 'address_1'>) =>
  { lat: number; lon: number; precision: 'neighbourhood' | 'commune' } | undefined;

export interface DirectorySearchDeps {
  db: Database;
  /** Kinds of the taxonomy terms (need or group), to split a service's attributes. */
  kindOf: (termId: string) => 'need' | 'group' | undefined;
  locate?: Locate;
  distanceKm: (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => number;
}

/** Documents whose services are outside Brussels (the Limburg plan): never listed. */
const OUTSIDE_BRUSSELS = new Set(['003_202ad49bcd0c2b9b']);

export class DirectorySearch {
  constructor(private readonly deps: DirectorySearchDeps) {}

  /** Services matching the query, best first. */
  async search(q: ServiceQuery): Promise<ServiceHit[]> {
    const ids = await this.candidates(q.needs);
    if (!ids.length) return [];
    const hits = await this.load(ids, q.at ?? new Date());
    const ranked: ServiceHit[] = [];
    for (const hit of hits) {
      const score = this.score(hit, q);
      if (score !== undefined) ranked.push({ ...hit, score: Math.round(score * 100) / 100 });
    }
    ranked.sort((a, b) => b.score - a.score || (a.distanceKm ?? 99) - (b.distanceKm ?? 99) || a.name.localeCompare(b.name));
    return ranked.slice(0, Math.max(1, Math.min(q.limit ?? 5, 500)));
  }

  /** One service by id (with everything a hit has), or undefined. */
  async get(id: string, at = new Date()): Promise<ServiceHit | undefined> {
    return (await this.getMany([id], at))[0];
  }

  /** Several services by id in one round of queries, in the order asked (unknown ids left out). */
  async getMany(ids: string[], at = new Date()): Promise<ServiceHit[]> {
    if (!ids.length) return [];
    const byId = new Map((await this.load(ids, at)).map((h) => [h.id, h]));
    return ids.map((id) => byId.get(id)).filter((h): h is ServiceHit => !!h);
  }

  /** Ids of active services in Brussels matching one of the needs (all when none given). */
  private async candidates(needs?: string[]): Promise<string[]> {
    const params: unknown[] = [];
    let where = `s.status <> 'defunct' AND coalesce(s.record->>'x_source_document', '') <> ALL($1::text[])`;
    params.push([...OUTSIDE_BRUSSELS]);
    if (needs?.length) {
      params.push(needs);
      where += ` AND EXISTS (SELECT 1 FROM dir_attributes a WHERE a.link_id = s.id AND a.taxonomy_term_id = ANY($2::text[]))`;
    }
    const { rows } = await this.deps.db.query<{ id: string }>(`SELECT s.id FROM dir_services s WHERE ${where}`, params);
    return rows.map((r) => r.id);
  }

  /** Loads services with their organisation, attributes, areas, locations, phones, schedules, languages, capacity. */
  private async load(ids: string[], at: Date): Promise<ServiceHit[]> {
    const db = this.deps.db;
    const p = [ids];
    const [services, attrs, areas, locs, phones, schedules, langs, caps, live] = await Promise.all([
      db.query<{ record: Service; org_name: string }>(
        `SELECT s.record, o.name AS org_name FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id
          WHERE s.id = ANY($1::text[])`, p),
      db.query<{ link_id: string; taxonomy_term_id: string }>(
        'SELECT link_id, taxonomy_term_id FROM dir_attributes WHERE link_id = ANY($1::text[]) ORDER BY id', p),
      db.query<{ service_id: string; name: string }>('SELECT service_id, name FROM dir_service_areas WHERE service_id = ANY($1::text[])', p),
      db.query<{ service_id: string; record: Location }>(
        `SELECT sal.service_id, l.record FROM dir_service_at_locations sal JOIN dir_locations l ON l.id = sal.location_id
          WHERE sal.service_id = ANY($1::text[]) ORDER BY l.id`, p),
      db.query<{ record: Phone; sid: string }>(
        `SELECT ph.record, coalesce(ph.service_id, s.id) AS sid FROM dir_phones ph
           JOIN dir_services s ON s.id = ph.service_id OR (ph.service_id IS NULL AND ph.organization_id = s.organization_id)
          WHERE s.id = ANY($1::text[]) ORDER BY ph.id`, p),
      db.query<{ record: Schedule; sid: string }>(
        `SELECT sc.record, coalesce(sc.service_id, sal.service_id) AS sid FROM dir_schedules sc
           LEFT JOIN dir_service_at_locations sal ON sal.id = sc.service_at_location_id
          WHERE coalesce(sc.service_id, sal.service_id) = ANY($1::text[]) ORDER BY sc.id`, p),
      db.query<{ service_id: string; code: string }>('SELECT service_id, code FROM dir_languages WHERE service_id = ANY($1::text[]) ORDER BY id', p),
      db.query<{ service_id: string; record: { maximum: number | null; unit: string } }>(
        'SELECT service_id, record FROM dir_service_capacities WHERE service_id = ANY($1::text[])', p),
      db.query<{ service_id: string; free: number; total: number; updated_at: Date | string; updated_by: string }>(
        'SELECT service_id, free, total, updated_at, updated_by FROM capacity_records WHERE service_id = ANY($1::text[])', p),
    ]);
    const group = <T extends Record<string, unknown>>(rows: T[], key: keyof T) => {
      const m = new Map<string, T[]>();
      for (const r of rows) {
        const k = String(r[key]);
        if (!m.has(k)) m.set(k, []);
        m.get(k)!.push(r);
      }
      return m;
    };
    const byAttr = group(attrs.rows, 'link_id');
    const byArea = group(areas.rows, 'service_id');
    const byLoc = group(locs.rows, 'service_id');
    const byPhone = group(phones.rows, 'sid');
    const bySchedule = group(schedules.rows, 'sid');
    const byLang = group(langs.rows, 'service_id');
    const byCap = group(caps.rows, 'service_id');
    const byLive = group(live.rows, 'service_id');
    return services.rows.map(({ record: s, org_name }) => {
      const terms = (byAttr.get(s.id) ?? []).map((a) => a.taxonomy_term_id);
      const sched = (bySchedule.get(s.id) ?? []).map((r) => r.record);
      const ph = (byPhone.get(s.id) ?? []).map((r) => r.record);
      const spoken = new Set([...(byLang.get(s.id) ?? []).map((l) => l.code), ...ph.flatMap((x) => x.languages)]);
      const cap = byCap.get(s.id)?.[0]?.record;
      const lv = byLive.get(s.id)?.[0];
      return {
        id: s.id,
        name: s.name,
        organization: { id: s.organization_id, name: org_name },
        description: s.description,
        programmatic: s.x_programmatic,
        eligibility: s.eligibility_description,
        ages: s.minimum_age !== null || s.maximum_age !== null ? { min: s.minimum_age, max: s.maximum_age } : null,
        fees: s.fees_description,
        applicationProcess: s.application_process,
        categories: terms.filter((t) => this.deps.kindOf(t) === 'need'),
        groups: terms.filter((t) => this.deps.kindOf(t) === 'group'),
        areas: (byArea.get(s.id) ?? []).map((a) => a.name),
        locations: (byLoc.get(s.id) ?? []).map((l) => this.toLocation(l.record)),
        phones: ph.map((x) => ({ number: x.number, description: x.description, languages: x.languages, x_source: x.x_source })),
        schedules: sched,
        languages: [...spoken].sort(),
        openNow: openState(sched, at),
        openTonight: openTonight(sched, at),
        capacity: cap ? { maximum: cap.maximum, unit: cap.unit } : null,
        live: lv ? { free: lv.free, total: lv.total, updatedAt: new Date(lv.updated_at).toISOString(), updatedBy: lv.updated_by } : null,
        distanceKm: null,
        source: { kind: s.x_source, document: s.x_source_document, lines: s.x_source_lines },
        score: 0,
      } satisfies ServiceHit;
    });
  }

  private toLocation(l: Location): ServiceLocation {
    const base = { id: l.id, name: l.name, address: l.address_1, postalCode: l.postal_code, commune: l.x_commune };
    if (l.latitude !== null && l.longitude !== null)
      return { ...base, lat: l.latitude, lon: l.longitude, precision: l.x_coordinates_precision ?? 'address' };
    const approx = this.deps.locate?.(l);
    return { ...base, lat: approx?.lat ?? null, lon: approx?.lon ?? null, precision: approx?.precision ?? null };
  }

  /** Relevance of a hit for the query; undefined when a strict filter excludes it. */
  private score(hit: ServiceHit, q: ServiceQuery): number | undefined {
    let score = 0;
    const strict = q.strict ?? false;
    if (q.needs?.length) {
      // Needs come in order of importance: the first one (the card's main need) counts most, the others add a little.
      const matched = q.needs.filter((n) => hit.categories.includes(n)).length;
      if (hit.categories.includes(q.needs[0]!)) score += 3 + (matched - 1) * 0.5;
      else if (matched) score += 1 + (matched - 1) * 0.5;
    }
    if (q.groups?.length) {
      const matched = q.groups.filter((g) => hit.groups.includes(g)).length;
      if (strict && !matched) return undefined;
      // A service for the group first; a general one next; one reserved for other groups last.
      score += matched ? 2.5 * matched : hit.groups.length ? -2 : 0;
    } else if (hit.groups.length && !strict) {
      score -= 0.5;
    }
    if (q.commune) {
      const located = hit.locations.some((l) => l.commune === q.commune);
      const covers = hit.areas.includes(q.commune);
      const regional = hit.areas.includes('region');
      if (strict && !located && !covers && !regional) return undefined;
      score += located ? 3 : covers ? 2 : regional ? 0.5 : -2;
    }
    if (q.near) {
      const d = this.nearest(hit, q.near);
      hit.distanceKm = d === null ? null : Math.round(d * 10) / 10;
      if (d !== null) score += 3 / (1 + d);
    }
    if (q.open) {
      const state = q.open === 'now' ? hit.openNow : hit.openTonight;
      // A listing of what is open shows only what is known to be open; an answer keeps unknown hours as a fallback.
      if (strict && state !== 'open') return undefined;
      score += state === 'open' ? 2 : state === 'closed' ? -3 : 0;
    }
    if (q.languages?.length) {
      const speaks = q.languages.some((l) => hit.languages.includes(l));
      if (strict && !speaks) return undefined;
      if (speaks) score += 1;
    }
    // Practical details on file make a service more useful to someone on the street at night.
    if (hit.phones.length) score += 0.75;
    if (hit.locations.some((l) => l.address)) score += 0.5;
    if (hit.programmatic) score -= 0.75;
    return score;
  }

  private nearest(hit: ServiceHit, p: { lat: number; lon: number }): number | null {
    let best: number | null = null;
    for (const l of hit.locations) {
      if (l.lat === null || l.lon === null) continue;
      const d = this.deps.distanceKm(p, { lat: l.lat, lon: l.lon });
      if (best === null || d < best) best = d;
    }
    return best;
  }
}
