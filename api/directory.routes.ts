/**
 * The directory over HTTP: GET /api/services (search by need, group, commune, place, opening, language),
 * GET /api/services/:id, GET /api/taxonomy (categories with labels and pictograms) and the pictograms themselves.
 * Filters here are strict: a listing shows only what matches.
 */
import { Router, type Request } from 'express';
import { isLang, type Lang } from '../conversation/languages.js';
import { pictogramUrl, summarize } from '../conversation/service-summary.js';
import type { DirectorySearch, ServiceQuery } from '../directory/directory-search.js';
import { HttpError } from './http-errors.js';

export interface DirectoryRouteDeps {
  search: Pick<DirectorySearch, 'search' | 'get'>;
  taxonomy: {
    categories: ReadonlyArray<{ id: string; kind: 'need' | 'group' }>;
    label(id: string, lang: Lang): string | undefined;
    pictogramSvg(id: string): string;
  };
  places: {
    /** A commune id from an id or a French/Dutch name. */
    communeId(text: string): string | undefined;
    placeIn(text: string): { name: string; lat: number; lon: number } | undefined;
  };
  isReady: () => boolean;
  clock?: () => Date;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,79}$/;

function list(v: unknown): string[] {
  if (typeof v !== 'string' || !v.trim()) return [];
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Turns the query string into a strict search; throws HttpError naming a bad parameter. */
export function parseServiceQuery(q: Request['query'], deps: DirectoryRouteDeps): { query: ServiceQuery; lang: Lang } {
  const kinds = new Map(deps.taxonomy.categories.map((c) => [c.id, c.kind]));
  const lang = q.lang === undefined ? 'en' : q.lang;
  if (!isLang(lang)) throw new HttpError(400, 'unknown_lang', { lang: String(lang).slice(0, 20), supported: '' });
  const query: ServiceQuery = { strict: true };
  for (const [param, kind] of [['need', 'need'], ['group', 'group']] as const) {
    const ids = list(q[param]);
    for (const id of ids) if (kinds.get(id) !== kind) throw new HttpError(400, 'unknown_category', { param, value: id.slice(0, 40) });
    if (ids.length) query[param === 'need' ? 'needs' : 'groups'] = ids;
  }
  if (typeof q.commune === 'string' && q.commune) {
    const id = deps.places.communeId(q.commune);
    if (!id) throw new HttpError(400, 'unknown_place', { param: 'commune', value: q.commune.slice(0, 40) });
    query.commune = id;
  }
  if (typeof q.near === 'string' && q.near) {
    const place = deps.places.placeIn(q.near);
    if (!place) throw new HttpError(400, 'unknown_place', { param: 'near', value: q.near.slice(0, 40) });
    query.near = place;
  }
  if (q.open !== undefined) {
    if (q.open !== 'now' && q.open !== 'tonight') throw new HttpError(400, 'bad_query', { param: 'open', allowed: 'now, tonight' });
    query.open = q.open;
  }
  const languages = list(q.speaks);
  if (languages.some((l) => !/^[a-z]{2,3}$/.test(l))) throw new HttpError(400, 'bad_query', { param: 'speaks', allowed: 'fr,nl,…' });
  if (languages.length) query.languages = languages;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new HttpError(400, 'bad_query', { param: 'limit', allowed: '1-500' });
    query.limit = n;
  } else query.limit = 20;
  return { query, lang };
}

export function directoryRoutes(deps: DirectoryRouteDeps): Router {
  const router = Router();
  const now = () => deps.clock?.() ?? new Date();
  const ready = () => {
    if (!deps.isReady()) throw new HttpError(503, 'unavailable');
  };

  router.get('/api/services', async (req, res, next) => {
    try {
      const { query, lang } = parseServiceQuery(req.query, deps);
      ready();
      const at = now();
      const hits = await deps.search.search({ ...query, at });
      res.json({ lang, count: hits.length, services: hits.map((h) => summarize(h, lang, at)) });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/services/:id', async (req, res, next) => {
    try {
      const lang = isLang(req.query.lang) ? req.query.lang : 'en';
      if (!ID.test(req.params.id)) throw new HttpError(404, 'not_found');
      ready();
      const at = now();
      const hit = await deps.search.get(req.params.id, at);
      if (!hit) throw new HttpError(404, 'not_found');
      res.json({ ...summarize(hit, lang, at), description: hit.description, areas: hit.areas, locations: hit.locations, schedules: hit.schedules });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/taxonomy', (req, res) => {
    const lang = isLang(req.query.lang) ? req.query.lang : 'en';
    res.json({
      lang,
      categories: deps.taxonomy.categories.map((c) => ({ id: c.id, kind: c.kind, label: deps.taxonomy.label(c.id, lang), pictogram: pictogramUrl(c.id) })),
    });
  });

  router.get('/pictograms/:file', (req, res, next) => {
    const id = req.params.file.replace(/\.svg$/, '');
    if (!req.params.file.endsWith('.svg') || !deps.taxonomy.categories.some((c) => c.id === id)) return next(new HttpError(404, 'not_found'));
    res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(deps.taxonomy.pictogramSvg(id));
  });

  return router;
}
