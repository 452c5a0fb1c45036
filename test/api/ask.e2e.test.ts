/**
 * /api/ask end to end: the real express app (buildApp + createDependencies) on a copy of the ingested template
 * database, listening on an ephemeral loopback port, called with real fetch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { createLogger } from '../../logger.js';
import type { AppDeps } from '../../server.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ROOT = join(import.meta.dirname, '..', '..');

type Messages = { answer: Record<string, string> & { scope: Record<string, string> }; errors: Record<string, string> };
/** The locale file as shipped: the test never hard-codes a user-facing string. */
const locale = (lang: Lang): Messages => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as Messages;
const corpus = JSON.parse(readFileSync(join(ROOT, 'knowledge', 'corpus', 'corpus.json'), 'utf8')) as Array<{
  id: string; shortTitle: string; organisation: string; year: number; scope: string;
}>;

/** Fills {{name}} placeholders like i18next (escapeValue is off in conversation/i18n.ts). */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(params[k] ?? `{{${k}}}`));
}

/** A regex matching the template with its placeholders filled by anything (numbers for from/to). */
function templateRegex(template: string): RegExp {
  const parts = template.split(/(\{\{\s*\w+\s*\}\})/);
  const src = parts
    .map((p) => {
      const m = /^\{\{\s*(\w+)\s*\}\}$/.exec(p);
      if (!m) return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return m[1] === 'from' || m[1] === 'to' ? '\\d+' : '.+?';
    })
    .join('');
  return new RegExp(src);
}

interface AskBody {
  lang: Lang;
  intent: string;
  answer: string;
  sources: Array<{ kind: string; document?: string; title: string; locator?: string; text: string; score: number }>;
  services: unknown[];
  card?: { id: string; title: string; pictogram: string };
  escalate: boolean;
}
interface ErrorBody { error: { code: string; message: string } }

type CardFile = { categories: string[]; foreseen: boolean; text: Record<Lang, { body: string }>; citations: Array<{ document: string; quote: string }> };
const cardFile = (id: string) => JSON.parse(readFileSync(join(ROOT, 'knowledge', 'cards', 'data', `${id}.json`), 'utf8')) as CardFile;

/** A plan answer (intro + citations) or a card answer (its text in the language + citations), never another language's. */
function expectAnsweredIn(r: AskBody & { card?: { id: string } }, lang: Lang) {
  const m = locale(lang).answer;
  if (r.card) {
    expect(r.answer).toContain(cardFile(r.card.id).text[lang].body);
    expect(r.answer).toMatch(templateRegex(m.citation_no_section!));
  } else {
    expect(r.answer).toContain(m.found_intro!);
    expect(r.answer).toMatch(templateRegex(m.citation!));
  }
}

