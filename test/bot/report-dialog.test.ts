import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportDialog, type ReportDialogDeps, type ReportDialogResult } from '../../bot/dialogs/report-dialog.js';
import { markSafetyShown, setTurnLang } from '../../bot/dialogs/kit.js';
import { SMS_MAX } from '../../bot/render.js';
import { tFor } from '../../conversation/i18n.js';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { detectSafety } from '../../conversation/safety.js';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { loadGazetteer } from '../../directory/gazetteer.js';
import { Places } from '../../directory/places.js';
import { ReportsRepository } from '../../dispatch/reports.repository.js';
import { copyTemplate } from '../helpers/kb.js';

const REF = /\bR-[0-9A-HJKMNP-TV-Z]{6}\b/;
const places = new Places(loadGazetteer());
const NOW = new Date('2026-01-15T21:30:00Z');

let db: Database;
let reports: ReportsRepository;
let cleanup: () => void;

beforeAll(async () => {
  const copy = copyTemplate();
  cleanup = copy.cleanup;
  db = await openPglite(copy.dir);
  await migrate(db);
  reports = new ReportsRepository(db);
});
afterAll(async () => {
  await db.close();
  cleanup();
});

interface HarnessOptions {
  channelId?: string;
  /** Simulates the main dialog: its safety check sends its own message and marks the turn. */
  mainSafety?: boolean;
  /** Begins with the first message as the opening text (as the main dialog can). */
  openingText?: boolean;
  deps?: Partial<ReportDialogDeps>;
}

function harness(lang: Lang, opts: HarnessOptions = {}) {
  const memory: Record<string, string> = {};
  const convo = new ConversationState(new MemoryStorage(memory));
  const dialogs = new DialogSet(convo.createProperty('dialogs'));
  dialogs.add(new ReportDialog({ reports, places, clock: () => NOW, ...opts.deps }));
  const results: ReportDialogResult[] = [];
  const adapter = new TestAdapter(async (ctx) => {
    setTurnLang(ctx, lang);
    const text = ctx.activity.text ?? '';
    const alert = opts.mainSafety ? detectSafety(text) : undefined;
    if (alert) {
      await ctx.sendActivity(`MAIN SAFETY ${alert.kind}`);
      markSafetyShown(ctx, alert.kind);
    }
    const dc = await dialogs.createContext(ctx);
    const r = await dc.continueDialog();
    if (r.status === DialogTurnStatus.empty) await dc.beginDialog(ReportDialog.id, opts.openingText ? { text } : undefined);
    else if (r.status === DialogTurnStatus.complete) results.push(r.result as ReportDialogResult);
    await convo.saveChanges(ctx);
  });
  if (opts.channelId) (adapter.template as Partial<Activity>).channelId = opts.channelId;
  const say = async (input: string | Partial<Activity>): Promise<Partial<Activity>[]> => {
    await adapter.processActivity(input);
    return adapter.activeQueue.splice(0);
  };
  const texts = async (input: string | Partial<Activity>) => (await say(input)).map((a) => a.text ?? '');
  return { adapter, say, texts, results, memory, t: tFor(lang) };
}

function refIn(lines: string[]): string | undefined {
  for (const l of lines) {
    const m = REF.exec(l);
    if (m) return m[0];
  }
  return undefined;
}

const FULL: Array<[Lang, string, string]> = [
  ['fr', 'près de la gare du Midi', 'homme, manteau vert, sac de couchage'],
  ['nl', 'bij het Noordstation', 'man, groene jas, slaapzak'],
  ['en', 'near Brussels-Central station', 'a man, green coat, red backpack'],
  ['ar', 'قرب Gare du Nord', 'رجل، معطف أخضر'],
  ['ro', 'lângă Flagey', 'bărbat, geacă verde'],
  ['uk', 'біля Porte de Namur', 'чоловік, зелена куртка'],
];

