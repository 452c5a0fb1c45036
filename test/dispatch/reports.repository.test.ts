import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { ReportsRepository } from '../../dispatch/reports.repository.js';
import type { NewStreetReport } from '../../dispatch/street-report.js';
import { useTestDatabase } from '../helpers/kb.js';

const DAY = 86_400_000;

function report(over: Partial<NewStreetReport> = {}): NewStreetReport {
  return {
    lang: 'nl', channel: 'webchat', conversationId: 'conv-1',
    where: { text: 'bij het Noordstation', placeName: 'Noordstation', commune: 'schaerbeek', lat: 50.8604, lon: 4.3617, source: 'place' },
    when: { kind: 'now', text: null, at: new Date('2026-01-10T22:00:00Z') },
    description: 'groene jas, slaapzak, hond', conditions: ['sleeping'], conditionText: null, askedForHelp: 'unknown',
    consent: true, contact: 'reporter@example.org', route: 'outreach', priority: 'normal', emergencyTold: false,
    ...over,
  };
}

describe('ReportsRepository', () => {
  const t = useTestDatabase();
  let db: Database;
  beforeEach(() => {
    db = t.db;
  });

  it('creates a report with a reference, status new and a retention date, and reads it back', async () => {
    const now = new Date('2026-01-10T22:05:00Z');
    const repo = new ReportsRepository(db, { retentionDays: 30, clock: () => now });
    const created = await repo.create(report());
    expect(created.reference).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(created.status).toBe('new');
    expect(created.createdAt.toISOString()).toBe(now.toISOString());
    expect(created.deleteAfter.getTime() - now.getTime()).toBe(30 * DAY);
    const back = await repo.getByReference(created.reference.toLowerCase());
    expect(back).toEqual(created);
    expect(back).toMatchObject({
      lang: 'nl', channel: 'webchat', conversationId: 'conv-1', description: 'groene jas, slaapzak, hond',
      where: { commune: 'schaerbeek', lat: 50.8604, lon: 4.3617, source: 'place' }, conditions: ['sleeping'],
      contact: 'reporter@example.org', consent: true, route: 'outreach', priority: 'normal',
      when: { kind: 'now', at: new Date('2026-01-10T22:00:00Z') },
    });
    expect(await repo.getByReference('R-ZZZZZZ')).toBeUndefined();
    expect(await repo.getByReference('nonsense!')).toBeUndefined();
  });

  it('never stores a contact without consent: the schema refuses it and so does the table', async () => {
    const repo = new ReportsRepository(db);
    await expect(repo.create(report({ consent: false }))).rejects.toThrow(/consent/);
    await expect(db.query(
      `INSERT INTO street_reports (reference, lang, channel, seen_when, asked_for_help, consent, contact, route, priority, delete_after)
       VALUES ('R-TEST01', 'en', 'test', 'now', 'no', false, '0470', 'outreach', 'normal', now())`,
    )).rejects.toThrow();
    const saved = await repo.create(report({ consent: false, contact: null }));
    expect((await repo.getByReference(saved.reference))?.contact).toBeNull();
  });

  it('draws another reference when one is taken', async () => {
    const first = await new ReportsRepository(db, { reference: () => 'R-AAAAAA' }).create(report());
    expect(first.reference).toBe('R-AAAAAA');
    const refs = ['R-AAAAAA', 'R-AAAAAA', 'R-BBBBBB'];
    const drawn: string[] = [];
    const repo = new ReportsRepository(db, { reference: () => { const r = refs.shift()!; drawn.push(r); return r; } });
    const second = await repo.create(report({ description: 'second' }));
    expect(second.reference).toBe('R-BBBBBB');
    expect(drawn).toEqual(['R-AAAAAA', 'R-AAAAAA', 'R-BBBBBB']);
    // The first report is untouched by the collision.
    expect((await repo.getByReference('R-AAAAAA'))?.description).toBe('groene jas, slaapzak, hond');
  });

  it('gives up with an error (no reference) when every try collides', async () => {
    const repo = new ReportsRepository(db, { reference: () => 'R-AAAAAA' });
    await expect(repo.create(report())).rejects.toThrow(/reference/);
  });

  it('stores emergencies with their flags and a shared location', async () => {
    const repo = new ReportsRepository(db);
    const r = await repo.create(report({
      where: { text: '', placeName: null, commune: null, lat: 50.85, lon: 4.35, source: 'shared' },
      conditions: ['injured', 'minor_alone'], route: 'emergency', priority: 'urgent', emergencyTold: true, contact: null,
    }));
    expect(await repo.getByReference(r.reference)).toMatchObject({
      route: 'emergency', priority: 'urgent', emergencyTold: true, conditions: ['injured', 'minor_alone'],
      where: { lat: 50.85, lon: 4.35, source: 'shared' },
    });
  });

  it('purges the reports past their retention date, and only those', async () => {
    await db.query('DELETE FROM street_reports');
    const t0 = new Date('2026-02-01T12:00:00Z');
    const old = await new ReportsRepository(db, { retentionDays: 10, clock: () => t0 }).create(report());
    const recent = await new ReportsRepository(db, { retentionDays: 90, clock: () => t0 }).create(report());
    const repo = new ReportsRepository(db);
    expect(await repo.purgeExpired(new Date(t0.getTime() + 9 * DAY))).toBe(0);
    expect(await repo.purgeExpired(new Date(t0.getTime() + 10 * DAY))).toBe(1);
    expect(await repo.getByReference(old.reference)).toBeUndefined();
    expect(await repo.getByReference(recent.reference)).toBeDefined();
    expect(await repo.purgeExpired(new Date(t0.getTime() + 91 * DAY))).toBe(1);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM street_reports')).rows[0]?.n).toBe(0);
  });

  it('refuses a retention that is not positive', () => {
    expect(() => new ReportsRepository(db, { retentionDays: 0 })).toThrow();
  });
});
