/** HandoffRepository on a migrated copy of the template database (real PGlite). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { HandoffRepository, type HandoffInput } from '../../dispatch/handoff.repository.js';
import type { Intake } from '../../dispatch/intake.js';
import { useTestDatabase } from '../helpers/kb.js';

const t = useTestDatabase();
let db: Database;

beforeEach(async () => {
  db = t.db;
  await db.query('DELETE FROM handoff_requests');
});

const intake: Intake = { situation: 'no_place', household: 'with_children', children: 2, medical: true, said: { medical: 'asthma, my son' } };

function input(over: Partial<HandoffInput> = {}): HandoffInput {
  return {
    conversationId: 'test-conv-1', channel: 'bot:test', lang: 'fr', reason: 'place_tonight', priority: 'high', consent: true,
    context: { topic: 'sleep-tonight', needs: ['emergency-shelter'], groups: ['families'], commune: 'anderlecht', intake,
      details: 'Je dors à la gare avec mes deux enfants', transcript: ['bonjour', 'je cherche un lit'] },
    ...over,
  };
}

type StoredRow = { context: Record<string, unknown>; consent: boolean; delete_after: Date; created_at: Date };
async function stored(id: string): Promise<StoredRow> {
  const { rows } = await db.query<StoredRow>('SELECT context, consent, delete_after, created_at FROM handoff_requests WHERE id = $1', [id]);
  return rows[0]!;
}

describe('HandoffRepository', () => {
  describe('create', () => {
    it('should store an open request with an H- reference and return it as get() reads it', async () => {
      const repo = new HandoffRepository(db);
      const r = await repo.create(input());
      expect(r.reference).toMatch(/^H-[0-9A-HJKMNP-TV-Z]{6}$/);
      expect(r).toMatchObject({ status: 'open', reason: 'place_tonight', priority: 'high', lang: 'fr', consent: true, conversationId: 'test-conv-1' });
      expect(r.createdAt).toBeInstanceOf(Date);
      expect(await repo.get(r.id)).toEqual(r);
      expect(r.context.intake).toEqual(intake);
      expect(r.context.details).toBe('Je dors à la gare avec mes deux enfants');
      expect(r.context.transcript).toEqual(['bonjour', 'je cherche un lit']);
    });

    it('should keep only ids in context without consent: no details, transcript or intake stored', async () => {
      const repo = new HandoffRepository(db);
      const r = await repo.create(input({ consent: false, context: { ...input().context, topic: 'Je dors à la gare', needs: ['emergency-shelter', 'my name is Ali'] } }));
      const row = await stored(r.id);
      expect(row.consent).toBe(false);
      // The free-text topic and the free-text need are dropped, not stored: only id-shaped values stay.
      expect(row.context).toEqual({ needs: ['emergency-shelter'], groups: ['families'], commune: 'anderlecht' });
      expect(r.context).toEqual(row.context);
      expect(JSON.stringify(row.context)).not.toMatch(/gare|bonjour|asthma|Ali/);
    });

    it('should refuse, in the database too, free text stored without consent', async () => {
      await expect(db.query(
        `INSERT INTO handoff_requests (id, reference, conversation_id, channel, lang, reason, priority, consent, context, delete_after)
         VALUES ('x', 'H-000000', 'c', 'bot:test', 'fr', 'person', 'normal', false, '{"details":"text"}', now())`,
      )).rejects.toThrow(/handoff_requests_consent_context/);
    });

    it('should draw another reference when one is taken (unique constraint)', async () => {
      const refs = ['H-AAAAAA', 'H-AAAAAA', 'H-BBBBBB'];
      const repo = new HandoffRepository(db, { references: () => refs.shift()! });
      const first = await repo.create(input());
      const second = await repo.create(input({ conversationId: 'test-conv-2' }));
      expect([first.reference, second.reference]).toEqual(['H-AAAAAA', 'H-BBBBBB']);
    });

    it('should give up after repeated collisions instead of looping', async () => {
      const repo = new HandoffRepository(db, { references: () => 'H-CCCCCC' });
      await repo.create(input());
      await expect(repo.create(input())).rejects.toThrow(/no free hand-off reference/);
    });

    it('should make references that differ from one request to the next', async () => {
      const repo = new HandoffRepository(db);
      const refs = new Set<string>();
      for (let i = 0; i < 20; i++) refs.add((await repo.create(input({ conversationId: `c-${i}` }))).reference);
      expect(refs.size).toBe(20);
    });

    it('should refuse an unknown language, reason or priority and a malformed context', async () => {
      const repo = new HandoffRepository(db);
      await expect(repo.create(input({ lang: 'de' as never }))).rejects.toThrow(/language/);
      await expect(repo.create(input({ reason: 'chat' as never }))).rejects.toThrow(/reason/);
      await expect(repo.create(input({ priority: 'low' as never }))).rejects.toThrow(/priority/);
      await expect(repo.create(input({ context: { intake: { household: 'crowd' } as never } }))).rejects.toThrow(/intake/);
      await expect(repo.create(input({ conversationId: '' }))).rejects.toThrow(/conversationId/);
      expect((await db.query('SELECT 1 FROM handoff_requests')).rows).toHaveLength(0);
    });
  });

  describe('listOpen', () => {
    it('should list open requests urgent first, then high, then normal, oldest first within each', async () => {
      const repo = new HandoffRepository(db);
      const make = async (name: string, priority: HandoffInput['priority'], minutesAgo: number) => {
        const r = await repo.create(input({ conversationId: name, priority }));
        await db.query(`UPDATE handoff_requests SET created_at = now() - make_interval(mins => $2::int) WHERE id = $1`, [r.id, minutesAgo]);
        return r;
      };
      await make('normal-old', 'normal', 50);
      await make('urgent-new', 'urgent', 1);
      await make('high-new', 'high', 5);
      await make('urgent-old', 'urgent', 30);
      await make('normal-new', 'normal', 2);
      const closed = await make('closed-urgent', 'urgent', 60);
      const taken = await make('taken-high', 'high', 60);
      expect(await repo.setStatus(closed.id, 'closed')).toBe(true);
      expect(await repo.setStatus(taken.id, 'taken')).toBe(true);
      expect((await repo.listOpen()).map((r) => r.conversationId)).toEqual(['urgent-old', 'urgent-new', 'high-new', 'normal-old', 'normal-new']);
    });
  });

  describe('openFor', () => {
    it('should find the open request of a conversation and nothing once it is closed', async () => {
      const repo = new HandoffRepository(db);
      expect(await repo.openFor('conv-a')).toBeUndefined();
      const r = await repo.create(input({ conversationId: 'conv-a', reason: 'person', priority: 'normal' }));
      await repo.create(input({ conversationId: 'conv-b' }));
      expect((await repo.openFor('conv-a'))?.reference).toBe(r.reference);
      await repo.setStatus(r.id, 'closed');
      expect(await repo.openFor('conv-a')).toBeUndefined();
      expect(await repo.get(r.id)).toMatchObject({ status: 'closed' });
    });
  });

  describe('purgeExpired', () => {
    it('should delete requests past the retention period and keep the others', async () => {
      const repo = new HandoffRepository(db, { retentionDays: 10 });
      const r = await repo.create(input());
      const row = await stored(r.id);
      expect(row.delete_after.getTime() - row.created_at.getTime()).toBe(10 * 24 * 3600 * 1000);
      const day = 24 * 3600 * 1000;
      expect(await repo.purgeExpired(new Date(Date.now() + 9 * day))).toBe(0);
      expect(await repo.get(r.id)).toBeDefined();
      expect(await repo.purgeExpired(new Date(Date.now() + 11 * day))).toBe(1);
      expect(await repo.get(r.id)).toBeUndefined();
    });

    it('should use 30 days by default and refuse a retention that is not a whole number of days', async () => {
      const r = await new HandoffRepository(db).create(input());
      const row = await stored(r.id);
      expect(row.delete_after.getTime() - row.created_at.getTime()).toBe(30 * 24 * 3600 * 1000);
      expect(() => new HandoffRepository(db, { retentionDays: 0 })).toThrow(/retentionDays/);
      expect(() => new HandoffRepository(db, { retentionDays: 1.5 })).toThrow(/retentionDays/);
    });
  });
  it('escalates an open request to urgent with the safety kind, and passes details only when asked to (consent)', async () => {
    const repo = new HandoffRepository(db);
    const r = await repo.create(input({ reason: 'person', priority: 'normal', consent: false, context: { topic: 'question', details: 'dropped' } }));
    expect(r.context).toEqual({ topic: 'question' });
    expect(await repo.escalate(r.reference, 'suicide')).toBe(true);
    expect(await repo.get(r.id)).toMatchObject({ priority: 'urgent', consent: false, context: { topic: 'question', safetyKind: 'suicide' } });
    expect((await repo.listOpen())[0]!.id).toBe(r.id);
    expect(await repo.shareDetails(r.reference, 'où prendre une douche')).toBe(true);
    expect(await repo.get(r.id)).toMatchObject({ consent: true, context: { topic: 'question', safetyKind: 'suicide', details: 'où prendre une douche' } });
    // A closed request is not changed any more.
    await repo.setStatus(r.id, 'closed');
    expect(await repo.escalate(r.reference, 'medical')).toBe(false);
    expect(await repo.shareDetails(r.reference, 'x')).toBe(false);
    expect(await repo.escalate('H-000000', 'cold')).toBe(false);
  });
});
