import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplaintDialog, type ComplaintDeps, type ComplaintResult } from '../../bot/dialogs/complaint-dialog.js';
import { setTurnLang } from '../../bot/dialogs/kit.js';
import { SMS_MAX } from '../../bot/render.js';
import { createBodyContact, createFindService, quote } from '../../conversation/complaint-guide.js';
import { tFor } from '../../conversation/i18n.js';
import type { Lang } from '../../conversation/languages.js';
import { openPglite, type Database } from '../../db/database.js';
import { copyTemplate } from '../helpers/kb.js';

/** A conversation with the complaint dialog alone: each `say` returns the texts the bot sent on that turn. */
function converse(lang: Lang, deps: ComplaintDeps, channelId = 'test') {
  const convo = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(convo.createProperty('dialogs'));
  dialogs.add(new ComplaintDialog(deps));
  const results: ComplaintResult[] = [];
  const adapter = new TestAdapter(async (ctx) => {
    setTurnLang(ctx, lang);
    const dc = await dialogs.createContext(ctx);
    const r = await dc.continueDialog();
    if (r.status === DialogTurnStatus.complete) results.push(r.result as ComplaintResult);
    if (r.status === DialogTurnStatus.empty) await dc.beginDialog(ComplaintDialog.id);
    await convo.saveChanges(ctx);
  });
  adapter.template.channelId = channelId;
  const sent: Partial<Activity>[] = [];
  return {
    results,
    sent,
    async say(text: string): Promise<string[]> {
      await adapter.receiveActivity(text);
      const turn = adapter.activeQueue.splice(0).filter((a) => a.type === 'message');
      sent.push(...turn);
      return turn.map((a) => a.text ?? '');
    },
  };
}

const known = (recognisedBy?: string): ComplaintDeps => ({
  findService: async () => ({ id: 'svc-horizon', name: 'Opvangcentrum Horizon', organization: 'Horizon vzw', ...(recognisedBy ? { recognisedBy } : {}) }),
});

