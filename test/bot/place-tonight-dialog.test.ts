/**
 * The "place tonight" intake on botbuilder's TestAdapter, with the real cards, gazetteer and hand-off repository on
 * a copied template database: transcripts in fr, nl, en, ar, tr, ru, and what each leaves in handoff_requests.
 */
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markSafetyShown, setTurnLang } from '../../bot/dialogs/kit.js';
import { PlaceTonightDialog, type PlaceTonightDeps, type PlaceTonightResult } from '../../bot/dialogs/place-tonight-dialog.js';
import { SMS_MAX } from '../../bot/render.js';
import { tFor } from '../../conversation/i18n.js';
import type { Lang } from '../../conversation/languages.js';
import { openPglite, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { loadGazetteer } from '../../directory/gazetteer.js';
import { Places } from '../../directory/places.js';
import { HandoffRepository, type HandoffRequest } from '../../dispatch/handoff.repository.js';
import { loadCards } from '../../knowledge/cards/load-cards.js';
import { copyTemplate } from '../helpers/kb.js';

let db: Database;
let cleanup: () => void;
let handoffs: HandoffRepository;
const cards = loadCards();
const places = new Places(loadGazetteer());

beforeAll(async () => {
  const copy = copyTemplate();
  cleanup = copy.cleanup;
  db = await openPglite(copy.dir);
  await migrate(db);
  handoffs = new HandoffRepository(db);
});

afterAll(async () => {
  await db.close();
  cleanup();
});

beforeEach(async () => {
  await db.query('DELETE FROM handoff_requests');
});

interface Talk {
  /** Sends one message; returns the texts of the replies of that turn. */
  say(text: string): Promise<string[]>;
  /** What the dialog ended with, once it has. */
  result(): PlaceTonightResult | undefined;
}

/** One conversation with the dialog alone, in one language, on a channel; `cold` marks turns as the main dialog would. */
function talk(lang: Lang, opts: { deps?: Partial<PlaceTonightDeps>; channelId?: string; coldOn?: string } = {}): Talk {
  const dialog = new PlaceTonightDialog({ handoffs, places, cards, ...opts.deps });
  const convo = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(convo.createProperty('dialogs'));
  dialogs.add(dialog);
  let ended: PlaceTonightResult | undefined;
  const adapter = new TestAdapter(async (ctx) => {
    setTurnLang(ctx, lang);
    if (opts.coldOn && ctx.activity.text === opts.coldOn) markSafetyShown(ctx, 'cold');
    const dc = await dialogs.createContext(ctx);
    const r = await dc.continueDialog();
    if (r.status === DialogTurnStatus.complete) ended = r.result as PlaceTonightResult;
    else if (r.status === DialogTurnStatus.empty) await dc.beginDialog(PlaceTonightDialog.id);
    await convo.saveChanges(ctx);
  });
  if (opts.channelId) adapter.template.channelId = opts.channelId;
  return {
    async say(text) {
      await adapter.send(text);
      return adapter.activeQueue.splice(0).map((a: Partial<Activity>) => a.text ?? '');
    },
    result: () => ended,
  };
}

/** Says each message in turn; returns every reply text, in order. */
async function run(t: Talk, messages: string[]): Promise<string[][]> {
  const out: string[][] = [];
  for (const m of messages) out.push(await t.say(m));
  return out;
}

async function onlyRequest(): Promise<HandoffRequest> {
  const open = await handoffs.listOpen();
  expect(open).toHaveLength(1);
  return open[0]!;
}

describe('PlaceTonightDialog', () => {
  it('should take a family with children in French, with high priority and the intake passed with consent (fr)', async () => {
    const t = talk('fr');
    const fr = tFor('fr');
    const r = await run(t, [
      "j'ai besoin d'un endroit pour dormir", '3', 'Une famille avec enfants', 'deux enfants, 3 et 7 ans', 'femme', '34', 'non',
      'passer', 'arabe et anglais', 'près de la gare du Midi', 'oui',
    ]);
    expect(r[0]!.join('\n')).toContain(fr('intake.intro'));
    expect(r[0]!.join('\n')).toContain(fr('intake.situation'));
    expect(r[0]!.join('\n')).toMatch(/1\. Je risque de perdre mon logement/);
    // Already without a place: the housing solutions come before the next question (17.1).
    expect(r[1]![0]).toContain(fr('intake.housing_intro'));
    expect(r[1]!.at(-1)).toContain(fr('intake.household'));
    const end = r.at(-1)!.join('\n');
    const done = t.result();
    expect(done).toMatchObject({ consent: true });
    const reference = (done as { reference: string }).reference;
    expect(reference).toMatch(/^H-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(end).toContain(reference);
    expect(end).toContain(fr('intake.refuse_right'));
    const req = await onlyRequest();
    expect(req).toMatchObject({ reference, reason: 'place_tonight', priority: 'high', lang: 'fr', consent: true, channel: 'bot:test' });
    expect(req.context.groups).toEqual(['families', 'women']);
    expect(req.context.needs).toEqual(['emergency-shelter']);
    expect(req.context.intake).toMatchObject({
      situation: 'no_place', household: 'family', children: 2, gender: 'woman', ageGroup: '26_64', medical: false,
      otherLanguages: 'arabe et anglais', area: { text: 'près de la gare du Midi', place: expect.any(String) },
    });
    expect(req.context.intake?.pets).toBeUndefined();
    expect(req.context.commune).toBe(req.context.intake?.area?.commune);
    expect(req.context.commune).toBeTruthy();
  });

  it('should take an adult alone with normal priority, accepting words, ages and skips (en)', async () => {
    const t = talk('en');
    await run(t, ['I need a place tonight', 'I already have no place', 'just me', 'man', "I'm 40", 'no', 'no', '-', 'skip', 'yes']);
    const req = await onlyRequest();
    expect(req.priority).toBe('normal');
    expect(req.context.intake).toEqual({ situation: 'no_place', household: 'alone', gender: 'man', ageGroup: '26_64', medical: false, pets: false, said: {} });
    expect(req.context.groups).toEqual([]);
    expect(t.result()).toEqual({ reference: req.reference, consent: true });
  });

  it('should pass no intake when consent is refused, and still queue the request when the person wants it (nl)', async () => {
    const t = talk('nl');
    const nl = tFor('nl');
    const r = await run(t, ['ik zoek een slaapplaats', '3', '4', '1', 'vrouw', '3', 'ja', 'astma, ik heb een inhalator nodig', 'nee', '-', 'Schaarbeek', 'nee', 'ja']);
    expect(r.at(-2)!.join('\n')).toContain(nl('intake.still'));
    const end = r.at(-1)!.join('\n');
    expect(end).toContain(nl('intake.done_no_answers'));
    const req = await onlyRequest();
    // Children and a medical need keep the priority high; nothing the person said is stored.
    expect(req).toMatchObject({ consent: false, priority: 'high', reason: 'place_tonight' });
    expect(req.context).toEqual({ topic: 'sleep-tonight', needs: ['emergency-shelter'] });
    const { rows } = await db.query<{ context: unknown }>('SELECT context FROM handoff_requests');
    expect(JSON.stringify(rows)).not.toMatch(/astma|inhalator|Schaarbeek|schaerbeek|families|women/i);
    expect(t.result()).toEqual({ reference: req.reference, consent: false });
  });

  it('should store nothing when the person wants no dispatcher at all (ar)', async () => {
    const t = talk('ar');
    const ar = tFor('ar');
    const r = await run(t, ['أحتاج مكانا للنوم الليلة', '3', '1', '2', '30', 'لا', 'لا', '-', '-', 'لا', 'لا']);
    expect(r.at(-1)!.join('\n')).toContain(ar('intake.refused'));
    expect(t.result()).toEqual({ refused: true });
    expect((await db.query('SELECT 1 FROM handoff_requests')).rows).toHaveLength(0);
  });

  it('should ask consent again when the answer is unclear, and never take a skip as a yes (en)', async () => {
    const t = talk('en');
    const en = tFor('en');
    const r = await run(t, ['bed', '-', '-', '-', '-', '-', '-', '-', '-', 'skip']);
    expect(r.at(-1)!.join('\n')).toContain(en('intake.consent_again'));
    expect((await db.query('SELECT 1 FROM handoff_requests')).rows).toHaveLength(0);
    await t.say('yes');
    expect((await onlyRequest()).consent).toBe(true);
  });

  it('should give the prevention options first to someone about to lose their home (ru)', async () => {
    const t = talk('ru');
    const ru = tFor('ru');
    const r = await run(t, ['мне негде будет жить', '1']);
    const turn = r[1]!;
    const card = cards.get('losing-home')!;
    // The card in Russian with its plan citations, before the next question.
    expect(turn[0]).toContain(ru('intake.prevention_intro'));
    expect(turn[0]).toContain(card.text.ru.body);
    expect(turn[0]).toContain('Masterplan Bruss’help 2024-2029');
    expect(turn[0]).toContain(`${card.citations[0]!.lines[0]}-${card.citations[0]!.lines[1]}`);
    expect(turn.at(-1)).toContain(ru('intake.tonight'));
    // Not tonight: no questions about tonight, straight to consent.
    const next = await t.say('нет');
    expect(next.join('\n')).toContain(ru('intake.consent'));
    await t.say('да');
    const req = await onlyRequest();
    expect(req.context.intake).toEqual({ situation: 'losing_home', tonight: false, said: {} });
    expect(req.context.needs).toEqual(['eviction-prevention']);
    expect(req.priority).toBe('normal');
  });

  it('should show the illegal-eviction card to someone thrown out (fr)', async () => {
    const t = talk('fr');
    const r = await run(t, ['dormir', "on m'a mis dehors illégalement"]);
    expect(r[1]![0]).toContain(cards.get('illegal-eviction')!.text.fr.body);
  });

  it('should say plainly that nothing was passed when the database is down, with the shelter number and 112 (ar)', async () => {
    const copy = copyTemplate();
    const down = await openPglite(copy.dir);
    await migrate(down);
    const broken = new HandoffRepository(down);
    await down.close();
    const t = talk('ar', { deps: { handoffs: broken } });
    const r = await run(t, ['مكان للنوم', '-', '-', '-', '-', '-', '-', '-', '-', 'نعم']);
    copy.cleanup();
    const end = r.at(-1)!.join('\n');
    expect(end).toBe(tFor('ar')('intake.failed'));
    expect(end).toContain('0800 99 340');
    expect(end).toContain('112');
    expect(end).not.toMatch(/H-[0-9A-Z]{6}/);
    expect(t.result()).toEqual({ failed: true });
  });

  it('should keep every SMS under the limit and show the choices as numbers (tr)', async () => {
    const t = talk('tr', { channelId: 'sms' });
    const r = await run(t, ['bu gece kalacak yer', '3', '4', '3', '1', '2', 'evet', 'şeker hastalığı', 'evet', 'Arapça', 'Gare du Nord', 'evet']);
    const all = r.flat();
    for (const text of all) expect([...text].length, text).toBeLessThanOrEqual(SMS_MAX);
    expect(r[0]!.join('\n')).toMatch(/1 Evimi kaybetmek üzereyim/);
    // Plain text: the housing solutions by name, with the plan's line on them.
    expect(r[1]!.join('\n')).toContain(`- ${cards.get('housing-first')!.text.tr.title}`);
    expect(r[1]!.join('\n')).toContain('3309-3316');
    const req = await onlyRequest();
    expect(req.channel).toBe('bot:sms');
    expect(req.priority).toBe('high');
    expect(req.context.intake).toMatchObject({ household: 'with_children', children: 3, gender: 'woman', ageGroup: '18_25', medical: true, pets: true });
    expect(req.context.intake?.said.medical).toBe('şeker hastalığı');
    expect(r.at(-1)!.join('\n')).toContain(req.reference);
  });

  it('should raise the priority of an adult alone when a cold alert was shown during the intake (tr)', async () => {
    const t = talk('tr', { coldOn: 'çok soğuk, dışarıdayım' });
    await run(t, ['yer', '3', '1', '2', '3', 'hayır', 'hayır', 'çok soğuk, dışarıdayım', '-', 'evet']);
    const req = await onlyRequest();
    expect(req.priority).toBe('high');
    expect(req.context.safetyKind).toBe('cold');
  });

  it('should not pass a minor alone to the adults dispatching, and show the minors card (en)', async () => {
    const t = talk('en');
    const r = await run(t, ['place to sleep', '3', '1', '-', '1']);
    const end = r.at(-1)!.join('\n');
    expect(end).toContain(tFor('en')('intake.minor'));
    expect(end).toContain(cards.get('minor-alone')!.text.en.body);
    expect(t.result()).toEqual({ minor: true });
    expect((await db.query('SELECT 1 FROM handoff_requests')).rows).toHaveLength(0);
  });
});
