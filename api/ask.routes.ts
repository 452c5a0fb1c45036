/** POST /api/ask — JSON question in, JSON answer with sources out (DESIGN.md section 7). */
import { Router, type Request } from 'express';
import type { AskRequest, AskService } from '../conversation/ask-service.js';
import { SUPPORTED_LANGS, isLang } from '../conversation/languages.js';
import { HttpError } from './http-errors.js';

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** C0 controls other than tab/newline, DEL, and the replacement character: signs of binary, not text. */
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/** Checks the body and returns the request, or throws an HttpError that names the problem. */
export function parseAskBody(body: unknown, maxChars: number): AskRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body_not_object');
  const b = body as Record<string, unknown>;
  if (b.text === undefined || b.text === null) throw new HttpError(400, 'text_required');
  if (typeof b.text !== 'string') throw new HttpError(400, 'text_not_string');
  const text = b.text.trim();
  if (!text) throw new HttpError(400, 'text_empty');
  if (text.length > maxChars) throw new HttpError(413, 'text_too_long', { max: maxChars });
  if (BINARY.test(text)) throw new HttpError(400, 'text_binary');
  if (b.lang !== undefined && b.lang !== null && !isLang(b.lang))
    throw new HttpError(400, 'unknown_lang', { lang: String(b.lang).slice(0, 20), supported: SUPPORTED_LANGS.join(', ') });
  if (b.conversationId !== undefined && (typeof b.conversationId !== 'string' || !CONVERSATION_ID.test(b.conversationId)))
    throw new HttpError(400, 'conversation_id_invalid');
  return {
    text,
    lang: isLang(b.lang) ? b.lang : undefined,
    conversationId: b.conversationId as string | undefined,
    channel: 'api',
  };
}

export interface AskRouteDeps {
  ask: AskService;
  maxQuestionChars: number;
  /** False while the index is being built or the database is unreachable. */
  isReady: () => boolean;
}

export function askRoutes(deps: AskRouteDeps): Router {
  const router = Router();
  router.post('/api/ask', async (req: Request, res, next) => {
    try {
      if (!req.is('application/json')) throw new HttpError(415, 'content_type');
      const request = parseAskBody(req.body, deps.maxQuestionChars);
      if (!deps.isReady()) {
        res.setHeader('Retry-After', '30');
        throw new HttpError(503, 'unavailable');
      }
      let response;
      try {
        response = await deps.ask.ask(request);
      } catch (err) {
        // The database or index failed: say so (503) rather than pretend; nothing the caller sent is lost.
        (req as Request & { failure?: unknown }).failure = err;
        res.setHeader('Retry-After', '30');
        throw new HttpError(503, 'unavailable');
      }
      // The follow-up context is for channels that keep conversation state (the bot); /api/ask answers one question.
      const { context: _context, followUp: _followUp, ...body } = response;
      res.json(body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