describe('ComplaintDialog', () => {
  it('fr, level 1: asks the four questions, then the service itself, checklist and one official draft', async () => {
    const t = tFor('fr');
    const c = converse('fr', {});
    expect(await c.say('je veux me plaindre')).toEqual([t('complaint.ask_service')]);
    expect(await c.say('Centre Horizon')).toEqual([t('complaint.ask_what')]);
    expect(await c.say("On m'a pris mon sac")).toEqual([t('complaint.ask_when')]);
    const prior = await c.say('hier soir');
    expect(prior[0]).toContain(t('complaint.ask_prior'));
    expect(prior[0]).toContain(`1. ${t('complaint.prior_none')}`);
    const out = await c.say('1');
    const all = out.join('\n');
    expect(all).toContain(t('complaint.level1'));
    expect(all).toContain(t('complaint.contact_not_on_file', { body: 'Centre Horizon' }));
    expect(all).toContain(t('complaint.checklist'));
    expect(all).toContain(t('complaint.draft_intro_official'));
    expect(all).toContain(quote('fr', "On m'a pris mon sac"));
    expect(all).toContain(quote('fr', 'hier soir'));
    expect(all).toContain('À : la direction de Centre Horizon');
    // No French/Dutch question: the draft is already in an official language.
    expect(all).not.toContain(t('complaint.ask_official'));
    expect(c.results).toEqual([{ level: 1, body: 'service' }]);
  });

  it('nl, level 2 with a known service: the body the directory names, and the Dutch draft to it', async () => {
    const t = tFor('nl');
    const c = converse('nl', known('vivalis'));
    await c.say('klacht');
    await c.say('Horizon');
    await c.say('Ze hebben me buitengezet');
    await c.say('gisteren');
    const out = (await c.say('2')).join('\n');
    expect(out).toContain(t('complaint.level2_known', { service: 'Opvangcentrum Horizon', body: 'Vivalis' }));
    expect(out).toContain(t('complaint.contact_not_on_file', { body: 'Vivalis' }));
    expect(out).toContain('Aan: Vivalis');
    expect(out).toContain(t('complaint.draft_prior_2'));
    expect(out).toContain(quote('nl', 'Ze hebben me buitengezet'));
    expect(c.results).toEqual([{ level: 2, body: 'vivalis', serviceId: 'svc-horizon' }]);
  });

  it('en, level 3: Ombuds.brussels, then the draft in English and, on request, in Dutch with the words kept', async () => {
    const t = tFor('en');
    const c = converse('en', {});
    await c.say('complaint');
    await c.say('the night shelter');
    await c.say('The staff shouted at me');
    await c.say('last Monday');
    const out = await c.say('Yes, and to the administration too');
    const all = out.join('\n');
    expect(all).toContain(t('complaint.level3'));
    expect(all).toContain('To: Ombuds.brussels, regional mediation service');
    expect(all).toContain(t('complaint.draft_prior_3'));
    expect(out.at(-1)).toContain(t('complaint.ask_official'));
    const official = (await c.say('Dutch')).join('\n');
    expect(official).toContain(t('complaint.official_intro_nl'));
    expect(official).toContain('Betreft: klacht over the night shelter');
    expect(official).toContain('Aan: Ombuds.brussels');
    expect(official).toContain(quote('nl', 'The staff shouted at me'));
    expect(c.results).toEqual([{ level: 3, body: 'ombuds' }]);
  });

  it('ar, level 2 with a known service: Arabic guidance and draft, then the French draft with the Arabic words quoted', async () => {
    const t = tFor('ar');
    const what = 'طردوني من المركز بدون سبب';
    const c = converse('ar', known('VGC'));
    await c.say('شكوى');
    await c.say('هورايزون');
    await c.say(what);
    await c.say('أمس');
    const out = (await c.say('٢')).join('\n');
    expect(out).toContain(t('complaint.level2_known', { service: 'Opvangcentrum Horizon', body: 'VGC' }));
    expect(out).toContain('إلى: VGC');
    expect(out).toContain(quote('ar', what));
    const official = (await c.say('1')).join('\n');
    expect(official).toContain(t('complaint.official_intro_fr'));
    expect(official).toContain('À : VGC');
    expect(official).toContain(`« ${what} »`);
    expect(official).toContain('« أمس »');
    expect(c.results).toEqual([{ level: 2, body: 'vgc', serviceId: 'svc-horizon' }]);
  });

  it('pl, level 1 by word, Dutch by word', async () => {
    const t = tFor('pl');
    const c = converse('pl', {});
    await c.say('skarga');
    await c.say('Schronisko Horyzont');
    await c.say('Zabrali mi dokumenty');
    await c.say('wczoraj');
    const out = (await c.say('nie')).join('\n');
    expect(out).toContain(t('complaint.level1'));
    expect(out).toContain(quote('pl', 'Zabrali mi dokumenty'));
    const official = (await c.say('po niderlandzku')).join('\n');
    expect(official).toContain('Aan: de directie van Schronisko Horyzont');
    expect(official).toContain(quote('nl', 'Zabrali mi dokumenty'));
    expect(c.results).toEqual([{ level: 1, body: 'service' }]);
  });

  it('bg, level 2 with an unknown service: the four bodies and a person; an unclear answer is asked again', async () => {
    const t = tFor('bg');
    const c = converse('bg', { findService: async () => undefined });
    await c.say('жалба');
    await c.say('центърът до гарата');
    await c.say('Не ми дадоха легло');
    await c.say('снощи');
    const again = await c.say('може би');
    expect(again[0]).toContain(t('complaint.not_understood'));
    const out = (await c.say('2')).join('\n');
    expect(out).toContain(t('complaint.level2_unknown'));
    for (const b of ['vivalis', 'cocof', 'vgc', 'gob']) expect(out).toContain(t(`complaint.body_${b}`));
    expect(out).toContain(t('complaint.level2_who', { service: 'центърът до гарата' }));
    expect(out).toContain(t('answer.offer_person'));
    expect(out).toContain(t('complaint.draft_to_sector'));
    const unclear = await c.say('не знам');
    expect(unclear[0]).toContain(t('complaint.not_understood'));
    const official = (await c.say('френски')).join('\n');
    expect(official).toContain("À : l'administration qui veille aux règles du secteur (Vivalis, CoCof, VGC ou GOB)");
    expect(official).toContain('« Не ми дадоха легло »');
    expect(c.results).toEqual([{ level: 2, body: 'unknown' }]);
  });

  it('keeps going when the directory lookup fails, with the service as the person wrote it', async () => {
    const c = converse('en', { findService: async () => { throw new Error('database down'); } });
    await c.say('complaint');
    await c.say('Shelter Alpha');
    await c.say('They lost my bag');
    await c.say('today');
    const out = (await c.say('1')).join('\n');
    expect(out).toContain('To: the management of Shelter Alpha');
    await c.say('French');
    expect(c.results).toEqual([{ level: 1, body: 'service' }]);
  });

  describe('on the template database', () => {
    let db: Database;
    let cleanup: () => void;
    beforeAll(async () => {
      const copy = copyTemplate();
      cleanup = copy.cleanup;
      db = await openPglite(copy.dir);
    });
    afterAll(async () => {
      await db?.close();
      cleanup?.();
    });

    it('finds the service in the directory and the body its record names (LDC: VGC), contacts not on file', async () => {
      const t = tFor('en');
      const c = converse('en', { findService: createFindService(db), findContact: createBodyContact(db) });
      await c.say('complaint');
      await c.say('the lokale dienstencentra');
      await c.say('They refused me a meal');
      await c.say('on Friday');
      const out = (await c.say('2')).join('\n');
      expect(out).toContain(t('complaint.level2_known', { service: 'Lokale dienstencentra (LDC)', body: 'VGC' }));
      expect(out).toContain(`${t('complaint.contact_not_on_file', { body: 'VGC' })} ${t('answer.offer_person')}`);
      expect(out).toContain('Subject: complaint about Lokale dienstencentra (LDC)');
      await c.say('2');
      expect(c.results).toEqual([{ level: 2, body: 'vgc', serviceId: 'svc-ldc' }]);
    });

    it('level 1 about New Samusocial shows the number the directory has for it', async () => {
      const c = converse('fr', { findService: createFindService(db), findContact: createBodyContact(db) });
      await c.say('plainte');
      await c.say('le Samusocial');
      await c.say('On ne m’a pas donné de lit');
      await c.say('hier');
      const out = (await c.say('1')).join('\n');
      expect(out).toContain('Contact connu de New Samusocial : 0800 99 340.');
      expect(c.results).toEqual([{ level: 1, body: 'service', serviceId: 'org-new-samusocial' }]);
    });
  });

  describe('on SMS', () => {
    const long = 'Le veilleur de nuit m’a crié dessus devant tout le monde, il a jeté mes affaires dehors sous la pluie, '
      + 'mes papiers étaient dans le sac et je ne les ai plus retrouvés. Quand j’ai demandé pourquoi, il a dit que '
      + 'je n’avais rien à faire là et il a refusé de me donner son nom. Un autre résident a tout vu et peut le dire. '
      + 'Je veux récupérer mes papiers et une explication écrite.';

    it.each([
      ['fr', '1', undefined],
      ['ar', '2', '1'],
      ['bg', '3', '2'],
      ['uk', '2', '1'],
    ] as const)('%s: every message is at most 299 characters and the words survive the split', async (lang, prior, official) => {
      const c = converse(lang, known(), 'sms');
      for (const text of ['complaint', 'Horizon', long, 'le 3 mars au soir', prior, ...(official ? [official] : [])]) {
        const out = await c.say(text);
        expect(out.length).toBeGreaterThan(0);
      }
      expect(c.results).toHaveLength(1);
      for (const a of c.sent) expect([...(a.text ?? '')].length, a.text).toBeLessThanOrEqual(SMS_MAX);
      const squash = (s: string) => s.replace(/\s+/g, ' ');
      expect(squash(c.sent.map((a) => a.text).join(' '))).toContain(squash(long));
      // No suggested actions on SMS: the choices are in the text.
      expect(c.sent.every((a) => !a.suggestedActions)).toBe(true);
      // Each draft starts its own message, so it can be forwarded as it is.
      const subject = (l: Lang) => tFor(l)('complaint.draft_subject', { service: 'Opvangcentrum Horizon' });
      expect(c.sent.some((a) => a.text?.startsWith(subject(lang)))).toBe(true);
      if (official) expect(c.sent.some((a) => a.text?.startsWith(subject(official === '1' ? 'fr' : 'nl')))).toBe(true);
      // The greeting line is left out to keep the drafts short.
      expect(c.sent.map((a) => a.text).join('\n')).not.toContain(tFor(lang)('complaint.draft_greeting'));
    });
  });
});
