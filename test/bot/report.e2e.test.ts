/**
 * The report flow over real HTTP on /api/messages: the report is in the database before the reporter sees its
 * reference, and two messages sent at once on one conversation are both applied, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tFor } from '../../conversation/i18n.js';
import type { StreetReport } from '../../dispatch/street-report.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { BotClient, startConnector, textOf, type BotReply, type Connector } from '../helpers/bot-client.js';

const REF = /R-[0-9A-HJKMNP-TV-Z]{6}/;

describe('report a person over /api/messages', () => {
  let app: TestApp;
  let connector: Connector;
  /** What the database held for each reference at the moment the bot sent it. */
  const atSend = new Map<string, StreetReport | undefined>();
  beforeAll(async () => {
    app = await startTestApp();
    connector = await startConnector({
      onActivity: async (body: BotReply) => {
        const ref = REF.exec(body.text ?? '')?.[0];
        if (ref) atSend.set(ref, await app.deps.reports.getByReference(ref));
      },
    });
  });
  afterAll(async () => {
    await connector?.close();
    await app?.stop();
  });

  it('stores the report before the reference is sent (Arabic)', async () => {
    const ar = tFor('ar');
    const c = new BotClient(app.base, connector, 'report-ar', { locale: 'ar' });
    await c.say('العربية');
    expect(textOf(await c.say('أريد الإبلاغ عن شخص ينام في الشارع'))).toContain(ar('report.intro_where'));
    await c.say('أمام محطة الشمال');
    await c.say(ar('report.choice.now'));
    await c.say('رجل بمعطف أزرق');
    await c.say(ar('report.choice.sleeping'));
    await c.say(ar('report.choice.help_yes'));
    await c.say(ar('report.choice.no_thanks'));
    const done = textOf(await c.say(ar('report.choice.consent_yes')));
    const ref = REF.exec(done)?.[0];
    expect(ref, done).toBeDefined();
    const stored = atSend.get(ref!);
    expect(stored, 'the report must be stored when its reference is sent').toBeDefined();
    expect(stored!.lang).toBe('ar');
    expect(stored!.where.text).toBe('أمام محطة الشمال');
    expect(stored!.route).toBe('outreach'); // asked for help: an outreach round (measure 12)
    expect(stored!.contact ?? null).toBeNull();
  });

  it('applies two messages sent at once on one conversation, one after the other', async () => {
    const nl = tFor('nl');
    const c = new BotClient(app.base, connector, 'report-nl-concurrent', { locale: 'nl-BE' });
    await c.say('Nederlands');
    await c.say(nl('bot.menu.report'));
    await c.say('Schaarbeek, aan het station');
    const describe = await c.say(nl('report.choice.now'));
    expect(textOf(describe)).toContain(nl('report.describe'));
    // The description and the condition arrive together (a person typing fast, or a retry).
    const [first, second] = await Promise.all([c.say('een vrouw met een rode jas'), c.say(nl('report.choice.sleeping'))]);
    const asked = [textOf(first), textOf(second)];
    expect(asked.filter((t) => t.includes(nl('report.condition')))).toHaveLength(1);
    expect(asked.filter((t) => t.includes(nl('report.asked_help')))).toHaveLength(1);
    // The conversation goes on from the question after both answers.
    await c.say(nl('report.choice.help_no'));
    await c.say(nl('report.choice.no_thanks'));
    const ref = REF.exec(textOf(await c.say(nl('report.choice.consent_yes'))))?.[0];
    const stored = await app.deps.reports.getByReference(ref!);
    expect(stored?.description).toBe('een vrouw met een rode jas');
    expect(stored?.conditions).toContain('sleeping');
  });
});
