/**
 * The public directory page: GET /directory (web/directory.html with the language filled in), GET /static/<file>
 * (its css and js), GET /api/page-strings?lang= (the "page" strings from i18next, the language list and the plans'
 * titles for "source" lines) and GET /api/communes?lang= (the 19 communes of the gazetteer). Everything is served
 * under a Content-Security-Policy that allows only this origin, so the page runs no inline or third-party code.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Request, type Response } from 'express';
import { getI18n } from '../conversation/i18n.js';
import { isLang, RTL_LANGS, SUPPORTED_LANGS, type Lang } from '../conversation/languages.js';
import { loadGazetteer } from '../directory/gazetteer.js';
import { loadCorpusMeta } from '../knowledge/ingest/load-corpus.js';
import { errorLanguage, HttpError, sendError } from './http-errors.js';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');

/** Only these may be served from web/ (no directory listing, no path traversal, the html only via /directory). */
const STATIC_FILE = /^[a-z0-9-]+\.(css|js)$/;
const CONTENT_TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/** Only this origin: no inline script or style, no framing, forms post back here. */
export const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** A commune as the page lists it. */
export interface PageCommune {
  id: string;
  fr: string;
  nl: string;
}

export interface PagesRouteDeps {
  /** The 19 communes (default: directory/gazetteer.json). */
  communes?: () => ReadonlyArray<PageCommune>;
  /** Folder of directory.html, .css, .js (default: web/). */
  webDir?: string;
}

/** The communes of the gazetteer with their French and Dutch names. */
export function gazetteerCommunes(): PageCommune[] {
  return loadGazetteer().communes().map((c) => ({ id: c.id, fr: c.label.fr, nl: c.label.nl }));
}

/** The "page" section in a language, English filling any key a language lacks. */
export function pageStrings(lang: Lang): Record<string, string> {
  const i18n = getI18n();
  const en = (i18n.getResource('en', 'translation', 'page') ?? {}) as Record<string, string>;
  const own = (i18n.getResource(lang, 'translation', 'page') ?? {}) as Record<string, string>;
  return { ...en, ...own };
}

/** Display name of a commune: the page's language first for Dutch, French first otherwise; once when equal. */
export function communeName(c: PageCommune, lang: Lang): string {
  if (c.fr === c.nl) return c.fr;
  return lang === 'nl' ? `${c.nl} / ${c.fr}` : `${c.fr} / ${c.nl}`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** The page's language: ?lang= when valid, else the browser's Accept-Language, else English. */
function pageLang(req: Request): Lang {
  return isLang(req.query.lang) ? req.query.lang : errorLanguage(req);
}

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/** The router of the directory page and its assets. */
export function pagesRoutes(deps: PagesRouteDeps = {}): Router {
  const router = Router();
  const webDir = deps.webDir ?? WEB_DIR;
  let communes: ReadonlyArray<PageCommune> | undefined;
  const allCommunes = () => (communes ??= (deps.communes ?? gazetteerCommunes)());
  // Loaded once: the plans' titles name the source of each entry on screen and on paper.
  const documents = Object.fromEntries(loadCorpusMeta().map((d) => [d.id, d.shortTitle]));
  const languages = SUPPORTED_LANGS.map((code) => ({
    code, name: String(getI18n().getResource(code, 'translation', 'language.name') ?? code), dir: RTL_LANGS.has(code) ? 'rtl' : 'ltr',
  }));

  router.get('/directory', async (req, res, next) => {
    try {
      const lang = pageLang(req);
      const strings = pageStrings(lang);
      const template = await readFile(join(webDir, 'directory.html'), 'utf8');
      const values: Record<string, string> = { ...strings, lang, dir: RTL_LANGS.has(lang) ? 'rtl' : 'ltr' };
      const html = template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? escapeHtml(values[key]!) : whole));
      securityHeaders(res);
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    } catch (err) {
      next(err);
    }
  });

  router.get('/static/*file', async (req, res, next) => {
    const parts = (req.params as { file?: string | string[] }).file;
    const name = Array.isArray(parts) ? parts.join('/') : String(parts ?? '');
    if (!STATIC_FILE.test(name)) return sendError(res, req, new HttpError(404, 'not_found'));
    try {
      const body = await readFile(join(webDir, name));
      securityHeaders(res);
      res.setHeader('Content-Type', CONTENT_TYPES[name.split('.').pop()!]!);
      res.setHeader('Cache-Control', 'no-cache');
      res.send(body);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return sendError(res, req, new HttpError(404, 'not_found'));
      next(err);
    }
  });

  router.get('/api/page-strings', (req, res) => {
    const lang = req.query.lang ?? 'en';
    if (!isLang(lang)) return sendError(res, req, new HttpError(400, 'unknown_lang', { lang: String(lang).slice(0, 20), supported: SUPPORTED_LANGS.join(', ') }));
    securityHeaders(res);
    res.json({ lang, dir: RTL_LANGS.has(lang) ? 'rtl' : 'ltr', strings: pageStrings(lang), languages, documents });
  });

  router.get('/api/communes', (req, res) => {
    const lang = isLang(req.query.lang) ? req.query.lang : 'en';
    const list = allCommunes()
      .map((c) => ({ id: c.id, name: communeName(c, lang), fr: c.fr, nl: c.nl }))
      .sort((a, b) => a.name.localeCompare(b.name, lang));
    securityHeaders(res);
    res.json({ lang, communes: list });
  });

  return router;
}
