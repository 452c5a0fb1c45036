/**
 * Street reports in PostgreSQL (street_reports, migration 005): create one with a fresh unique reference, read it
 * back by reference, and delete those past their retention date. The database refuses a contact without consent.
 */
import type { Database } from '../db/database.js';
import { newReference, parseReference } from './reference.js';
import { NewStreetReportSchema, type NewStreetReport, type StreetReport } from './street-report.js';

/** Default retention of a report: long enough for the teams to act and the reporter to ask, then gone. */
export const DEFAULT_RETENTION_DAYS = 90;
/** Tries before giving up on a free reference (a collision in 32^6 is rare; several in a row means a bug). */
const REFERENCE_TRIES = 8;

export interface ReportsRepositoryOptions {
  /** Days a report is kept (delete_after = created_at + this). */
  retentionDays?: number;
  clock?: () => Date;
  /** Makes a reference (tests inject collisions). */
  reference?: () => string;
}

type Row = {
  id: string | number; reference: string; lang: string; channel: string; conversation_id: string | null;
  where_text: string; place_name: string | null; commune: string | null; latitude: number | null; longitude: number | null;
  location_source: string | null; seen_when: string; seen_when_text: string | null; seen_at: Date | string | null; description: string;
  conditions: string[]; condition_text: string | null; asked_for_help: string; consent: boolean; contact: string | null;
  route: string; priority: string; status: string; emergency_told: boolean; created_at: Date | string; delete_after: Date | string;
};

const COLUMNS = `id, reference, lang, channel, conversation_id, where_text, place_name, commune, latitude, longitude,
  location_source, seen_when, seen_when_text, seen_at, description, conditions, condition_text, asked_for_help, consent, contact,
  route, priority, status, emergency_told, created_at, delete_after`;

function fromRow(r: Row): StreetReport {
  return {
    id: Number(r.id),
    reference: r.reference,
    lang: r.lang as StreetReport['lang'],
    channel: r.channel,
    conversationId: r.conversation_id,
    where: {
      text: r.where_text, placeName: r.place_name, commune: r.commune, lat: r.latitude, lon: r.longitude,
      source: r.location_source as StreetReport['where']['source'],
    },
    when: { kind: r.seen_when as StreetReport['when']['kind'], text: r.seen_when_text, at: r.seen_at === null ? null : new Date(r.seen_at) },
    description: r.description,
    conditions: r.conditions as StreetReport['conditions'],
    conditionText: r.condition_text,
    askedForHelp: r.asked_for_help as StreetReport['askedForHelp'],
    consent: r.consent,
    contact: r.contact,
    route: r.route as StreetReport['route'],
    priority: r.priority as StreetReport['priority'],
    status: r.status,
    emergencyTold: r.emergency_told,
    createdAt: new Date(r.created_at),
    deleteAfter: new Date(r.delete_after),
  };
}

export class ReportsRepository {
  private readonly retentionDays: number;
  private readonly clock: () => Date;
  private readonly reference: () => string;

  constructor(private readonly db: Database, opts: ReportsRepositoryOptions = {}) {
    this.retentionDays = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isFinite(this.retentionDays) || this.retentionDays <= 0) throw new Error('retentionDays must be a positive number');
    this.clock = opts.clock ?? (() => new Date());
    this.reference = opts.reference ?? (() => newReference('R'));
  }

  /**
   * Validates and stores a report with status 'new'; returns it with its reference. A reference already taken is
   * skipped (ON CONFLICT DO NOTHING) and another one drawn. Throws when the database fails: the caller must not give
   * a reference then.
   */
  async create(input: NewStreetReport): Promise<StreetReport> {
    const r = NewStreetReportSchema.parse(input);
    const createdAt = this.clock();
    const deleteAfter = new Date(createdAt.getTime() + this.retentionDays * 86_400_000);
    // Contact only with consent, whatever the caller passed (the schema refuses it too; the table checks it).
    const contact = r.consent ? r.contact : null;
    for (let i = 0; i < REFERENCE_TRIES; i++) {
      const reference = this.reference();
      const { rows } = await this.db.query<Row>(
        `INSERT INTO street_reports (reference, lang, channel, conversation_id, where_text, place_name, commune, latitude,
           longitude, location_source, seen_when, seen_when_text, seen_at, description, conditions, condition_text,
           asked_for_help, consent, contact, route, priority, status, emergency_told, created_at, updated_at, delete_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 'new', $22, $23, $23, $24)
         ON CONFLICT (reference) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          reference, r.lang, r.channel, r.conversationId, r.where.text, r.where.placeName, r.where.commune, r.where.lat,
          r.where.lon, r.where.source, r.when.kind, r.when.text, r.when.at, r.description, r.conditions, r.conditionText, r.askedForHelp,
          r.consent, contact, r.route, r.priority, r.emergencyTold, createdAt, deleteAfter,
        ],
      );
      if (rows[0]) return fromRow(rows[0]);
    }
    throw new Error(`No free report reference after ${REFERENCE_TRIES} tries`);
  }

  /** The report with this reference (as typed: case, spaces and O/0, I/1 mix-ups are folded), or undefined. */
  async getByReference(reference: string): Promise<StreetReport | undefined> {
    const canonical = parseReference(reference);
    if (!canonical) return undefined;
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM street_reports WHERE reference = $1`, [canonical]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Deletes the reports whose retention date is past; returns how many. */
  async purgeExpired(now: Date = this.clock()): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM street_reports WHERE delete_after <= $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [now],
    );
    return rows[0]?.n ?? 0;
  }
}
