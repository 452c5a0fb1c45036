/** The bot on botbuilder's TestAdapter: a thin adapter over the brain, in the person's language. */
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { createLogger } from '../../logger.js';
import { describe, expect, it } from 'vitest';
import type { AskRequest, AskResponse } from '../../conversation/ask-service.js';
import { conversationKey, InfolineBot, ssml } from '../../bot/infoline-bot.js';
import { tFor } from '../../conversation/i18n.js';

/** A brain that records what it was asked and answers in a given language (the real one is tested end to end). */
function brain(lang: AskResponse['lang'], answer: string) {
  const asked: AskRequest[] = [];
  return {
    asked,
    ask: async (req: AskRequest): Promise<AskResponse> => {
      asked.push(req);
      return { lang, intent: 'question', answer, sources: [], services: [], escalate: false, context: { question: req.text } };
    },
  };
}

/** The bot with in-memory state and hand-offs recorded; no task dialogs (they have their own tests). */
function makeBot(b: ReturnType<typeof brain>, maxChars: number) {
  const handoffs = { created: [] as unknown[], create: async (input: unknown) => { handoffs.created.push(input); return { reference: 'H-TEST01' } as never; }, escalate: async () => true, shareDetails: async () => true };
  return new InfolineBot({ ask: b, maxChars, storage: new MemoryStorage(), handoffs, tasks: [], logger: createLogger('silent'), erase: async () => undefined });
}

describe('InfolineBot', () => {
  it('should pass the message to the brain with a stable conversation id and reply with text, SSML and input hint', async () => {
    const b = brain('ar', 'جواب <مهم> & مفيد');
    const adapter = new TestAdapter(async (ctx) => makeBot(b, 2000).run(ctx));
    await adapter
      .send('أين يمكنني أن آكل؟')
      .assertReply((a) => expect(a.type).toBe('typing'))
      .assertReply((a: Partial<Activity>) => {
        // The answer, then (on a channel without suggested actions) the follow-up choices as numbered lines.
        expect(a.text).toBe(`جواب <مهم> & مفيد\n\n1. ${tFor('ar')('bot.menu.person')}`);
        expect(a.speak).toBe(ssml(`جواب <مهم> & مفيد ${tFor('ar')('bot.menu.person')}.`, 'ar'));
        expect(a.speak).toContain('&lt;مهم&gt; &amp;');
        expect(a.inputHint).toBe('expectingInput');
        expect(a.locale).toBe('ar');
      });
    expect(b.asked).toHaveLength(1);
    expect(b.asked[0]!.text).toBe('أين يمكنني أن آكل؟');
    expect(b.asked[0]!.conversationId).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    expect(b.asked[0]!.channel).toBe('bot:test');
  });

  it('should refuse a message longer than the limit without calling the brain, in the channel language', async () => {
    const b = brain('fr', 'x');
    const adapter = new TestAdapter(async (ctx) => makeBot(b, 10).run(ctx));
    await adapter.send({ type: 'message', text: 'a'.repeat(50), locale: 'fr-BE' } as Partial<Activity>)
      .assertReply((a) => expect(a.type).toBe('typing'))
      .assertReply((a) => expect(a.text).toBe(tFor('fr')('errors.text_too_long', { max: 10 })));
    expect(b.asked).toHaveLength(0);
  });

  it('should ask for words when the message is empty (an attachment or sticker alone)', async () => {
    const b = brain('nl', 'x');
    const adapter = new TestAdapter(async (ctx) => makeBot(b, 100).run(ctx));
    await adapter.send({ type: 'message', text: '', locale: 'nl' } as Partial<Activity>)
      .assertReply((a) => expect(a.type).toBe('typing'))
      .assertReply((a) => expect(a.text).toBe(tFor('nl')('bot.empty')));
    expect(b.asked).toHaveLength(0);
  });

  it('should make conversation ids the brain accepts from any channel id', () => {
    const key = conversationKey({ activity: { channelId: 'msteams', conversation: { id: `a:1${'é/='.repeat(60)}` } } } as never);
    expect(key).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
  });
  it('should say plainly when a hand-off request cannot be stored (database down), with the numbers to call instead', async () => {
    const b = brain('fr', 'réponse');
    const failing = { create: async () => { throw new Error('connection refused'); }, escalate: async () => false, shareDetails: async () => false };
    const bot = new InfolineBot({ ask: b, maxChars: 2000, storage: new MemoryStorage(), handoffs: failing, tasks: [], logger: createLogger('silent'), erase: async () => undefined });
    const adapter = new TestAdapter(async (ctx) => bot.run(ctx));
    const t = tFor('fr');
    await adapter.send({ type: 'message', text: 'je veux parler à un humain', locale: 'fr' } as Partial<Activity>)
      .assertReply((a) => expect(a.type).toBe('typing'))
      .assertReply((a) => {
        expect(a.text).toBe(t('bot.person_failed'));
        expect(a.text).toContain('112');
        expect(a.text).toContain('0800 99 340');
      });
  });
});
