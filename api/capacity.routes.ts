/**
 * Free places API. Shelters PUT their own figure with their token (rate-limited); anyone can read the figures
 * and their history (they are shown to the public and to dispatchers, with their age).
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import {
  CapacityError,
  hashToken,
  MAX_PLACES,
  type CapacityHistoryEntry,
  type CapacityRecord,
  type CapacityRepository,
  type ShelterIdentity,
} from '../directory/capacity.repository.js';
import { HttpError } from './http-errors.js';

export interface CapacityRouteDeps {
  capacity: CapacityRepository;
  /** Updates allowed per window and key (token hash, else IP); default 30 per 10 minutes. */
  rateLimit?: { windowMs: number; max: number };
  /** Clock for ageMinutes and updated_at (tests fix it). */
  now?: () => Date;
}

const MAX_HISTORY = 500;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const ALLOWED_FIELDS = new Set(['free', 'total']);

/** What a shelter identified as, set by `identify` for the limiter and the handler. */
type Locals = { shelter?: ShelterIdentity & { tokenHash: string } };

/** A record as the API shows it: ISO time and how many whole minutes old it is. */
export function toPublicRecord(r: CapacityRecord, now: Date) {
  return {
    serviceId: r.serviceId,
    free: r.free,
    total: r.total,
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: r.updatedBy,
    ageMinutes: Math.max(0, Math.floor((now.getTime() - r.updatedAt.getTime()) / 60_000)),
  };
}

function toPublicHistory(h: CapacityHistoryEntry) {
  return { free: h.free, total: h.total, recordedAt: h.recordedAt.toISOString(), recordedBy: h.recordedBy };
}

/** Only free and total: the author is the token's label, so names or phone numbers in the body are refused. */
function parseBody(body: unknown): { free: unknown; total: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body_not_object');
  for (const key of Object.keys(body)) {
    if (!ALLOWED_FIELDS.has(key)) throw new HttpError(400, 'capacity_unknown_field', { field: key.slice(0, 40) });
  }
  const b = body as Record<string, unknown>;
  return { free: b.free, total: b.total };
}

function toHttpError(err: unknown): unknown {
  if (!(err instanceof CapacityError)) return err;
  return new HttpError(err.code === 'capacity_unknown_service' ? 404 : 400, err.code, err.params);
}

/** Routes of the free places API; mount after express.json() and before errorHandler. */
export function capacityRoutes(deps: CapacityRouteDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const { windowMs, max } = deps.rateLimit ?? { windowMs: 10 * 60_000, max: 30 };

  // Resolve the token first so that the limiter keys a real shelter by its token and everything else
  // (no token, made-up tokens) by IP: guessing tokens cannot buy a fresh bucket per guess.
  const identify = async (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    try {
      const m = BEARER.exec(req.get('authorization') ?? '');
      const token = m?.[1];
      const who = token ? await deps.capacity.authenticate(token) : undefined;
      if (who && token) res.locals.shelter = { ...who, tokenHash: hashToken(token) };
      next();
    } catch (err) {
      next(err);
    }
  };

  const limiter = rateLimit({
    windowMs,
    limit: max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const shelter = (res.locals as Locals).shelter;
      return shelter ? `token:${shelter.tokenHash}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, _res, next) => next(new HttpError(429, 'capacity_rate_limited', { minutes: Math.ceil(windowMs / 60_000) })),
    // The app trusts its reverse proxy (server.ts); the library's warning about that would fire on every start.
    validate: { trustProxy: false },
  });

  router.put('/api/capacity/:serviceId', identify, limiter, async (req: Request<{ serviceId: string }>, res: Response<unknown, Locals>, next) => {
    try {
      const shelter = res.locals.shelter;
      if (!BEARER.test(req.get('authorization') ?? '')) throw new HttpError(401, 'capacity_token_missing');
      if (!shelter) throw new HttpError(401, 'capacity_token_invalid');
      const { serviceId } = req.params;
      if (shelter.serviceId !== serviceId) throw new HttpError(403, 'capacity_other_shelter');
      if (!req.is('application/json')) throw new HttpError(415, 'content_type');
      const figures = parseBody(req.body);
      const at = now();
      const record = await deps.capacity.update(serviceId, figures as { free: number; total: number }, shelter.label, at);
      res.json(toPublicRecord(record, at));
    } catch (err) {
      next(toHttpError(err));
    }
  });

  router.get('/api/capacity', async (_req, res, next) => {
    try {
      const at = now();
      res.json({ records: (await deps.capacity.list()).map((r) => toPublicRecord(r, at)) });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/capacity/:serviceId', async (req: Request<{ serviceId: string }>, res, next) => {
    try {
      const record = await deps.capacity.get(req.params.serviceId);
      if (!record) throw new HttpError(404, 'capacity_no_record', { serviceId: req.params.serviceId.slice(0, 80) });
      res.json(toPublicRecord(record, now()));
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/capacity/:serviceId/history', async (req: Request<{ serviceId: string }>, res, next) => {
    try {
      const raw = req.query.limit;
      const limit = raw === undefined ? 50 : typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
      if (!(limit >= 1 && limit <= MAX_HISTORY)) throw new HttpError(400, 'capacity_history_limit', { max: MAX_HISTORY });
      const { serviceId } = req.params;
      const entries = await deps.capacity.history(serviceId, limit);
      // An empty history of a service the directory does not know is most likely a typo in the id: say so.
      if (!entries.length && !(await deps.capacity.serviceExists(serviceId)))
        throw new HttpError(404, 'capacity_unknown_service', { serviceId: serviceId.slice(0, 80) });
      res.json({ serviceId, records: entries.map(toPublicHistory) });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