describe('ReportDialog', () => {
  describe.each(FULL)('a full report in %s', (lang, where, description) => {
    it('asks every question, stores the report, then gives the reference and the route', async () => {
      const h = harness(lang);
      const t = h.t;
      expect(await h.texts('start')).toEqual([t('report.intro_where')]);
      const whenQ = await h.texts(where);
      expect(whenQ).toHaveLength(1);
      expect(whenQ[0]).toContain(t('report.when'));
      expect(whenQ[0]).toContain(`1. ${t('report.choice.now')}`);
      expect(await h.texts(t('report.choice.now'))).toEqual([t('report.describe')]);
      const condQ = await h.texts(description);
      expect(condQ[0]).toContain(t('report.condition'));
      expect(condQ[0]).toContain(`4. ${t('report.choice.minor_alone')}`);
      expect((await h.texts('1'))[0]).toContain(t('report.asked_help'));
      expect((await h.texts(t('report.choice.help_yes')))[0]).toContain(t('report.contact'));
      const summary = await h.texts('0470 12 34 56');
      expect(summary).toHaveLength(1);
      expect(summary[0]).toContain(t('report.choice.now'));
      expect(summary[0]).toContain(t('report.choice.sleeping'));
      expect(summary[0]).toContain(t('report.consent_contact'));
      const done = await h.texts(t('report.choice.consent_yes'));
      expect(done).toHaveLength(1);
      const reference = refIn(done)!;
      expect(done[0]).toBe(`${t('report.saved', { reference })} ${t('report.route.outreach')} ${t('report.contact_kept')}`);
      expect(h.results).toEqual([{ reference, route: 'outreach' }]);

      const row = await reports.getByReference(reference);
      const place = places.placeIn(where)!;
      expect(place).toBeDefined();
      expect(row).toMatchObject({
        lang, channel: 'test', where: { text: where, commune: place.commune, lat: place.lat, lon: place.lon, source: 'place' },
        when: { kind: 'now', text: null, at: NOW }, description, conditions: ['sleeping'], askedForHelp: 'yes',
        consent: true, contact: '0470 12 34 56', route: 'outreach', priority: 'normal', status: 'new', emergencyTold: false,
      });
      expect(row?.conversationId).toBeTruthy();
      if (lang === 'fr') expect(row?.where.commune).toBe('saint-gilles');
    });
  });

  describe.each(['en', 'fr', 'uk'] as const)('a life at risk in %s', (lang) => {
    it('says 112 before anything else, keeps recording, and stores the report as an urgent emergency', async () => {
      const h = harness(lang);
      const t = h.t;
      await h.texts('start');
      await h.texts('Gare du Nord');
      await h.texts('1');
      await h.texts('-');
      const afterCondition = await h.texts(t('report.choice.injured'));
      expect(afterCondition).toHaveLength(2);
      expect(afterCondition[0]).toBe(t('report.call_112'));
      expect(afterCondition[1]).toContain(t('report.asked_help'));
      // 112 is said once, not at every later turn.
      expect(await h.texts(t('report.choice.dont_know'))).not.toContain(t('report.call_112'));
      await h.texts(t('report.choice.no_thanks'));
      const done = await h.texts(t('report.choice.consent_yes'));
      const reference = refIn(done)!;
      expect(done[0]).toContain(t('report.route.emergency'));
      expect(await reports.getByReference(reference)).toMatchObject({
        route: 'emergency', priority: 'urgent', emergencyTold: true, conditions: ['injured'], askedForHelp: 'unknown', contact: null,
      });
      expect(h.results).toEqual([{ reference, route: 'emergency' }]);
    });
  });

  it('a life at risk in the first answer: 112 comes before the next question', async () => {
    const h = harness('fr');
    await h.texts('start');
    const replies = await h.texts('un homme à Flagey, il ne respire plus');
    expect(replies[0]).toBe(h.t('report.call_112'));
    expect(replies[1]).toContain(h.t('report.when'));
  });

  it('a life at risk in the opening message: 112 before the first question', async () => {
    const h = harness('en', { openingText: true });
    const replies = await h.texts('I want to report a man who is unconscious near Flagey');
    expect(replies).toEqual([h.t('report.call_112'), h.t('report.intro_where')]);
  });

  it('does not repeat 112 when the main dialog already gave it on this turn', async () => {
    const h = harness('en', { mainSafety: true });
    await h.texts('start');
    const replies = await h.texts('Flagey, a man is not breathing');
    expect(replies[0]).toBe('MAIN SAFETY medical');
    expect(replies).not.toContain(h.t('report.call_112'));
    expect(replies[1]).toContain(h.t('report.when'));
    for (const a of ['1', 'grey hoodie', '5', '3', 'no thanks']) await h.texts(a);
    const reference = refIn(await h.texts('yes'))!;
    // It was told (by the main dialog), so the row says so; the route is still the emergency one.
    expect(await reports.getByReference(reference)).toMatchObject({ route: 'emergency', emergencyTold: true, conditions: ['medical_emergency'] });
  });

  describe.each(['nl', 'ar', 'en'] as const)('a minor alone in %s', (lang) => {
    it('sends the child-protection message and routes the report to child protection', async () => {
      const h = harness(lang);
      const t = h.t;
      for (const a of ['start', 'Gare du Midi', '2', '12 ans, sweat bleu']) await h.texts(a);
      const replies = await h.texts('4');
      expect(replies[0]).toBe(t('report.minor'));
      expect(replies[0]).toContain('116 000');
      expect(replies[1]).toContain(t('report.asked_help'));
      await h.texts(t('report.choice.help_no'));
      await h.texts(t('report.choice.no_thanks'));
      const done = await h.texts(t('report.choice.consent_yes'));
      const reference = refIn(done)!;
      expect(done[0]).toContain(t('report.route.child_protection'));
      expect(done[0]).not.toContain(t('report.route.outreach'));
      expect(await reports.getByReference(reference)).toMatchObject({
        route: 'child-protection', priority: 'high', conditions: ['minor_alone'], askedForHelp: 'no', when: { kind: 'earlier_today' },
      });
      expect(h.results).toEqual([{ reference, route: 'child-protection' }]);
    });
  });

  it('a child alone written in words (French) takes the child-protection route too', async () => {
    const h = harness('fr');
    for (const a of ['start', 'Schaerbeek', 'hier soir vers 23h', 'petite fille, manteau rose']) await h.texts(a);
    const replies = await h.texts('un enfant seul, il pleure');
    expect(replies[0]).toBe(h.t('report.minor'));
    for (const a of ['non', 'non merci']) await h.texts(a);
    const reference = refIn(await h.texts('oui'))!;
    expect(await reports.getByReference(reference)).toMatchObject({
      route: 'child-protection', when: { kind: 'last_night', text: 'hier soir vers 23h' }, where: { commune: 'schaerbeek', lat: null, source: null },
    });
  });

  describe.each(['ro', 'pl', 'es'] as const)('refusing consent in %s', (lang) => {
    it('stores the report without the contact and says so; the contact leaves the dialog state', async () => {
      const h = harness(lang);
      const t = h.t;
      for (const a of ['start', 'Flagey', '3', '-', '1', t('report.choice.help_yes')]) await h.texts(a);
      const summary = await h.texts('ion.popescu@example.ro');
      expect(summary[0]).toContain(t('report.consent_contact'));
      const done = await h.texts(t('report.choice.consent_no'));
      const reference = refIn(done)!;
      expect(done[0]).toContain(t('report.consent_refused'));
      expect(done[0]).not.toContain(t('report.contact_kept'));
      const row = await reports.getByReference(reference);
      expect(row).toMatchObject({ consent: false, contact: null, route: 'outreach', when: { kind: 'last_night' } });
      expect(JSON.stringify(h.memory)).not.toContain('popescu');
    });
  });

  it('a consent answer it does not understand is asked once more, then counts as no', async () => {
    const h = harness('en');
    for (const a of ['start', 'Flagey', '1', 'tall man', '5', '2']) await h.texts(a);
    const summary = await h.texts('+32 470 11 22 33');
    const again = await h.texts('hmm');
    expect(again).toEqual(summary);
    const done = await h.texts('whatever');
    const reference = refIn(done)!;
    expect(await reports.getByReference(reference)).toMatchObject({ consent: false, contact: null, route: 'street-work' });
  });

  it("understands \"I don't agree\" as no, not as agree", async () => {
    const h = harness('en');
    for (const a of ['start', 'Flagey', '1', 'tall man', '5', '2', '+32 470 11 22 33']) await h.texts(a);
    const reference = refIn(await h.texts("I don't agree"))!;
    expect(await reports.getByReference(reference)).toMatchObject({ consent: false, contact: null });
  });

  it('accepts a shared location (entity or attachment) as the answer to where', async () => {
    for (const activity of [
      { entities: [{ type: 'GeoCoordinates', latitude: 50.8466, longitude: 4.3528 }] },
      { attachments: [{ contentType: 'application/vnd.microsoft.location', content: { latitude: 50.8466, longitude: 4.3528 } }] },
    ] as Partial<Activity>[]) {
      const h = harness('nl');
      await h.texts('start');
      const replies = await h.texts(activity);
      expect(replies[0]).toContain(h.t('report.when'));
      for (const a of ['1', 'man', '1', '3', 'nee']) await h.texts(a);
      const done = await h.texts('ja');
      const reference = refIn(done)!;
      expect(await reports.getByReference(reference)).toMatchObject({
        where: { text: '', lat: 50.8466, lon: 4.3528, source: 'shared', commune: null }, contact: null, consent: true,
      });
    }
  });

  describe.each(['en', 'uk', 'fr'] as const)('the database failing at create (%s)', (lang) => {
    it('says clearly the report was NOT saved and never gives a reference', async () => {
      // A real database without the street_reports table: create() throws as it would with the database down.
      const broken = await openPglite(undefined, { withVector: false });
      try {
        const h = harness(lang, { deps: { reports: new ReportsRepository(broken) } });
        const t = h.t;
        const all: string[] = [];
        for (const a of ['start', 'Flagey', '1', '-', t('report.choice.injured'), '3', '0470 00 00 00']) all.push(...(await h.texts(a)));
        const done = await h.texts(t('report.choice.consent_yes'));
        expect(done).toEqual([t('report.not_saved')]);
        expect(done[0]).toContain('112');
        expect(refIn([...all, ...done])).toBeUndefined();
        expect(h.results).toEqual([{ reference: null, route: 'emergency' }]);
        expect(JSON.stringify(h.memory)).not.toContain('0470');
      } finally {
        await broken.close();
      }
    });
  });

  it('the row is in the database at the moment the reference is sent', async () => {
    const h = harness('fr');
    const checked: Array<{ reference: string; found: boolean }> = [];
    h.adapter.use(async (ctx, next) => {
      ctx.onSendActivities(async (_c, activities, send) => {
        for (const a of activities) {
          const reference = REF.exec(a.text ?? '')?.[0];
          if (reference) checked.push({ reference, found: !!(await reports.getByReference(reference)) });
        }
        return send();
      });
      await next();
    });
    for (const a of ['start', 'gare du Midi', '1', 'veste rouge', '1', '1', 'non merci']) await h.texts(a);
    await h.texts('oui');
    expect(checked).toHaveLength(1);
    expect(checked[0]!.found).toBe(true);
  });

  describe.each(SUPPORTED_LANGS)('on SMS in %s', (lang) => {
    it(`every message is at most ${SMS_MAX} characters and each question fits in one message`, async () => {
      const h = harness(lang, { channelId: 'sms' });
      const t = h.t;
      const longWhere = 'Rue de la Loi 16 à côté de l arrêt de bus, devant la grande porte vitrée, près du Parc de Bruxelles et de la gare Centrale';
      const turns: Partial<Activity>[][] = [];
      for (const a of [
        'start', longWhere, 'hier vers 22 heures, juste après la pluie, sous le pont', 'x'.repeat(300),
        '1 2 3 4', t('report.choice.help_yes'), 'marie.dupont@example.org 0470 12 34 56', t('report.choice.consent_yes'),
      ]) turns.push(await h.say(a));
      for (const turn of turns) for (const a of turn) expect([...(a.text ?? '')].length, a.text).toBeLessThanOrEqual(SMS_MAX);
      // Questions with choices are one SMS, with the options as numbers; no button markup on SMS.
      for (const i of [1, 5, 6]) {
        const last = turns[i]!.at(-1)!;
        expect(last.text).toMatch(/\b1 /);
        expect(last.suggestedActions).toBeUndefined();
      }
      expect(turns[6]).toHaveLength(1);
      expect(turns[7]).toHaveLength(1);
      // 112 and the child message came, as separate short messages, before the next question.
      expect(turns[4]!.map((a) => a.text)).toEqual(expect.arrayContaining([t('report.call_112'), t('report.minor')]));
      expect(refIn(turns[7]!.map((a) => a.text ?? ''))).toBeDefined();
    });
  });
});

describe('ReportDialog, the condition in the reporter own words', () => {
  it('keeps the words beside the conditions they name (a choice tapped alone keeps none)', async () => {
    const h = harness('en');
    for (const a of ['start', 'Flagey', '1', 'old man']) await h.texts(a);
    await h.texts('asleep on cardboard, seems fine');
    for (const a of ['2', 'no thanks']) await h.texts(a);
    const reference = refIn(await h.texts('yes'))!;
    expect(await reports.getByReference(reference)).toMatchObject({
      conditions: ['sleeping'], conditionText: 'asleep on cardboard, seems fine', route: 'outreach',
    });
  });
});
