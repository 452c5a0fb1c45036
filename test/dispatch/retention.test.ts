/** Retention is enforced: reports, hand-off requests and idle conversation state are deleted when their time is up. */
import { describe, expect, it } from 'vitest';
import { HandoffRepository } from '../../dispatch/handoff.repository.js';
import { ReportsRepository } from '../../dispatch/reports.repository.js';
import { purgeExpired } from '../../dispatch/retention.js';
import { PgStorage } from '../../bot/pg-storage.js';
import { ConversationRepository } from '../../conversation/conversation.repository.js';
import { useTestDatabase } from '../helpers/kb.js';

const DAY = 86_400_000;

describe('purgeExpired', () => {
  const t = useTestDatabase();

  it('keeps what is within its retention and deletes what is past it', async () => {
    const { db } = t;
    const reports = new ReportsRepository(db, { retentionDays: 10 });
    const handoffs = new HandoffRepository(db, { retentionDays: 10 });
    const report = await reports.create({
      lang: 'fr', channel: 'bot:webchat', conversationId: 'c-ret',
      where: { text: 'gare du Nord', placeName: null, commune: null, lat: null, lon: null, source: null },
      when: { kind: 'now', text: null, at: null }, description: 'un homme', conditions: ['sleeping'], conditionText: null,
      askedForHelp: 'no', consent: true, contact: null, route: 'street-work', priority: 'normal', emergencyTold: false,
    });
    const handoff = await handoffs.create({ conversationId: 'c-ret', channel: 'bot:webchat', lang: 'fr', reason: 'person', priority: 'normal', consent: false, context: { topic: 'question' } });
    await new PgStorage(db).write({ 'webchat/conversations/c-ret': { lang: 'fr' } });
    await new ConversationRepository(db).touch('c-ret', 'bot:webchat', 'fr');
    const deps = { db, reports, handoffs, stateRetentionDays: 5 };

    // Now: nothing is old enough.
    expect(await purgeExpired(deps, new Date())).toEqual({ reports: 0, handoffs: 0, botState: 0, conversations: 0 });
    // In a week: idle state (5 days) goes, reports and requests (10 days) stay.
    const week = await purgeExpired(deps, new Date(Date.now() + 7 * DAY));
    expect(week).toMatchObject({ reports: 0, handoffs: 0 });
    expect(week.botState).toBeGreaterThanOrEqual(1);
    expect(week.conversations).toBeGreaterThanOrEqual(1);
    expect(await new PgStorage(db).read(['webchat/conversations/c-ret'])).toEqual({});
    expect(await reports.getByReference(report.reference)).toBeDefined();
    // In eleven days: the report and the hand-off request are gone too.
    const later = await purgeExpired(deps, new Date(Date.now() + 11 * DAY));
    expect(later.reports).toBeGreaterThanOrEqual(1);
    expect(later.handoffs).toBeGreaterThanOrEqual(1);
    expect(await reports.getByReference(report.reference)).toBeUndefined();
    expect(await handoffs.get(handoff.id)).toBeUndefined();
  });
});
