/** Follow-ups keep the conversation's context: "and for women?", "closer to Anderlecht?", "is it open now?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskResponse, AskService } from '../../conversation/ask-service.js';
import { createLogger } from '../../logger.js';
import { createAskService, createDirectory } from '../../server.js';
import { openTestKnowledge, testConfig } from '../helpers/kb.js';

let ask: AskService;
let close: () => Promise<void>;
// A Tuesday night in January, Brussels time: shelters' night hours apply.
const clock = () => new Date('2027-01-12T22:30:00Z');

beforeAll(async () => {
  const t = await openTestKnowledge();
  close = t.close;
  const service = createAskService(testConfig(t.dir), t.db, t.kb, createLogger('silent'), createDirectory(t.db));
  (service as unknown as { deps: { clock: () => Date } }).deps.clock = clock;
  ask = service;
}, 120_000);
afterAll(async () => close?.());

async function chain(lang: AskResponse['lang'], ...texts: string[]): Promise<AskResponse[]> {
  const out: AskResponse[] = [];
  for (const text of texts) out.push(await ask.ask({ text, lang, context: out.at(-1)?.context }));
  return out;
}

describe('follow-up questions', () => {
  it('"and for women?" keeps the need (a place to sleep) and adds the group', async () => {
    const [first, second] = await chain('en', 'where can I sleep tonight', 'and for women?');
    expect(first!.services.length).toBeGreaterThan(0);
    expect(second!.followUp).toBe(true);
    expect(second!.services.length).toBeGreaterThan(0);
    // Still about sleeping: every service listed is a shelter-type service, and one is for women.
    expect(second!.services.every((s) => s.categories.some((c) => /shelter|night|sleep|housing/.test(c)))).toBe(true);
    expect(second!.services.some((s) => s.groups.includes('women'))).toBe(true);
  });

  it('"plus près de la gare du Midi ?" keeps the need and uses the new place', async () => {
    const [first, second] = await chain('fr', 'où prendre une douche', 'et plus près de la gare du Midi ?');
    expect(second!.followUp).toBe(true);
    expect(second!.services.length).toBeGreaterThan(0);
    // Still the same need: every service shares a category with the first answer's, and a shower is among them.
    const firstCategories = new Set(first!.services.flatMap((s) => s.categories));
    expect(second!.services.every((s) => s.categories.some((c) => firstCategories.has(c)))).toBe(true);
    expect(second!.services.some((s) => s.categories.includes('shower-hygiene'))).toBe(true);
    expect(second!.context.question).toBe('où prendre une douche et plus près de la gare du Midi ?');
  });

  it('"is it open now?" asks for the same services, open now', async () => {
    const [first, second] = await chain('nl', 'waar kan ik douchen', 'is het nu open?');
    expect(second!.followUp).toBe(true);
    expect(new Set(second!.services.flatMap((s) => s.categories)).size).toBeGreaterThan(0);
    expect(second!.services.map((s) => s.openNow).every((o) => o !== 'closed')).toBe(true);
    expect(first!.context.question).toBe('waar kan ik douchen');
    expect(second!.context.question).toBe('waar kan ik douchen is het nu open?');
  });

  it('a new question is not a follow-up', async () => {
    const [, second] = await chain('en', 'where can I sleep tonight', 'I need a doctor');
    expect(second!.followUp).toBeUndefined();
    expect(second!.context.question).toBe('I need a doctor');
  });

  it('without context nothing is merged', async () => {
    const r = await ask.ask({ text: 'and for women?', lang: 'en' });
    expect(r.followUp).toBeUndefined();
  });
});