describe('api/ask.routes', () => {
  const logLines: string[] = [];
  let deps: AppDeps;
  let base: string;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ logger: createLogger('info', { write: (line: string) => void logLines.push(line) }) });
    ({ deps, base } = app);
    expect(deps.readiness.ready).toBe(true);
  });

  afterAll(async () => app?.stop());

  /** POSTs a JSON value (or raw bytes/text) to /api/ask. */
  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const raw = typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body);
    return fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  }

  async function ask(body: Record<string, unknown>): Promise<AskBody> {
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    return (await res.json()) as AskBody;
  }

  async function expectError(res: Response, status: number, code: string | string[]): Promise<ErrorBody['error']> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as ErrorBody;
    expect(Object.keys(body)).toEqual(['error']);
    if (Array.isArray(code)) expect(code).toContain(body.error.code);
    else expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(body.error.message).not.toMatch(/errors\.|\{\{/); // a real sentence, not a missing key
    return body.error;
  }

  describe('POST /api/ask', () => {
    it('should answer a French policy question in French, with the plans as cited sources', async () => {
      const fr = locale('fr');
      const r = await ask({ text: 'que dit le plan sur le comptage des personnes sans abri ?' });
      expect(r.lang).toBe('fr');
      expect(r.intent).toBe('question');
      expect(r.escalate).toBe(false);
      expect(r.answer).toContain(fr.answer.found_intro!);
      expect(r.answer).toMatch(templateRegex(fr.answer.citation!));
      expect(r.answer).toMatch(/lignes \d+-\d+/);
      expect(r.answer).toContain(fr.answer.offer_person!);
      expect(r.services).toEqual([]);
      expect(r.sources.length).toBeGreaterThan(0);
      const ids = new Set(corpus.map((d) => d.id));
      for (const s of r.sources) {
        expect(s.kind).toBe('plan');
        expect(ids.has(s.document!)).toBe(true);
        expect(s.title.length).toBeGreaterThan(0);
        expect(s.locator).toMatch(/lines \d+-\d+$/);
        expect(s.text.length).toBeGreaterThan(0);
        expect(typeof s.score).toBe('number');
        expect(Number.isFinite(s.score)).toBe(true);
      }
    });

    it('should answer a practical French question with a knowledge card, its citations and services', async () => {
      const fr = locale('fr');
      const r = await ask({ text: "mon proprio veut me mettre dehors, qui peut m'aider ?" });
      expect(r.lang).toBe('fr');
      expect(r.intent).toBe('service');
      expect(r.escalate).toBe(false);
      const card = cardFile(r.card!.id);
      expect(card.categories).toContain('eviction-prevention');
      expect(r.answer).toContain(card.text.fr.body);
      expect(r.answer).toMatch(templateRegex(fr.answer.citation_no_section!));
      expect(r.answer).toContain(fr.answer.offer_person!);
      const ids = new Set(corpus.map((d) => d.id));
      expect(r.sources[0]).toMatchObject({ kind: 'card', document: r.card!.id });
      for (const s of r.sources) {
        expect(['plan', 'card', 'directory']).toContain(s.kind);
        if (s.kind === 'plan') {
          expect(ids.has(s.document!)).toBe(true);
          expect(s.locator).toMatch(/lines \d+-\d+$/);
        }
      }
      for (const c of card.citations) expect(r.sources.some((s) => s.kind === 'plan' && s.document === c.document && s.text === c.quote)).toBe(true);
    });

    it.each([
      ['ar', 'سأخرج من السجن الشهر القادم وليس عندي شيء، ولا مكان أسكن فيه'],
      ['pl', 'za 2 miesiące kończę 18 lat i muszę wyprowadzić się z placówki. gdzie mogę mieszkać?'],
      ['en', 'patient is being discharged tomorrow but was already homeless before, where can he go?'],
      ['ar', 'ماذا تقول الخطة عن إحصاء المشردين؟'],
      ['pl', 'co plan mówi o liczeniu osób bezdomnych?'],
    ] as const)('should detect %s and answer in it: %s', async (lang, text) => {
      const r = await ask({ text });
      expect(r.lang).toBe(lang);
      expectAnsweredIn(r, lang);
    });

    it('should let an explicit lang win over detection', async () => {
      const r = await ask({ text: 'where can i sleep tonight? i have nowhere to go', lang: 'ar' });
      expect(r.lang).toBe('ar');
      const ar = locale('ar');
      const card = r.card ? cardFile(r.card.id) : undefined;
      expect(r.answer.includes(ar.answer.found_intro!) || r.answer.includes(ar.answer.no_result!) || (!!card && r.answer.includes(card.text.ar.body))).toBe(true);
      expect(r.answer).not.toContain(locale('en').answer.found_intro!);
      if (card) expect(r.answer).not.toContain(card.text.en.body);
    });

    it("should keep the conversation's language for a short follow-up in the same conversation", async () => {
      const conversationId = `e2e-${Date.now()}`;
      const first = await ask({ text: 'za 2 miesiące kończę 18 lat i muszę wyprowadzić się z placówki. gdzie mogę mieszkać?', conversationId });
      expect(first.lang).toBe('pl');
      const followUp = await ask({ text: 'ok', conversationId });
      expect(followUp.lang).toBe('pl');
      // Without the conversation, "ok" alone carries no Polish at all.
      const alone = await ask({ text: 'ok' });
      expect(alone.lang).not.toBe('pl');
    });

    it('should return finite numeric scores even for a message with no known word', async () => {
      // "ok" embeds to an empty vector; its similarities must still be numbers (JSON has no NaN: it becomes null).
      const r = await ask({ text: 'ok', lang: 'en' });
      for (const s of r.sources) expect(typeof s.score).toBe('number');
    });

    it('should say that a Limburg plan is not about Brussels', async () => {
      const limburg = corpus.find((d) => d.scope === 'limburg')!;
      const r = await ask({ text: 'what do poor people in limburg ask from the local elections?' });
      expect(r.lang).toBe('en');
      expect(r.answer).toContain(fill(locale('en').answer.scope.limburg!, limburg));
      expect(r.sources.some((s) => s.document === limburg.id)).toBe(true);
    });

    it('should say "the plan foresees" in the person\'s language when quoting the Masterplan', async () => {
      const master = corpus.find((d) => d.shortTitle.startsWith('Masterplan'))!;
      const fr = locale('fr');
      const r = await ask({ text: 'que prévoit le plan pour le comptage des sans-abri ?' });
      expect(r.lang).toBe('fr');
      // The answer is blocks separated by blank lines; the block citing the Masterplan says it is only foreseen.
      const block = r.answer.split('\n\n').find((b) => b.includes(fr.answer.citation!.split('{{')[0]!) && b.includes(master.shortTitle));
      expect(block, r.answer).toBeDefined();
      expect(block).toContain(fr.answer.plan_foresees!);
      expect(block).toContain(fill(fr.answer.scope[master.scope]!, master));
    });

    it('should say "the plan foresees" when a knowledge card describes what is still to be set up', async () => {
      const r = await ask({ text: "je sors de prison le mois prochain et j'ai rien, pas de logement. qui peut m'aider ?" });
      const card = cardFile(r.card!.id);
      expect(card.foreseen).toBe(true);
      expect(r.answer).toContain(locale('fr').answer.plan_foresees!);
    });

    it.each([
      ['en', 'what is the price of bitcoin today'],
      ['nl', 'wie wordt wereldkampioen voetbal'],
    ] as const)('should say nothing was found and offer a person for an out-of-scope question (%s)', async (lang, text) => {
      const r = await ask({ text });
      const m = locale(lang).answer;
      const scores = r.sources.map((s) => s.score);
      expect(r.escalate, `top scores ${scores.join(', ')}`).toBe(true);
      expect(r.answer).toContain(m.no_result!);
      expect(r.answer).toContain(m.offer_person!);
      expect(r.answer).not.toContain(m.found_intro!);
    });
  });

  describe('POST /api/ask with bad input', () => {
    it('should refuse an empty body', async () => {
      await expectError(await post(''), 400, ['text_required', 'body_not_object', 'invalid_json']);
    });

    it('should refuse empty text', async () => {
      await expectError(await post({ text: '' }), 400, 'text_empty');
      await expectError(await post({ text: '   \n ' }), 400, 'text_empty');
    });

    it('should refuse a 100 kB question with 413', async () => {
      await expectError(await post({ text: 'a'.repeat(100_000) }), 413, 'body_too_large');
    });

    it('should refuse a question longer than MAX_QUESTION_CHARS with 413 and say the limit', async () => {
      const e = await expectError(await post({ text: 'a '.repeat(3000) }), 413, 'text_too_long');
      expect(e.message).toContain('2000');
    });

    it('should refuse binary bytes sent as JSON', async () => {
      const bytes = new Uint8Array(256).map((_, i) => (i * 37 + 11) % 256);
      await expectError(await post(bytes), 400, ['invalid_json', 'text_binary']);
      await expectError(await post({ text: 'PK\u0003\u0004\u0000\u0001binary' }), 400, 'text_binary');
    });

    it('should refuse malformed JSON', async () => {
      await expectError(await post('{"text": "hello"'), 400, 'invalid_json');
      await expectError(await post("{text: 'hello'}"), 400, 'invalid_json');
    });

    it('should refuse text that is not a string', async () => {
      await expectError(await post({ text: 5 }), 400, 'text_not_string');
      await expectError(await post({ text: ['a'] }), 400, 'text_not_string');
    });

    it('should refuse an array body', async () => {
      await expectError(await post([{ text: 'hello' }]), 400, 'body_not_object');
    });

    it('should refuse an unknown lang and list the supported languages', async () => {
      const e = await expectError(await post({ text: 'hi', lang: 'xx' }), 400, 'unknown_lang');
      expect(e.message).toContain('xx');
      for (const l of SUPPORTED_LANGS) expect(e.message).toContain(l);
    });

    it('should refuse another content type with 415', async () => {
      const res = await fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      await expectError(res, 415, 'content_type');
      const none = await fetch(`${base}/api/ask`, { method: 'POST', body: new Blob([new Uint8Array([104, 105])]) });
      await expectError(none, 415, 'content_type');
    });

    it('should refuse an invalid conversationId', async () => {
      await expectError(await post({ text: 'hello', conversationId: 'a b/../c' }), 400, 'conversation_id_invalid');
      await expectError(await post({ text: 'hello', conversationId: 'x'.repeat(129) }), 400, 'conversation_id_invalid');
      await expectError(await post({ text: 'hello', conversationId: 42 }), 400, 'conversation_id_invalid');
    });

    it("should answer errors in the requester's language (body lang, then Accept-Language, else English)", async () => {
      const byBody = await expectError(await post({ text: '', lang: 'fr' }), 400, 'text_empty');
      expect(byBody.message).toBe(locale('fr').errors.text_empty);
      const byHeader = await expectError(await post('{oops', { 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.5' }), 400, 'invalid_json');
      expect(byHeader.message).toBe(locale('pl').errors.invalid_json);
      const tooLong = await expectError(await post({ text: 'a '.repeat(3000), lang: 'ar' }), 413, 'text_too_long');
      expect(tooLong.message).toBe(fill(locale('ar').errors.text_too_long!, { max: 2000 }));
      const unsupported = await expectError(await post('{oops', { 'accept-language': 'de-DE' }), 400, 'invalid_json');
      expect(unsupported.message).toBe(locale('en').errors.invalid_json);
    });
  });

  describe('readiness', () => {
    it('should answer 503 with Retry-After while the index is not ready', async () => {
      deps.readiness.ready = false;
      try {
        const res = await post({ text: 'waar kan ik slapen?' }, { 'accept-language': 'nl' });
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        const e = await expectError(res, 503, 'unavailable');
        expect(e.message).toBe(locale('nl').errors.unavailable);
        const ready = await fetch(`${base}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ database: true, index: false });
      } finally {
        deps.readiness.ready = true;
      }
    });
  });

  describe('api/health.routes', () => {
    it('should say alive on /healthz', async () => {
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('should say ready on /readyz once the index is built', async () => {
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready', database: true, index: true });
    });

    it('should expose http_requests_total on /metrics', async () => {
      await fetch(`${base}/healthz`);
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const text = await res.text();
      expect(text).toContain('# TYPE http_requests_total counter');
      expect(text).toMatch(/http_requests_total\{route="\/healthz",status="200"\} \d+/);
      expect(text).toMatch(/http_requests_total\{route="\/api\/ask",status="200"\} \d+/);
      expect(text).toContain('http_request_duration_seconds_bucket');
    });
  });

  describe('logger', () => {
    it('should log the stage and latency of a question but never its text or a phone number', async () => {
      const word = 'Zwartkrokodilpannenkoek';
      const phone = '+32 470 12 34 56';
      const text = `mijn huisbaas wil me eruit zetten, bel me op ${phone}, ik heet ${word}`;
      await ask({ text, conversationId: 'log-check-1' });
      await post(`{"text": "${phone} ${word}"`); // malformed: the parse error must not be logged with the body
      await post({ text: `${word}\u0000`, lang: 'xx' });
      const lines = logLines.filter((l) => l.trim());
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line).not.toContain(word);
        expect(line).not.toContain(phone);
        expect(line.replace(/\s/g, '')).not.toContain('32470123456');
      }
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const asked = records.filter((r) => r.stage === 'ask');
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((r) => typeof r.latencyMs === 'number')).toBe(true);
      expect(asked.some((r) => r.conversationId === 'log-check-1' && r.lang === 'nl')).toBe(true);
    });
  });
});

describe('api/ask.routes with the database down', () => {
  let deps: AppDeps;
  let base: string;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    ({ deps, base } = app);
  });

  afterAll(async () => app?.stop());

  describe('POST /api/ask', () => {
    it('should answer 503 with Retry-After, and /readyz 503 with database:false, once the database is closed', async () => {
      const before = await fetch(`${base}/api/ask`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'waar kan ik slapen vannacht?' }),
      });
      expect(before.status).toBe(200);
      await deps.db.close();
      const res = await fetch(`${base}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'fr' },
        body: JSON.stringify({ text: 'waar kan ik slapen vannacht?', conversationId: 'down-1' }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await res.json()).toEqual({ error: { code: 'unavailable', message: locale('fr').errors.unavailable } });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not ready', database: false });
      const alive = await fetch(`${base}/healthz`);
      expect(alive.status).toBe(200);
    });
  });
});
