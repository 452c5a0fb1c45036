/**
 * Free places per shelter: the live record (capacity_records), every update kept in capacity_history, and the
 * shelters' API tokens (shelter_tokens, only the SHA-256 is stored). A figure is what a shelter last reported,
 * never a promise of a bed: allocation stays with the dispatcher.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../db/database.js';

/** Largest total accepted: far above any Brussels shelter, low enough to catch typos and overflow. */
export const MAX_PLACES = 10_000;
/** Prefix of every shelter token: makes a leaked token recognisable (e.g. by secret scanners). */
export const TOKEN_PREFIX = 'shl_';
/** Longest label: it names a role ("Shelter staff (token 1)"), not a person. */
const MAX_LABEL = 100;
/** "shl_" + 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = /^shl_[A-Za-z0-9_-]{43}$/;
const CONTROL = /[\u0000-\u001F\u007F]/;

/** Error codes are i18n keys under "errors." (the API translates them; the CLI prints the English message). */
export type CapacityErrorCode = 'capacity_unknown_service' | 'capacity_field_invalid' | 'capacity_free_over_total' | 'capacity_label_invalid';

/** A refused capacity operation; `code` and `params` feed the translated API error. */
export class CapacityError extends Error {
  override name = 'CapacityError';
  constructor(
    readonly code: CapacityErrorCode,
    message: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Free and total places as a shelter reports them. */
export interface CapacityFigures {
  free: number;
  total: number;
}

/** The live figure of one shelter. */
export interface CapacityRecord extends CapacityFigures {
  serviceId: string;
  updatedAt: Date;
  /** The token's label (a role), never a person's name or phone number. */
  updatedBy: string;
}

/** One past update. */
export interface CapacityHistoryEntry extends CapacityFigures {
  serviceId: string;
  recordedAt: Date;
  recordedBy: string;
}

/** The shelter a valid token speaks for. */
export interface ShelterIdentity {
  serviceId: string;
  label: string;
}

/** SHA-256 (hex) of a token: what the database stores and what rate limiting keys on. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Checks free/total: integers with 0 <= free <= total <= MAX_PLACES; throws CapacityError naming the field. */
export function validateFigures(input: { free?: unknown; total?: unknown }): CapacityFigures {
  for (const field of ['free', 'total'] as const) {
    const v = input[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_PLACES)
      throw new CapacityError('capacity_field_invalid', `"${field}" must be a whole number from 0 to ${MAX_PLACES}.`, { field, max: MAX_PLACES });
  }
  const free = input.free as number;
  const total = input.total as number;
  if (free > total) throw new CapacityError('capacity_free_over_total', `free (${free}) cannot be more than total (${total}).`, { free, total });
  return { free, total };
}

type RecordRow = { service_id: string; free: number; total: number; updated_at: Date | string; updated_by: string };
type HistoryRow = { service_id: string; free: number; total: number; recorded_at: Date | string; recorded_by: string };

// node-postgres and PGlite both give Date for timestamptz; the string branch keeps us safe with other parsers.
const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const toRecord = (r: RecordRow): CapacityRecord => ({
  serviceId: r.service_id, free: r.free, total: r.total, updatedAt: toDate(r.updated_at), updatedBy: r.updated_by,
});
const toHistory = (r: HistoryRow): CapacityHistoryEntry => ({
  serviceId: r.service_id, free: r.free, total: r.total, recordedAt: toDate(r.recorded_at), recordedBy: r.recorded_by,
});

/** Capacity records, their history and shelter tokens on the project database. */
export class CapacityRepository {
  constructor(private readonly db: Database) {}

  /** True when the service is in the directory (dir_services). */
  async serviceExists(serviceId: string, q: Queryable = this.db): Promise<boolean> {
    const { rows } = await q.query('SELECT 1 FROM dir_services WHERE id = $1', [serviceId]);
    return rows.length > 0;
  }

  /**
   * Makes a token for a service and returns it in plain text: this is the only time it exists outside the
   * shelter's hands (the database keeps its SHA-256). The label defaults to "Shelter staff (token N)".
   */
  async createToken(serviceId: string, label?: string): Promise<{ id: number; token: string; label: string }> {
    return this.db.transaction(async (tx) => {
      if (!(await this.serviceExists(serviceId, tx)))
        throw new CapacityError('capacity_unknown_service', `There is no service "${serviceId}" in the directory (dir_services).`, { serviceId });
      let name = label?.trim();
      if (!name) {
        const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM shelter_tokens WHERE service_id = $1', [serviceId]);
        name = `Shelter staff (token ${(rows[0]?.n ?? 0) + 1})`;
      }
      if (name.length > MAX_LABEL || CONTROL.test(name))
        throw new CapacityError('capacity_label_invalid', `The label must be one line of at most ${MAX_LABEL} characters.`, { max: MAX_LABEL });
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const { rows } = await tx.query<{ id: string | number }>(
        'INSERT INTO shelter_tokens (service_id, token_hash, label) VALUES ($1, $2, $3) RETURNING id',
        [serviceId, hashToken(token), name],
      );
      return { id: Number(rows[0]!.id), token, label: name };
    });
  }

  /** Revokes every active token of a service; returns how many were revoked. */
  async revokeTokens(serviceId: string): Promise<number> {
    const { rows } = await this.db.query(
      'UPDATE shelter_tokens SET revoked_at = now() WHERE service_id = $1 AND revoked_at IS NULL RETURNING id',
      [serviceId],
    );
    return rows.length;
  }

  /** The shelter a token speaks for, or undefined when it is malformed, unknown or revoked. */
  async authenticate(token: string): Promise<ShelterIdentity | undefined> {
    // Malformed input never reaches the database.
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const { rows } = await this.db.query<{ service_id: string; label: string }>(
      'SELECT service_id, label FROM shelter_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashToken(token)],
    );
    const r = rows[0];
    return r ? { serviceId: r.service_id, label: r.label } : undefined;
  }

  /**
   * Stores a shelter's new figure and appends it to the history, in one transaction (both or neither).
   * `by` is the token's label; `at` defaults to now (tests pass a fixed time).
   */
  async update(serviceId: string, figures: CapacityFigures, by: string, at: Date = new Date()): Promise<CapacityRecord> {
    const { free, total } = validateFigures(figures);
    return this.db.transaction(async (tx) => {
      if (!(await this.serviceExists(serviceId, tx)))
        throw new CapacityError('capacity_unknown_service', `There is no service "${serviceId}" in the directory (dir_services).`, { serviceId });
      const { rows } = await tx.query<RecordRow>(
        `INSERT INTO capacity_records (service_id, free, total, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (service_id) DO UPDATE SET free = EXCLUDED.free, total = EXCLUDED.total,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
         RETURNING service_id, free, total, updated_at, updated_by`,
        [serviceId, free, total, at.toISOString(), by],
      );
      await tx.query(
        'INSERT INTO capacity_history (service_id, free, total, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)',
        [serviceId, free, total, at.toISOString(), by],
      );
      return toRecord(rows[0]!);
    });
  }

  /** The live figure of a service, or undefined when none was ever reported. */
  async get(serviceId: string): Promise<CapacityRecord | undefined> {
    const { rows } = await this.db.query<RecordRow>(
      'SELECT service_id, free, total, updated_at, updated_by FROM capacity_records WHERE service_id = $1',
      [serviceId],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Every live figure, by service id. */
  async list(): Promise<CapacityRecord[]> {
    const { rows } = await this.db.query<RecordRow>(
      'SELECT service_id, free, total, updated_at, updated_by FROM capacity_records ORDER BY service_id',
    );
    return rows.map(toRecord);
  }

  /** Past updates of a service, newest first (ties broken by insertion order). */
  async history(serviceId: string, limit = 50): Promise<CapacityHistoryEntry[]> {
    const n = Math.max(1, Math.min(500, Math.trunc(limit)));
    const { rows } = await this.db.query<HistoryRow>(
      `SELECT service_id, free, total, recorded_at, recorded_by FROM capacity_history
       WHERE service_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT $2`,
      [serviceId, n],
    );
    return rows.map(toHistory);
  }
}
