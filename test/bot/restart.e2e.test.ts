/**
 * Conversation state lives in the database, not in the process: a report begun with one `tsx server.ts` process is
 * finished with a new process on the same DATA_DIR (as after a deploy or a crash, or on another instance).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../db/database.js';
import { tFor } from '../../conversation/i18n.js';
import { ReportsRepository } from '../../dispatch/reports.repository.js';
import { BotClient, startConnector, textOf, type Connector } from '../helpers/bot-client.js';
import { copyTemplate } from '../helpers/kb.js';
import { freePort, start, stop, waitReady, type Service } from '../helpers/service.js';

const fr = tFor('fr');

describe('bot state across a restart', () => {
  const copy = copyTemplate();
  const running: Service[] = [];
  let connector: Connector | undefined;
  afterAll(async () => {
    for (const s of running) await stop(s, 2_000);
    await connector?.close();
    copy.cleanup();
  });

  async function startService(): Promise<string> {
    const port = await freePort();
    const s = start({ DATA_DIR: copy.dir, PORT: String(port), LOG_LEVEL: 'warn' });
    running.push(s);
    await waitReady(s, port, 90_000);
    return `http://127.0.0.1:${port}`;
  }

  it('should continue a report in a new process where the old one stopped, and store it', async () => {
    connector = await startConnector();
    const first = await startService();
    const before = new BotClient(first, connector, 'restart-conv', { locale: 'fr-BE' });
    await before.say('Français');
    const where = await before.say(fr('bot.menu.report'));
    expect(textOf(where)).toContain(fr('report.intro_where'));
    const when = await before.say('devant la gare du Nord');
    expect(textOf(when)).toContain(fr('report.when'));
    expect(await stop(running.pop()!)).toBe(0);

    // A new process on the same database: the dialog goes on at the question after "when".
    const second = await startService();
    const after = new BotClient(second, connector, 'restart-conv', { locale: 'fr-BE' });
    const looks = await after.say(fr('report.choice.now'));
    expect(textOf(looks)).toContain(fr('report.describe'));
    const condition = await after.say('un homme avec un sac à dos vert');
    expect(textOf(condition)).toContain(fr('report.condition'));
    await after.say(fr('report.choice.sleeping'));
    await after.say(fr('report.choice.help_no'));
    const consent = await after.say(fr('report.choice.no_thanks'));
    expect(consent.at(-1)?.suggestedActions?.actions.map((a) => a.title)).toContain(fr('report.choice.consent_yes'));
    const done = textOf(await after.say(fr('report.choice.consent_yes')));
    const ref = /R-[0-9A-HJKMNP-TV-Z]{6}/.exec(done)?.[0];
    expect(ref, done).toBeDefined();
    expect(await stop(running.pop()!)).toBe(0);

    const db = await openPglite(copy.dir);
    try {
      const stored = await new ReportsRepository(db).getByReference(ref!);
      expect(stored?.where.text).toBe('devant la gare du Nord');
      expect(stored?.lang).toBe('fr');
    } finally {
      await db.close();
    }
  }, 240_000);
});
