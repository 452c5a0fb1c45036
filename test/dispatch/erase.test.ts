/** "Delete my data": a conversation's requests and record go; its reports stay for the person seen, without the reporter. */
import { describe, expect, it } from 'vitest';
import { eraseConversation } from '../../dispatch/erase.js';
import { HandoffRepository } from '../../dispatch/handoff.repository.js';
import { ReportsRepository } from '../../dispatch/reports.repository.js';
import { ConversationRepository } from '../../conversation/conversation.repository.js';
import { useTestDatabase } from '../helpers/kb.js';

describe('eraseConversation', () => {
  const t = useTestDatabase();

  it('deletes the hand-off requests and the record, and strips the reporter from the reports', async () => {
    const { db } = t;
    const reports = new ReportsRepository(db);
    const handoffs = new HandoffRepository(db);
    const mine = await reports.create({
      lang: 'nl', channel: 'bot:webchat', conversationId: 'c-erase',
      where: { text: 'Noordstation', placeName: null, commune: null, lat: null, lon: null, source: null },
      when: { kind: 'now', text: null, at: null }, description: 'man met hond', conditions: ['sleeping'], conditionText: null,
      askedForHelp: 'yes', consent: true, contact: 'reporter@example.org', route: 'outreach', priority: 'normal', emergencyTold: false,
    });
    const other = await handoffs.create({ conversationId: 'c-other', channel: 'bot:webchat', lang: 'nl', reason: 'person', priority: 'normal', consent: false, context: {} });
    await handoffs.create({ conversationId: 'c-erase', channel: 'bot:webchat', lang: 'nl', reason: 'person', priority: 'normal', consent: true, context: { details: 'mijn verhaal' } });
    await new ConversationRepository(db).touch('c-erase', 'bot:webchat', 'nl');

    expect(await eraseConversation(db, 'c-erase')).toEqual({ handoffs: 1, reportsUnlinked: 1, conversations: 1 });
    expect(await handoffs.openFor('c-erase')).toBeUndefined();
    expect(await handoffs.get(other.id)).toBeDefined();
    const kept = await reports.getByReference(mine.reference);
    expect(kept).toMatchObject({ description: 'man met hond', route: 'outreach', contact: null, conversationId: null });
    expect(await new ConversationRepository(db).language('c-erase')).toBeUndefined();
  });
});
