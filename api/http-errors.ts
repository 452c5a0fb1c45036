/** Errors as JSON with a clear message in the requester's language: { error: { code, message } }. */
import type { NextFunction, Request, Response } from 'express';
import { tFor } from '../conversation/i18n.js';
import { isLang, type Lang } from '../conversation/languages.js';
import type { Logger } from '../logger.js';

/** An error to answer with a status and an i18n key under "errors.". */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

/** The language to answer errors in: a valid body "lang", else Accept-Language, else English. */
export function errorLanguage(req: Request): Lang {
  const body = req.body as { lang?: unknown } | undefined;
  if (body && typeof body === 'object' && isLang(body.lang)) return body.lang;
  const accepted = req.acceptsLanguages();
  for (const l of accepted) {
    const code = l.slice(0, 2).toLowerCase();
    if (isLang(code)) return code;
  }
  return 'en';
}

/** Sends an HttpError (or a 500) as JSON. */
export function sendError(res: Response, req: Request, err: HttpError): void {
  const t = tFor(errorLanguage(req));
  res.status(err.status).json({ error: { code: err.code, message: t(`errors.${err.code}`, err.params) } });
}

/** Express error handler: body-parser failures become 400/413/415, anything else a logged 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const e = err as { type?: string; status?: number };
    if (err instanceof HttpError) return sendError(res, req, err);
    if (e.type === 'entity.parse.failed') return sendError(res, req, new HttpError(400, 'invalid_json'));
    if (e.type === 'entity.too.large') return sendError(res, req, new HttpError(413, 'body_too_large'));
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
      return sendError(res, req, new HttpError(415, 'content_type'));
    logger.error({ stage: 'http', path: req.path, err: { name: (err as Error).name, message: (err as Error).message } }, 'request failed');
    sendError(res, req, new HttpError(500, 'internal'));
  };
}
