import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyFor, contactText, createBodyContact, createFindService, draftText, guidanceText, levelFor, needsOfficialDraft,
  quote, recognisedByFromText, sectorBodyOf, type ComplaintFacts,
} from '../../conversation/complaint-guide.js';
import { tFor } from '../../conversation/i18n.js';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { openPglite, type Database } from '../../db/database.js';
import { copyTemplate } from '../helpers/kb.js';

/** What a person could have written, in their language (kept as written in every draft). */
const WHAT: Record<Lang, string> = {
  nl: 'Ze hebben me om 22 uur buitengezet zonder uitleg',
  fr: "On m'a mis dehors à 22 h sans explication",
  en: 'They put me out at 10 pm without explanation',
  ar: 'طردوني الساعة العاشرة بدون شرح',
  es: 'Me echaron a las 22 h sin explicación',
  pt: 'Puseram-me na rua às 22 h sem explicação',
  ro: 'M-au dat afară la ora 22 fără explicații',
  pl: 'Wyrzucili mnie o 22 bez wyjaśnienia',
  bg: 'Изгониха ме в 22 часа без обяснение',
  tr: 'Beni saat 22de açıklama yapmadan dışarı çıkardılar',
  ru: 'Меня выгнали в 22 часа без объяснений',
  uk: 'Мене вигнали о 22 годині без пояснень',
};

const facts = (lang: Lang): ComplaintFacts => ({ service: 'Centre Horizon', what: WHAT[lang], when: '12/03' });

describe('which level applies', () => {
  it('is the service itself when nothing was done yet, then the administration, then Ombuds.brussels', () => {
    expect(levelFor('none')).toBe(1);
    expect(levelFor('service')).toBe(2);
    expect(levelFor('administration')).toBe(3);
  });

  it('names the body: the service at level 1, Ombuds.brussels at level 3', () => {
    expect(bodyFor(1, 'vgc')).toBe('service');
    expect(bodyFor(3, 'vivalis')).toBe('ombuds');
  });

  it('at level 2 takes the authority the directory names, in any spelling, else unknown', () => {
    expect(bodyFor(2, 'vivalis')).toBe('vivalis');
    expect(bodyFor(2, 'VGC')).toBe('vgc');
    expect(bodyFor(2, 'Vlaamse Gemeenschapscommissie')).toBe('vgc');
    expect(bodyFor(2, 'Commission communautaire française')).toBe('cocof');
    expect(bodyFor(2, 'Gewestelijke Overheidsdienst Brussel')).toBe('gob');
    expect(bodyFor(2, undefined)).toBe('unknown');
    // The plans do not say which administration stands for the GGC: not guessed.
    expect(bodyFor(2, 'GGC')).toBe('unknown');
    expect(sectorBodyOf('Vivalis or the VGC')).toBeUndefined();
  });

  it('reads a recognising authority only from a sentence about recognition', () => {
    expect(recognisedByFromText('The 19 Brussels local service centres with a Flemish recognition, supported by the VGC.')).toBe('vgc');
    expect(recognisedByFromText('Project against loneliness funded by the VGC from 1 May 2023.')).toBeUndefined();
    expect(recognisedByFromText('Accompany people newly recognised under international protection.')).toBeUndefined();
    expect(recognisedByFromText('A shelter. It is recognised by Vivalis.')).toBe('vivalis');
    expect(recognisedByFromText(null)).toBeUndefined();
  });

  it('asks for a French or Dutch draft except for French and Dutch speakers', () => {
    expect(SUPPORTED_LANGS.filter((l) => !needsOfficialDraft(l)).sort()).toEqual(['fr', 'nl']);
  });
});

describe('the draft', () => {
  describe.each([...SUPPORTED_LANGS])('%s', (lang) => {
    const t = tFor(lang);

    it('quotes the person’s words as written, with the service and the date', () => {
      const d = draftText(lang, facts(lang), { level: 1, body: 'service' });
      expect(d).toContain(quote(lang, WHAT[lang]));
      expect(d).toContain(quote(lang, '12/03'));
      expect(d).toContain(t('complaint.draft_subject', { service: 'Centre Horizon' }));
      expect(d).toContain(t('complaint.draft_to_service', { service: 'Centre Horizon' }));
      expect(d).not.toContain(t('complaint.draft_prior_2'));
      expect(d).toContain(t('complaint.draft_greeting'));
    });

    it('addresses level 2 to the named body and says the service did not solve it', () => {
      const d = draftText(lang, facts(lang), { level: 2, body: 'vivalis' });
      expect(d).toContain(t('complaint.draft_to', { body: 'Vivalis' }));
      expect(d).toContain(t('complaint.draft_prior_2'));
      const unknown = draftText(lang, facts(lang), { level: 2, body: 'unknown' });
      expect(unknown).toContain(t('complaint.draft_to_sector'));
    });

    it('addresses level 3 to Ombuds.brussels and says both earlier levels were tried', () => {
      const d = draftText(lang, facts(lang), { level: 3, body: 'ombuds' });
      expect(d).toContain('Ombuds.brussels');
      expect(d).toContain(t('complaint.draft_prior_3'));
      expect(d).not.toContain(t('complaint.draft_prior_2'));
    });

    it.each(['fr', 'nl'] as const)('in %s for the bodies: the fixed template with the person’s words untranslated', (official) => {
      const d = draftText(official, facts(lang), { level: 2, body: 'cocof' });
      expect(d).toContain(quote(official, WHAT[lang]));
      expect(d.split('\n')[0]).toBe(tFor(official)('complaint.draft_subject', { service: 'Centre Horizon' }));
      expect(d).toContain(tFor(official)('complaint.draft_prior_2'));
    });

    it('drops the greeting when compact (SMS) and marks a missing date', () => {
      const d = draftText(lang, { ...facts(lang), when: '  ' }, { level: 1, body: 'service', compact: true });
      expect(d).not.toContain(t('complaint.draft_greeting'));
      expect(d).toContain(t('complaint.when_unknown'));
    });
  });

  it('French and Dutch templates really differ (not the English fallback)', () => {
    const fr = draftText('fr', facts('ar'), { level: 3, body: 'ombuds' });
    const nl = draftText('nl', facts('ar'), { level: 3, body: 'ombuds' });
    expect(fr).toMatch(/^Objet : plainte concernant Centre Horizon/);
    expect(nl).toMatch(/^Betreft: klacht over Centre Horizon/);
    expect(fr).toContain('« طردوني الساعة العاشرة بدون شرح »');
  });
});

