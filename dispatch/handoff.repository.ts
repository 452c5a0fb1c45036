/**
 * Hand-off requests: a conversation waiting for a dispatcher of the central point (Masterplan measure 17), in the
 * handoff_requests table. Information is passed on only with the person's consent (17.1, l. 3289-3293): without it
 * the stored context keeps only topic ids (topic, needs, groups, commune, safety kind), never free text or the intake.
 *
 * @example
 *   const handoffs = new HandoffRepository(db);
 *   const r = await handoffs.create({ conversationId, channel: 'bot:sms', lang: 'fr', reason: 'person',
 *     priority: 'normal', consent: false, context: { topic: 'question' } });
 *   r.reference; // "H-7K3Q9P", what the person is told
 */
import { randomUUID } from 'node:crypto';
import { newReference } from './reference.js';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { isLang, type Lang } from '../conversation/languages.js';
import { IntakeSchema, type Intake } from './intake.js';

export type HandoffReason = 'person' | 'safety' | 'place_tonight' | 'report' | 'complaint' | 'unanswered';
export type HandoffPriority = 'urgent' | 'high' | 'normal';
export type HandoffStatus = 'open' | 'taken' | 'closed';

const REASONS = ['person', 'safety', 'place_tonight', 'report', 'complaint', 'unanswered'] as const satisfies readonly HandoffReason[];
const PRIORITIES = ['urgent', 'high', 'normal'] as const satisfies readonly HandoffPriority[];
const STATUSES = ['open', 'taken', 'closed'] as const satisfies readonly HandoffStatus[];

export interface HandoffInput {
  conversationId: string;
  channel: string;
  lang: Lang;
  reason: HandoffReason;
  priority: HandoffPriority;
  /** The person agreed that what they told (context) is passed to the operator. Without consent context must hold
   *  no free text and no identifying data (only reason, language, topic ids): the repository enforces it by
   *  dropping context.details / context.transcript when consent is false. */
  consent: boolean;
  context: {
    topic?: string; needs?: string[]; groups?: string[]; commune?: string; safetyKind?: string;
    intake?: Intake; details?: string; transcript?: string[];
  };
}

export interface HandoffRequest extends HandoffInput {
  id: string;
  reference: string;
  status: HandoffStatus;
  createdAt: Date;
}

/** Default retention of a request (and what the person told in it): long enough for follow-up, then erased. */
export const DEFAULT_RETENTION_DAYS = 30;

/** A taxonomy, card or commune id: lower case letters, digits, '-' and '_' (never free text). */
const Id = z.string().regex(/^[a-z0-9_-]{1,60}$/);
const MAX_TRANSCRIPT = 200;

const ContextSchema = z.object({
  topic: Id.optional(),
  needs: z.array(Id).max(30).optional(),
  groups: z.array(Id).max(30).optional(),
  commune: Id.optional(),
  safetyKind: Id.optional(),
  intake: IntakeSchema.optional(),
  details: z.string().max(4000).optional(),
  transcript: z.array(z.string().max(4000)).max(MAX_TRANSCRIPT).optional(),
});

const REFERENCE_SHAPE = /^H-[0-9A-HJKMNP-TV-Z]{6}$/;
const MAX_ATTEMPTS = 8;

/** Hand-off references share the street reports' generator (dispatch/reference.ts) with their own prefix. */
const newHandoffReference = () => newReference('H');

type Row = {
  id: string; reference: string; conversation_id: string; channel: string; lang: string; reason: HandoffReason;
  priority: HandoffPriority; consent: boolean; context: unknown; status: HandoffStatus; created_at: Date | string;
};

const COLUMNS = 'id, reference, conversation_id, channel, lang, reason, priority, consent, context, status, created_at';
/** Queue order: urgent, then high, then normal; within a priority the oldest first. */
const QUEUE_ORDER = `CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, created_at, id`;

export class HandoffRepository {
  private readonly retentionDays: number;
  private readonly nextReference: () => string;

