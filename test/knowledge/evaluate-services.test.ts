/** The service-seeking evaluation set (eval/services/services.jsonl) and its scoring: hit@3 per language. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AskRequest, AskResponse } from '../../conversation/ask-service.js';
import { SUPPORTED_LANGS } from '../../conversation/languages.js';
import {
  evaluateServices, formatTable, loadServiceQuestions, score, summarize, type ServiceQuestion, type ServiceResult,
} from '../../knowledge/evaluate-services.js';

const root = process.cwd();
const questions = loadServiceQuestions();
const seed = JSON.parse(readFileSync(join(root, 'directory', 'seed', 'directory.json'), 'utf8')) as {
  services: Array<{ id: string; status: string }>;
};
const services = new Map(seed.services.map((s) => [s.id, s]));
const taxonomy = JSON.parse(readFileSync(join(root, 'directory', 'taxonomy', 'taxonomy.json'), 'utf8')) as {
  categories: Array<{ id: string; kind: 'need' | 'group' }>;
};
const kindOf = new Map(taxonomy.categories.map((c) => [c.id, c.kind]));

describe('the service question set', () => {
  it('has at least 72 questions with unique ids, at least 6 in every language', () => {
    expect(questions.length).toBeGreaterThanOrEqual(72);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    for (const lang of SUPPORTED_LANGS) expect(questions.filter((q) => q.lang === lang).length, lang).toBeGreaterThanOrEqual(6);
  });

  it('holds the four questions of the issue', () => {
    const has = (lang: string, text: string) => questions.some((q) => q.lang === lang && q.q === text);
    expect(has('nl', 'waar kan ik vannacht slapen met mijn twee kinderen')).toBe(true);
    expect(has('fr', 'je cherche une douche près de la gare du Midi')).toBe(true);
    expect(has('ar', 'أين يمكنني أن آكل اليوم في بروكسل')).toBe(true);
    expect(has('en', 'how do I complain about my shelter')).toBe(true);
  });

  it('expects only cards that exist in knowledge/cards/data', () => {
    for (const q of questions) {
      for (const id of q.expect.cards) {
        const file = join(root, 'knowledge', 'cards', 'data', `${id}.json`);
        expect(existsSync(file), `${q.id}: card ${id}`).toBe(true);
        expect((JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id).toBe(id);
      }
    }
  });

  it('expects only active services of the directory seed, and every question expects something', () => {
    for (const q of questions) {
      expect(q.expect.cards.length + q.expect.services.length, q.id).toBeGreaterThan(0);
      for (const id of q.expect.services) {
        expect(services.has(id), `${q.id}: service ${id}`).toBe(true);
        expect(services.get(id)!.status, `${q.id}: service ${id}`).not.toBe('defunct');
      }
    }
  });

  it('names needs and groups with taxonomy ids of the right kind', () => {
    for (const q of questions) {
      expect(q.needs.length, q.id).toBeGreaterThan(0);
      for (const n of q.needs) expect(kindOf.get(n), `${q.id}: need ${n}`).toBe('need');
      for (const g of q.groups) expect(kindOf.get(g), `${q.id}: group ${g}`).toBe('group');
    }
  });

  it('asks different things within a language and writes each in its own script', () => {
    for (const lang of SUPPORTED_LANGS) {
      const of = questions.filter((q) => q.lang === lang);
      const topics = of.map((q) => [...q.needs].sort().join('+') + '/' + [...q.groups].sort().join('+'));
      expect(new Set(topics).size, lang).toBe(of.length);
    }
    for (const q of questions) {
      if (q.lang === 'ar') expect(q.q, q.id).toMatch(/\p{Script=Arabic}/u);
      else if (['ru', 'uk', 'bg'].includes(q.lang)) expect(q.q, q.id).toMatch(/\p{Script=Cyrillic}/u);
      else expect(q.q, q.id).toMatch(/^[\p{Script=Latin}\p{N}\p{P}\p{Zs}+-]+$/u);
    }
  });
});

describe('loadServiceQuestions', () => {
  it('names the file and line of a broken question', () => {
    const dir = mkdtempSync(join(tmpdir(), 'svq-'));
    try {
      const file = join(dir, 'q.jsonl');
      const good = JSON.stringify({ id: 'sv-001', lang: 'nl', q: 'waar slapen', needs: ['emergency-shelter'], groups: [], place: null, expect: { cards: [], services: [] } });
      writeFileSync(file, `${good}\n${good.replace('"nl"', '"xx"')}\n`);
      expect(() => loadServiceQuestions(file)).toThrow(/q\.jsonl:2: lang/);
      writeFileSync(file, `${good}\n{not json\n`);
      expect(() => loadServiceQuestions(file)).toThrow(/q\.jsonl:2:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const question = (id: string, lang: ServiceQuestion['lang'], cards: string[], svcs: string[]): ServiceQuestion => ({
  id, lang, q: `question ${id}`, needs: ['food'], groups: [], place: null, expect: { cards, services: svcs },
});

describe('scoring', () => {
  it('counts a card hit, a service among the first three, and not a service in fourth place', () => {
    const q = question('sv-900', 'fr', ['shower-wash'], ['svc-doucheflux']);
    expect(score(q, 'shower-wash', [])).toMatchObject({ cardHit: true, serviceHit3: false, hit3: true });
    expect(score(q, 'eat-today', ['a', 'b', 'svc-doucheflux'])).toMatchObject({ cardHit: false, serviceHit3: true, hit3: true });
    expect(score(q, undefined, ['a', 'b', 'c', 'svc-doucheflux'])).toMatchObject({ cardHit: false, serviceHit3: false, hit3: false });
  });

  it('asks without a language (detected as in production) and keeps what the answer gave', async () => {
    const asked: AskRequest[] = [];
    const fake = {
      ask: async (req: AskRequest): Promise<AskResponse> => {
        asked.push(req);
        return {
          lang: 'en', intent: 'service', answer: '', sources: [], escalate: false, context: { question: req.text },
          services: [{ id: 'svc-x' }, { id: 'svc-doucheflux' }] as AskResponse['services'],
          ...(req.text.endsWith('2') ? { card: { id: 'shower-wash', title: 't', pictogram: 'p' } } : {}),
        };
      },
    };
    const qs = [question('sv-901', 'fr', ['eat-today'], ['svc-doucheflux']), question('sv-902', 'nl', ['shower-wash'], [])];
    const seen: string[] = [];
    const results = await evaluateServices(fake, qs, (n, q) => seen.push(`${n}:${q.id}`));
    expect(asked.every((r) => r.lang === undefined)).toBe(true);
    expect(seen).toEqual(['1:sv-901', '2:sv-902']);
    expect(results[0]).toMatchObject({ id: 'sv-901', lang: 'fr', detected: 'en', card: undefined, services: ['svc-x', 'svc-doucheflux'], serviceHit3: true, hit3: true });
    expect(results[1]).toMatchObject({ id: 'sv-902', card: 'shower-wash', cardHit: true, serviceHit3: false, hit3: true });
  });
});

describe('summarize', () => {
  const r = (lang: ServiceResult['lang'], cardHit: boolean, serviceHit3: boolean) => ({ lang, cardHit, serviceHit3, hit3: cardHit || serviceHit3 });
  const results = [
    r('nl', true, false), r('nl', false, true), r('nl', false, false),
    r('ar', false, false), r('ar', false, false),
    r('fr', true, true), r('fr', false, true), r('fr', true, false), r('fr', false, false),
  ];

  it('computes card@1, services@3 and hit@3 per language (languages in order, one with no hit) and overall', () => {
    const rows = summarize(results);
    expect(rows.map((x) => x.lang)).toEqual(['nl', 'fr', 'ar', 'all']);
    expect(rows[0]).toEqual({ lang: 'nl', n: 3, card1: 0.333, services3: 0.333, hit3: 0.667 });
    expect(rows[1]).toEqual({ lang: 'fr', n: 4, card1: 0.5, services3: 0.5, hit3: 0.75 });
    expect(rows[2]).toEqual({ lang: 'ar', n: 2, card1: 0, services3: 0, hit3: 0 });
    expect(rows[3]).toEqual({ lang: 'all', n: 9, card1: 0.333, services3: 0.333, hit3: 0.556 });
  });

  it('formats the rows for the table with three decimals', () => {
    expect(formatTable(summarize(results))[2]).toEqual({ lang: 'ar', n: 2, 'card@1': '0.000', 'services@3': '0.000', 'hit@3': '0.000' });
    expect(formatTable(summarize(results))[3]!['hit@3']).toBe('0.556');
  });
});
