/**
 * The directory through the real app: /api/ask answers practical questions with a card, services and citations in
 * the person's language; /api/services filters; /api/taxonomy and the pictograms; free places in answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../conversation/languages.js';
import type { AppDeps } from '../../server.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ROOT = join(import.meta.dirname, '..', '..');
type Locale = { services: Record<string, string>; answer: Record<string, string> };
const locale = (lang: Lang) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as Locale;
const card = (id: string) => JSON.parse(readFileSync(join(ROOT, 'knowledge', 'cards', 'data', `${id}.json`), 'utf8')) as {
  text: Record<Lang, { title: string; body: string }>; citations: Array<{ document: string; lines: [number, number] }>; categories: string[]; groups: string[];
};
const seed = JSON.parse(readFileSync(join(ROOT, 'directory', 'seed', 'directory.json'), 'utf8')) as {
  services: Array<{ id: string }>; attributes: Array<{ link_id: string; taxonomy_term_id: string }>;
};
const termsOf = (serviceId: string) => seed.attributes.filter((a) => a.link_id === serviceId).map((a) => a.taxonomy_term_id);

interface Service { id: string; name: string; categories: string[]; groups: string[]; pictogram: string; phones: Array<{ number: string }>; distanceKm: number | null; freePlaces: { free: number; total: number; ageMinutes: number } | null }
interface AskBody {
  lang: Lang; intent: string; answer: string; escalate: boolean;
  sources: Array<{ kind: string; document?: string; title: string; locator?: string; text: string }>;
  services: Service[]; card?: { id: string; title: string; pictogram: string };
}

describe('directory over HTTP', () => {
  let deps: AppDeps;
  let base: string;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    ({ deps, base } = app);
  });
  afterAll(async () => app?.stop());

  async function ask(text: string): Promise<AskBody> {
    const res = await fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    expect(res.status).toBe(200);
    return (await res.json()) as AskBody;
  }

  /** The answer is the card in the person's language, cited, with services of the card's needs. */
  function expectCardAnswer(r: AskBody, lang: Lang, cardId: string) {
    const c = card(cardId);
    expect(r.lang).toBe(lang);
    expect(r.card?.id).toBe(cardId);
    expect(r.answer).toContain(c.text[lang].body);
    expect(r.answer).toContain(locale(lang).answer.offer_person!);
    expect(r.escalate).toBe(false);
    const cited = r.sources.filter((s) => s.kind === 'plan');
    for (const cit of c.citations) expect(cited.some((s) => s.document === cit.document && s.locator === `lines ${cit.lines[0]}-${cit.lines[1]}`)).toBe(true);
    expect(r.answer).toContain(`${c.citations[0]!.lines[0]}-${c.citations[0]!.lines[1]}`);
  }

  /** Every listed service is one the card names or answers one of the card's needs. */
  function expectServicesOfCard(r: AskBody) {
    const c = JSON.parse(readFileSync(join(ROOT, 'knowledge', 'cards', 'data', `${r.card!.id}.json`), 'utf8')) as { categories: string[]; services?: string[] };
    for (const s of r.services) {
      const ok = (c.services ?? []).includes(s.id) || termsOf(s.id).some((t) => c.categories.includes(t));
      expect(ok, `${s.id} answers ${r.card!.id}`).toBe(true);
    }
  }

  describe('POST /api/ask (the four questions of the issue)', () => {
    it('should answer "tonight with my two children" in Dutch with the family card and family shelter services', async () => {
      const r = await ask('waar kan ik vannacht slapen met mijn twee kinderen');
      expectCardAnswer(r, 'nl', 'sleep-tonight-family');
      expect(r.intent).toBe('service');
      expect(r.services.length).toBeGreaterThan(0);
      expect(r.services.length).toBeLessThanOrEqual(3);
      expectServicesOfCard(r);
      expect(r.services.some((s) => s.groups.includes('families'))).toBe(true);
      expect(r.answer).toContain(locale('nl').services.intro!);
      expect(r.answer).toContain(r.services[0]!.name);
    });

    it('should answer a shower near Gare du Midi in French, saying what is not on file', async () => {
      const r = await ask('je cherche une douche près de la gare du Midi');
      expectCardAnswer(r, 'fr', 'shower-wash');
      expectServicesOfCard(r);
      expect(termsOf(r.services[0]!.id)).toContain('shower-hygiene');
      if (r.services.some((s) => !s.phones.length)) expect(r.answer).toContain(locale('fr').services.no_phone!);
    });

    it('should answer where to eat today in Arabic', async () => {
      const r = await ask('أين يمكنني أن آكل اليوم في بروكسل');
      expectCardAnswer(r, 'ar', 'eat-today');
      expect(r.services.length).toBeGreaterThan(0);
      expectServicesOfCard(r);
      expect(r.answer).toMatch(/[\u0600-\u06FF]/);
    });

    it('should answer how to complain about a shelter in English with the complaint bodies', async () => {
      const r = await ask('how do I complain about my shelter');
      expect(['complain', 'complain-house-rules']).toContain(r.card?.id);
      expectCardAnswer(r, 'en', r.card!.id);
      // The three levels of measure 32: the service, the sector's administration, Ombuds.brussels.
      expect(r.services.map((s) => s.id)).toEqual(['svc-complaints-level-1', 'svc-vivalis-complaints', 'svc-ombuds-brussels-complaints']);
      for (const s of r.services) expect(termsOf(s.id)).toContain('complaints');
      expect(r.answer).toContain('Ombuds.brussels');
    });

    it('should keep a plan answer for a question that names no need', async () => {
      const r = await ask('wat is het Masterplan van Bruss’help?');
      expect(r.intent).toBe('question');
      expect(r.card).toBeUndefined();
    });
  });

  describe('free places in answers', () => {
    it('should say how fresh a free-places figure is and promise no bed', async () => {
      const [shelter] = ((await (await fetch(`${base}/api/services?need=emergency-shelter&limit=1`)).json()) as { services: Service[] }).services;
      expect(shelter).toBeDefined();
      const { token } = await deps.capacity.createToken(shelter!.id, 'Test shelter');
      const put = await fetch(`${base}/api/capacity/${shelter!.id}`, {
        method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ free: 4, total: 40 }),
      });
      expect(put.status).toBe(200);
      const res = await fetch(`${base}/api/services/${shelter!.id}?lang=en`);
      const one = (await res.json()) as Service;
      expect(one.freePlaces).toMatchObject({ free: 4, total: 40 });
      expect(one.freePlaces!.ageMinutes).toBeLessThanOrEqual(1);
      const r = await ask('I need an emergency shelter bed tonight');
      const listed = r.services.find((s) => s.id === shelter!.id);
      if (listed) {
        expect(r.answer).toMatch(/free places: 4 of 40, updated (now|this minute|\d+ minutes? ago)/);
        expect(r.answer).toContain(locale('en').services.no_promise!);
      }
    });
  });

  describe('GET /api/services', () => {
    const get = async (q: string) => fetch(`${base}/api/services?${q}`);

    it('should list services of a need with their pictogram', async () => {
      const res = await get('need=complaints&lang=nl');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { count: number; services: Service[] };
      expect(body.count).toBeGreaterThanOrEqual(3);
      for (const s of body.services) {
        expect(termsOf(s.id)).toContain('complaints');
        expect(s.pictogram).toMatch(/^\/pictograms\/[a-z-]+\.svg$/);
      }
      const names = body.services.map((s) => s.name).join(' ');
      expect(names).toMatch(/Ombuds\.brussels/i);
    });

    it('should filter by group and commune', async () => {
      const body = (await (await get('need=emergency-shelter&group=families')).json()) as { services: Service[] };
      expect(body.services.length).toBeGreaterThan(0);
      for (const s of body.services) expect(s.groups).toContain('families');
      const schaerbeek = (await (await get('need=income&commune=Schaarbeek')).json()) as { services: Service[] };
      const city = (await (await get('need=income&commune=bruxelles')).json()) as { services: Service[] };
      // OCMW of the City of Brussels services cover the City, not Schaerbeek.
      expect(city.services.length).toBeGreaterThan(schaerbeek.services.length);
    });

    it('should rank by distance from a named place', async () => {
      const body = (await (await get('need=social-services&near=gare%20du%20midi&limit=50')).json()) as { services: Service[] };
      const withDistance = body.services.filter((s) => s.distanceKm !== null);
      expect(withDistance.length).toBeGreaterThan(0);
    });

    it('should refuse unknown categories, places and options, naming them', async () => {
      for (const [q, code] of [['need=pizza', 'unknown_category'], ['group=food', 'unknown_category'], ['commune=Paris', 'unknown_place'],
        ['near=atlantis', 'unknown_place'], ['open=later', 'bad_query'], ['limit=0', 'bad_query'], ['lang=xx', 'unknown_lang']] as const) {
        const res = await get(q);
        expect(res.status, q).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code, q).toBe(code);
      }
    });

    it('should 404 an unknown service', async () => {
      expect((await fetch(`${base}/api/services/svc-does-not-exist`)).status).toBe(404);
    });
  });

  describe('taxonomy and pictograms', () => {
    it('should list the categories with labels in the language and serve each pictogram as SVG', async () => {
      const body = (await (await fetch(`${base}/api/taxonomy?lang=uk`)).json()) as { categories: Array<{ id: string; label: string; pictogram: string }> };
      expect(body.categories.length).toBeGreaterThanOrEqual(25);
      for (const c of body.categories) {
        expect(c.label).toMatch(/[\u0400-\u04FF]/);
        const res = await fetch(`${base}${c.pictogram}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/image\/svg\+xml/);
        expect(await res.text()).toMatch(/<svg[\s\S]*<\/svg>/);
      }
      expect((await fetch(`${base}/pictograms/nope.svg`)).status).toBe(404);
    });
  });
});