  constructor(
    private readonly db: Database,
    opts: { retentionDays?: number; /** Tests only: a deterministic reference source. */ references?: () => string } = {},
  ) {
    const days = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isInteger(days) || days < 1) throw new Error(`retentionDays must be a whole number of days >= 1 (got ${days})`);
    this.retentionDays = days;
    this.nextReference = opts.references ?? newHandoffReference;
  }

  /** Queues a request; without consent, context keeps only ids. Retries a new reference when one is taken. */
  async create(input: HandoffInput): Promise<HandoffRequest> {
    const clean = validate(input);
    for (let attempt = 1; ; attempt++) {
      const reference = this.nextReference();
      if (!REFERENCE_SHAPE.test(reference)) throw new Error(`invalid hand-off reference shape: ${reference}`);
      const { rows } = await this.db.query<Row>(
        `INSERT INTO handoff_requests (id, reference, conversation_id, channel, lang, reason, priority, consent, context, delete_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, now() + make_interval(days => $10::int))
         ON CONFLICT (reference) DO NOTHING
         RETURNING ${COLUMNS}`,
        [randomUUID(), reference, clean.conversationId, clean.channel, clean.lang, clean.reason, clean.priority,
          clean.consent, JSON.stringify(clean.context), this.retentionDays],
      );
      // No row: the reference is taken (the UNIQUE constraint); draw another.
      if (rows[0]) return toRequest(rows[0]);
      if (attempt >= MAX_ATTEMPTS) throw new Error(`no free hand-off reference after ${MAX_ATTEMPTS} attempts`);
    }
  }

  async get(id: string): Promise<HandoffRequest | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM handoff_requests WHERE id = $1`, [id]);
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  /** The dispatcher's queue: open requests, urgent first, then high, then normal; oldest first within each. */
  async listOpen(): Promise<HandoffRequest[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM handoff_requests WHERE status = 'open' ORDER BY ${QUEUE_ORDER}`);
    return rows.map(toRequest);
  }

  /** An open request of this conversation (so "person" twice does not make two): the most urgent, oldest. */
  async openFor(conversationId: string): Promise<HandoffRequest | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM handoff_requests WHERE conversation_id = $1 AND status = 'open' ORDER BY ${QUEUE_ORDER} LIMIT 1`,
      [conversationId],
    );
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  /**
   * A life at risk in a conversation that already has an open request (asked for a person, a place tonight): the
   * request becomes urgent and says why, so the dispatcher sees it first. False when no open request has this reference.
   */
  async escalate(reference: string, safetyKind: string): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE handoff_requests SET priority = 'urgent', context = context || jsonb_build_object('safetyKind', $2::text), updated_at = now()
       WHERE reference = $1 AND status = 'open' RETURNING id`,
      [reference, safetyKind],
    );
    return rows.length > 0;
  }

  /**
   * The person agreed to pass what they asked to the operator ("so I don't have to tell it twice"): the open request
   * gets the details and is marked consented. False when no open request has this reference.
   */
  async shareDetails(reference: string, details: string): Promise<boolean> {
    const text = details.slice(0, 4000);
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE handoff_requests SET consent = true, context = context || jsonb_build_object('details', $2::text), updated_at = now()
       WHERE reference = $1 AND status = 'open' RETURNING id`,
      [reference, text],
    );
    return rows.length > 0;
  }

  /** A dispatcher takes or closes a request; false when there is no such request. */
  async setStatus(id: string, status: HandoffStatus): Promise<boolean> {
    if (!(STATUSES as readonly string[]).includes(status)) throw new Error(`unknown hand-off status: ${status}`);
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE handoff_requests SET status = $2, updated_at = now() WHERE id = $1 RETURNING id`, [id, status]);
    return rows.length > 0;
  }

  /** Deletes every request past its retention (whatever its status); returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const { rows } = await this.db.query<{ id: string }>(`DELETE FROM handoff_requests WHERE delete_after <= $1 RETURNING id`, [now]);
    return rows.length;
  }
}

/** Checks the input and applies consent: without it, only ids stay in context. */
function validate(input: HandoffInput): HandoffInput {
  if (!input.conversationId || input.conversationId.length > 200) throw new Error('conversationId must be 1 to 200 characters');
  if (!input.channel || input.channel.length > 100) throw new Error('channel must be 1 to 100 characters');
  if (!isLang(input.lang)) throw new Error(`unknown language: ${String(input.lang)}`);
  if (!(REASONS as readonly string[]).includes(input.reason)) throw new Error(`unknown hand-off reason: ${String(input.reason)}`);
  if (!(PRIORITIES as readonly string[]).includes(input.priority)) throw new Error(`unknown hand-off priority: ${String(input.priority)}`);
  if (typeof input.consent !== 'boolean') throw new Error('consent must be true or false');
  const raw = input.consent ? input.context ?? {} : withoutFreeText(input.context ?? {});
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid hand-off context: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { ...input, context: stripUndefined(parsed.data) };
}

/** Without consent: no details, transcript or intake; anything not shaped like an id is dropped, not stored. */
function withoutFreeText(context: HandoffInput['context']): HandoffInput['context'] {
  const id = (v: unknown): v is string => Id.safeParse(v).success;
  const ids = (v: string[] | undefined) => (Array.isArray(v) ? v.filter(id) : undefined);
  return {
    topic: id(context.topic) ? context.topic : undefined,
    needs: ids(context.needs),
    groups: ids(context.groups),
    commune: id(context.commune) ? context.commune : undefined,
    safetyKind: id(context.safetyKind) ? context.safetyKind : undefined,
  };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function toRequest(r: Row): HandoffRequest {
  const context = (typeof r.context === 'string' ? JSON.parse(r.context) : r.context) as HandoffInput['context'];
  return {
    id: r.id, reference: r.reference, conversationId: r.conversation_id, channel: r.channel, lang: r.lang as Lang,
    reason: r.reason, priority: r.priority, consent: r.consent, context, status: r.status,
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
  };
}
