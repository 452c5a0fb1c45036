/** POST /api/messages — the Bot Framework activity endpoint (Emulator, Web Chat, Azure Bot Service channels). */
import { Router } from 'express';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import { HttpError } from './http-errors.js';

/** The fields every activity must have for the adapter to answer it (a channel always sends them). */
export function isActivity(body: unknown): boolean {
  const a = body as { type?: unknown; conversation?: { id?: unknown }; serviceUrl?: unknown; channelId?: unknown } | null;
  return !!a && typeof a === 'object' && typeof a.type === 'string' && !!a.type && typeof a.conversation?.id === 'string'
    && typeof a.serviceUrl === 'string' && typeof a.channelId === 'string';
}

export function messagesRoutes(deps: { adapter: CloudAdapter; bot: ActivityHandler }): Router {
  const router = Router();
  router.post('/api/messages', async (req, res, next) => {
    try {
      if (!req.is('application/json')) throw new HttpError(415, 'content_type');
      if (!isActivity(req.body)) throw new HttpError(400, 'activity_invalid');
      // The adapter answers 401 for a bad or missing JWT (when an app id is set) and 400 for a malformed activity.
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
