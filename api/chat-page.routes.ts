/**
 * The web chat page: GET /chat (web/chat.html with the language filled in; its css and js come from /static like
 * the directory page's), GET /api/chat-strings?lang= (the "chat" strings and the language list), GET /api/chat-config
 * (which Direct Line the page talks to) and, with Azure Direct Line, POST /api/chat-token (a conversation token made
 * with the Direct Line secret, which never leaves the server).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { getI18n, tFor } from '../conversation/i18n.js';
import { isLang, RTL_LANGS, SUPPORTED_LANGS, type Lang } from '../conversation/languages.js';
import { errorLanguage, HttpError, sendError } from './http-errors.js';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');

export interface ChatPageOptions {
  /**
   * 'local' (default): the page talks to this app's Direct Line emulation (api/directline.routes.ts, mounted at the
   * root). Or Azure Direct Line: its base URL (https://directline.botframework.com, or a regional one) and the
   * channel's secret, used only here to make tokens.
   */
  directLine?: 'local' | { url: string; secret: string };
  /** Longest message the page lets a person type (the bot's MAX_QUESTION_CHARS). */
  maxChars?: number;
  /** Tokens one address may ask for per 10 minutes (Azure mode). */
  tokensPer10Min?: number;
  /** Folder of chat.html (default: web/). */
  webDir?: string;
  fetch?: typeof fetch;
}

/** The "chat" strings of a language, English filling any key a language lacks. */
export function chatStrings(lang: Lang): Record<string, string> {
  const i18n = getI18n();
  const en = (i18n.getResource('en', 'translation', 'chat') ?? {}) as Record<string, string>;
  const own = (i18n.getResource(lang, 'translation', 'chat') ?? {}) as Record<string, string>;
  return { ...en, ...own };
}

/** Only this origin, plus Azure Direct Line when the page talks to it. */
export function chatCsp(directLineOrigin?: string): string {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", `img-src 'self'${directLineOrigin ? ' https:' : ''}`,
    `connect-src 'self'${directLineOrigin ? ` ${directLineOrigin}` : ''}`, "font-src 'self'", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; ');
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

export function chatPageRoutes(opts: ChatPageOptions = {}): Router {
  const router = Router();
  const webDir = opts.webDir ?? WEB_DIR;
  const azure = opts.directLine && opts.directLine !== 'local' ? { ...opts.directLine, url: opts.directLine.url.replace(/\/+$/, '') } : undefined;
  const csp = chatCsp(azure ? new URL(azure.url).origin : undefined);
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const languages = SUPPORTED_LANGS.map((code) => ({
    code, name: String(getI18n().getResource(code, 'translation', 'language.name') ?? code), dir: RTL_LANGS.has(code) ? 'rtl' : 'ltr',
  }));
  const headers = (res: Response) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
  };
  const pageLang = (req: Request): Lang => (isLang(req.query.lang) ? req.query.lang : errorLanguage(req));

  router.get('/chat', async (req, res, next) => {
    try {
      const lang = pageLang(req);
      const template = await readFile(join(webDir, 'chat.html'), 'utf8');
      const values: Record<string, string> = { ...chatStrings(lang), lang, dir: RTL_LANGS.has(lang) ? 'rtl' : 'ltr' };
      headers(res);
      res.type('html').send(template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? escapeHtml(values[key]!) : whole)));
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/chat-strings', (req, res) => {
    const lang = req.query.lang ?? 'en';
    if (!isLang(lang)) return sendError(res, req, new HttpError(400, 'unknown_lang', { lang: String(lang).slice(0, 20), supported: SUPPORTED_LANGS.join(', ') }));
    headers(res);
    res.json({ lang, dir: RTL_LANGS.has(lang) ? 'rtl' : 'ltr', strings: chatStrings(lang), languages });
  });

  router.get('/api/chat-config', (_req, res) => {
    headers(res);
    res.json(azure
      ? { directLine: azure.url, tokenUrl: '/api/chat-token', maxChars: opts.maxChars ?? 2000 }
      : { directLine: 'local', tokenUrl: '/v3/directline/tokens/generate', maxChars: opts.maxChars ?? 2000 });
  });

  if (azure) {
    router.post('/api/chat-token', rateLimit({ windowMs: 10 * 60_000, limit: opts.tokensPer10Min ?? 30, standardHeaders: 'draft-7', legacyHeaders: false }), async (req, res, next) => {
      try {
        // Azure accepts a user id in the token only with the "dl_" prefix, so a page cannot pose as another user.
        const user = { id: `dl_${randomBytes(12).toString('base64url')}` };
        const r = await doFetch(`${azure.url}/v3/directline/tokens/generate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${azure.secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ user }),
          signal: AbortSignal.timeout(10_000),
        }).catch(() => undefined);
        const body = r?.ok ? ((await r.json().catch(() => null)) as { conversationId?: string; token?: string; expires_in?: number } | null) : null;
        if (!body?.token) {
          const t = tFor(errorLanguage(req));
          res.status(502).json({ error: { code: 'chat_token_failed', message: t('chat.chat_token_failed') } });
          return;
        }
        headers(res);
        res.setHeader('Cache-Control', 'no-store');
        res.json({ conversationId: body.conversationId, token: body.token, expires_in: body.expires_in, user });
      } catch (err) {
        next(err);
      }
    });
  }

  return router;
}