describe('guidance', () => {
  it('level 1: the service first, and the two next steps', () => {
    const [text] = guidanceText('en', 1, 'service');
    expect(text).toContain('Step 1 of 3');
    expect(text).toContain('Ombuds.brussels');
  });

  it('level 2 with a known body names it for the service', () => {
    const msgs = guidanceText('en', 2, 'vgc', { id: 'svc-ldc', name: 'Lokale dienstencentra (LDC)', recognisedBy: 'vgc' });
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain('For Lokale dienstencentra (LDC), the directory names VGC');
  });

  it('level 2 unknown: the four bodies and a person from the line to tell which', () => {
    const msgs = guidanceText('pl', 2, 'unknown', undefined, 'ośrodek Horyzont');
    for (const b of ['vivalis', 'cocof', 'vgc', 'gob']) expect(msgs[0]).toContain(tFor('pl')(`complaint.body_${b}`));
    expect(msgs[1]).toContain('ośrodek Horyzont');
    expect(msgs[1]).toContain(tFor('pl')('answer.offer_person'));
  });

  it('level 2 with another recognising authority says what the directory says and offers a person', () => {
    const msgs = guidanceText('en', 2, 'unknown', { id: 'x', name: 'Shelter X', recognisedBy: 'GGC' });
    expect(msgs[1]).toContain('The directory says Shelter X is recognised by GGC.');
    expect(msgs[1]).toContain(tFor('en')('answer.offer_person'));
  });

  it('level 3: Ombuds.brussels, the regional mediation service', () => {
    expect(guidanceText('fr', 3, 'ombuds')[0]).toContain('Ombuds.brussels, le service de médiation régional');
  });

  it('contact: "not on file" and a person when the directory has none, the details when it has', () => {
    expect(contactText('en', 'Vivalis', { phones: [] })).toBe(
      `Address, phone and email of Vivalis: not on file. ${tFor('en')('answer.offer_person')}`);
    expect(contactText('en', 'New Samusocial', { phones: ['0800 99 340'] })).toContain('0800 99 340');
  });

  it('invents no phone number, email or web address in any language', () => {
    for (const lang of SUPPORTED_LANGS) {
      const file = fileURLToPath(new URL(`../../locales/${lang}/complaint.json`, import.meta.url));
      const strings = Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).join('\n');
      expect(strings, lang).not.toMatch(/\d{3,}|@|https?:|www\./);
    }
  });
});

describe('directory lookups (template database)', () => {
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

  it('finds a named service and what the directory says about its recognition', async () => {
    const find = createFindService(db);
    const ldc = await find('het lokaal dienstencentrum, de lokale dienstencentra in Jette', 'nl');
    expect(ldc).toMatchObject({ id: 'svc-ldc', name: 'Lokale dienstencentra (LDC)', recognisedBy: 'vgc' });
  });

  it('ignores accents and case', async () => {
    const find = createFindService(db);
    expect((await find('GEINTEGREERD breed onthaal', 'nl'))?.id).toBe('svc-gbo');
    expect((await find('ombuds.brussels', 'fr'))?.id).toBe('svc-ombuds-brussels-complaints');
  });

  it('returns the organisation when only it is named, and nothing for generic words', async () => {
    const find = createFindService(db);
    const nss = await find('le samusocial', 'fr');
    expect(nss).toMatchObject({ id: 'org-new-samusocial', name: 'New Samusocial' });
    expect(nss?.recognisedBy).toBeUndefined();
    expect((await find('New Samusocial noodopvang', 'nl'))?.id).toBe('svc-new-samusocial-emergency-shelter');
    expect(await find('le centre', 'fr')).toBeUndefined();
    expect(await find('المركز', 'ar')).toBeUndefined();
    expect(await find('', 'en')).toBeUndefined();
  });

  it('reads contacts: none on file for the complaint bodies, the public number of New Samusocial', async () => {
    const contact = createBodyContact(db);
    for (const id of ['svc-vivalis-complaints', 'svc-ombuds-brussels-complaints', 'svc-complaints-level-1']) {
      expect(await contact(id), id).toEqual({ phones: [] });
    }
    expect((await contact('svc-new-samusocial-0800'))?.phones).toEqual(['0800 99 340']);
    expect((await contact('org-new-samusocial'))?.phones).toContain('0800 99 340');
    expect(await contact('svc-does-not-exist')).toBeUndefined();
  });
});
