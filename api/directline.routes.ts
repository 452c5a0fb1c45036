/**
 * The local Direct Line 3.0 service over HTTP (directline/local-direct-line.ts): the client side the web chat page
 * uses (/v3/directline/...) and the Bot Connector side the bot replies to (/v3/conversations/...). Errors are
 * `{ error: { code, message } }` like the rest of the API and like Azure's Direct Line, in the person's language.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { tFor } from '../conversation/i18n.js';
import { isLang } from '../conversation/languages.js';
import { DirectLineError, LocalDirectLine, type LocalDirectLineOptions } from '../directline/local-direct-line.js';
import { errorLanguage } from './http-errors.js';

export interface DirectLineRouteOptions extends LocalDirectLineOptions {
  /** An existing service (tests share one to look inside); default: a new one from these options. */
  directLine?: LocalDirectLine;
}

/** The router; `router.directLine` is the service behind it (to close its timer or read its size). */
export function directLineRoutes(opts: DirectLineRouteOptions): Router & { directLine: LocalDirectLine } {
  const dl = opts.directLine ?? new LocalDirectLine(opts);
  const router = Router() as Router & { directLine: LocalDirectLine };
  router.directLine = dl;
  // Bot replies with cards can be larger than a person's message; the page's own limit is checked per activity.
  router.use(['/v3/directline', '/v3/conversations'], express.json({ limit: '256kb' }));

  const bearer = (req: Request) => /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  /** This server as its own socket reached it (the bot, in this process or next to it, can always reach that). */
  const ownUrl = (req: Request) => {
    const addr = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const host = addr.includes(':') ? `[${addr}]` : addr;
    return `http://${host}:${req.socket.localPort}${req.baseUrl}`;
  };
  const handle = (fn: (req: Request, res: Response) => Promise<void> | void) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.setHeader('Cache-Control', 'no-store');
      await fn(req, res);
    } catch (err) {
      next(err);
    }
  };
  const startable = (req: Request) => {
    if (!dl.mayStart(bearer(req))) throw new DirectLineError(403, 'dl_forbidden');
  };
  const body = (req: Request) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});

  // Client side (the page; Azure: https://directline.botframework.com).
  router.post('/v3/directline/tokens/generate', handle((req, res) => {
    startable(req);
    res.json(dl.generate({ user: body(req).user, locale: body(req).locale }));
  }));
  router.post('/v3/directline/tokens/refresh', handle((req, res) => {
    res.json(dl.refresh(bearer(req) ?? ''));
  }));
  router.post('/v3/directline/conversations', handle(async (req, res) => {
    const b = body(req);
    const token = bearer(req);
    // With a conversation token: start that one. With the secret (or none configured): a new conversation.
    let own = token && dl.isToken(token) ? token : undefined;
    if (!own) {
      startable(req);
      own = dl.generate({ user: b.user, locale: b.locale }).token;
    }
    const r = await dl.start(own, { serviceUrl: ownUrl(req), locale: b.locale });
    res.status(r.created ? 201 : 200).json({ conversationId: r.conversationId, token: r.token, expires_in: r.expires_in });
  }));
  router.get('/v3/directline/conversations/:id', handle((req, res) => {
    dl.authorize(String(req.params.id), bearer(req));
    res.json(dl.info(String(req.params.id)));
  }));
  router.post('/v3/directline/conversations/:id/activities', handle(async (req, res) => {
    if (!req.is('application/json')) throw new DirectLineError(400, 'dl_bad_activity');
    res.json(await dl.fromUser(String(req.params.id), bearer(req), req.body, { serviceUrl: ownUrl(req) }));
  }));
  router.get('/v3/directline/conversations/:id/activities', handle((req, res) => {
    res.json(dl.activities(String(req.params.id), bearer(req), req.query.watermark));
  }));

  // Bot Connector side (the bot's replies; Azure: the channel's serviceUrl).
  router.post('/v3/conversations/:cid/activities', handle((req, res) => {
    res.json(dl.fromBot(String(req.params.cid), req.body));
  }));
  router.post('/v3/conversations/:cid/activities/:aid', handle((req, res) => {
    res.json(dl.fromBot(String(req.params.cid), req.body, String(req.params.aid)));
  }));
  router.put('/v3/conversations/:cid/activities/:aid', handle((req, res) => {
    res.json(dl.updateFromBot(String(req.params.cid), String(req.params.aid), req.body));
  }));
  router.delete('/v3/conversations/:cid/activities/:aid', handle((req, res) => {
    dl.deleteFromBot(String(req.params.cid), String(req.params.aid));
    res.status(200).json({});
  }));
  router.get('/v3/conversations/:cid/members', handle((req, res) => {
    res.json(dl.members(String(req.params.cid)));
  }));

  router.use(['/v3/directline', '/v3/conversations'], (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string };
    const dlErr = err instanceof DirectLineError ? err
      : e.type === 'entity.too.large' ? new DirectLineError(413, 'dl_too_large', { max: Math.floor(dl.opts.maxActivityBytes / 1024) })
        : e.type === 'entity.parse.failed' ? new DirectLineError(400, 'dl_bad_activity')
          : undefined;
    if (!dlErr) return next(err);
    const locale = (body(req).locale as string | undefined)?.slice(0, 2).toLowerCase();
    const t = tFor(isLang(locale) ? locale : errorLanguage(req));
    res.status(dlErr.status).json({ error: { code: dlErr.code, message: t(`chat.${dlErr.code}`, dlErr.params) } });
  });
  return router;
}
