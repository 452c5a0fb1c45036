import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { TaxonomyTerm } from '../../directory/model.js';
import { TAXONOMY_FILE, loadTaxonomy, parseTaxonomy, readTaxonomy } from '../../directory/taxonomy.js';

const taxonomy = loadTaxonomy();

/** The fixed ids of .helpers/IDS.md (other parts of the directory rely on them). */
const NEEDS = [
  'emergency-shelter', 'night-shelter', 'day-centre', 'food', 'shower-hygiene', 'laundry', 'luggage-storage',
  'health-care', 'mental-health', 'addiction', 'urgent-medical-aid', 'reference-address', 'income', 'legal-aid',
  'complaints', 'housing', 'eviction-prevention', 'domestic-violence', 'digital-help', 'work-training',
  'street-outreach', 'transit-housing', 'crisis-places', 'debt-energy', 'social-services', 'papers-migration',
];
const GROUPS = [
  'minors-youth', 'young-adults', 'families', 'women', 'undocumented', 'eu-migrants', 'asylum-refugees', 'lgbtqia',
  'pets', 'elderly', 'disability', 'ex-prisoners', 'sex-workers',
];

/** Three everyday phrasings per language for eight key categories: each must be recognised in its own language. */
const PHRASINGS: Record<string, Record<Lang, [string, string, string]>> = {
  'emergency-shelter': {
    nl: ['waar kan ik vannacht slapen', 'ik heb geen slaapplaats', 'is er nog plaats in de noodopvang'],
    fr: ['où je peux dormir ce soir', "je cherche un hébergement d'urgence", 'je dors dehors, il y a un foyer ?'],
    en: ['where can i sleep tonight', 'i need an emergency shelter', 'is there a bed for me somewhere'],
    ar: ['أين يمكنني أن أنام الليلة', 'أبحث عن مأوى', 'هل يوجد سرير لي'],
    es: ['dónde puedo dormir esta noche', 'busco un albergue', 'necesito una cama para hoy'],
    pt: ['onde posso dormir hoje', 'procuro um abrigo', 'preciso de uma cama'],
    ro: ['unde pot dormi în noaptea asta', 'caut un adăpost', 'am nevoie de un pat'],
    pl: ['gdzie mogę spać dziś w nocy', 'szukam noclegowni', 'potrzebuję schroniska'],
    bg: ['къде мога да спя тази нощ', 'търся приют', 'имам нужда от легло'],
    tr: ['bu gece nerede uyuyabilirim', 'barınak arıyorum', 'kalacak yer lazım'],
    ru: ['где можно переночевать', 'ищу приют', 'мне негде спать'],
    uk: ['де можна переночувати', 'шукаю притулок', 'мені ніде спати'],
  },
  food: {
    nl: ['waar kan ik gratis eten', 'ik heb honger', 'is er een voedselpakket'],
    fr: ['où manger gratuitement', "j'ai faim", 'un repas chaud ce midi'],
    en: ['where can i eat for free', 'i am hungry', 'is there a food bank'],
    ar: ['أين يمكنني أن آكل اليوم في بروكسل', 'أنا جائع', 'أبحث عن وجبة مجانية'],
    es: ['dónde puedo comer gratis', 'tengo hambre', 'busco un comedor social'],
    pt: ['onde posso comer', 'tenho fome', 'preciso de uma refeição'],
    ro: ['unde pot mânca', 'mi-e foame', 'caut o masă caldă'],
    pl: ['gdzie mogę zjeść', 'jestem głodny', 'szukam darmowego jedzenia'],
    bg: ['къде мога да ям', 'гладен съм', 'търся безплатна храна'],
    tr: ['nerede yemek yiyebilirim', 'karnım aç', 'ücretsiz yemek var mı'],
    ru: ['где можно поесть', 'я голодный', 'бесплатная еда'],
    uk: ['де можна поїсти', 'я голодний', 'безкоштовна їжа'],
  },
  'shower-hygiene': {
    nl: ['waar kan ik douchen', 'ik wil me wassen', 'zijn er gratis toiletten'],
    fr: ['je cherche une douche près de la gare du Midi', 'où me laver', 'des toilettes gratuites'],
    en: ['where can i take a shower', 'i need to wash', 'public toilets near me'],
    ar: ['أين يمكنني الاستحمام', 'أريد دوش', 'أين المرحاض'],
    es: ['dónde puedo ducharme', 'necesito una ducha', 'quiero lavarme'],
    pt: ['onde posso tomar banho', 'preciso de um duche', 'casa de banho pública'],
    ro: ['unde pot face duș', 'vreau să mă spăl', 'unde e o toaletă'],
    pl: ['gdzie mogę się umyć', 'szukam prysznica', 'gdzie jest toaleta'],
    bg: ['къде мога да се изкъпя', 'търся душ', 'има ли тоалетна'],
    tr: ['nerede duş alabilirim', 'yıkanmak istiyorum', 'tuvalet nerede'],
    ru: ['где можно принять душ', 'хочу помыться', 'где туалет'],
    uk: ['де можна прийняти душ', 'хочу помитися', 'де туалет'],
  },
  'health-care': {
    nl: ['ik ben ziek', 'ik moet naar een dokter', 'waar is een huisarts'],
    fr: ['je suis malade', 'je dois voir un médecin', "j'ai besoin de médicaments"],
    en: ['i am sick', 'i need a doctor', 'where is the nearest hospital'],
    ar: ['أنا مريض', 'أحتاج طبيب', 'أين المستشفى'],
    es: ['estoy enfermo', 'necesito un médico', 'dónde hay un hospital'],
    pt: ['estou doente', 'preciso de um médico', 'onde fica o hospital'],
    ro: ['sunt bolnav', 'am nevoie de un doctor', 'unde este spitalul'],
    pl: ['jestem chory', 'potrzebuję lekarza', 'gdzie jest szpital'],
    bg: ['болен съм', 'трябва ми лекар', 'къде е болницата'],
    tr: ['hastalandım', 'doktora ihtiyacım var', 'hastane nerede'],
    ru: ['я болен', 'мне нужен врач', 'где больница'],
    uk: ['я хворий', 'мені потрібен лікар', 'де лікарня'],
  },
  complaints: {
    nl: ['ik wil een klacht indienen', 'waar kan ik klagen over de opvang', 'ik ben slecht behandeld'],
    fr: ['je veux porter plainte contre le centre', 'comment me plaindre', 'faire une réclamation'],
    en: ['how do i complain about my shelter', 'i want to file a complaint', 'where do complaints go'],
    ar: ['أريد تقديم شكوى', 'كيف أشتكي', 'شكوى ضد المركز'],
    es: ['quiero poner una queja', 'dónde presento una queja', 'quiero quejarme'],
    pt: ['quero fazer uma queixa', 'como reclamar', 'reclamação sobre o abrigo'],
    ro: ['vreau să fac o plângere', 'cum fac o reclamație', 'vreau să mă plâng'],
    pl: ['chcę złożyć skargę', 'jak złożyć skargę', 'skarga na schronisko'],
    bg: ['искам да подам жалба', 'как да се оплача', 'жалба срещу приюта'],
    tr: ['şikayet etmek istiyorum', 'nasıl şikayet ederim', 'şikayet nereye'],
    ru: ['хочу подать жалобу', 'как пожаловаться', 'жалоба на приют'],
    uk: ['хочу подати скаргу', 'як поскаржитися', 'скарга на притулок'],
  },
  income: {
    nl: ['hoe krijg ik een leefloon', 'ik heb geen geld', 'kan ik een uitkering krijgen'],
    fr: ["comment avoir le revenu d'intégration", "je n'ai pas d'argent", "j'ai besoin d'une aide sociale"],
    en: ['how do i get the leefloon', 'i have no money', 'can i get benefits'],
    ar: ['أحتاج مساعدة مالية', 'ليس لدي مال', 'كيف أحصل على دخل'],
    es: ['no tengo dinero', 'necesito ayuda económica', 'cómo pedir un subsidio'],
    pt: ['não tenho dinheiro', 'preciso de ajuda financeira', 'como pedir um subsídio'],
    ro: ['nu am bani', 'am nevoie de ajutor social', 'venit de integrare'],
    pl: ['nie mam pieniędzy', 'jak dostać zasiłek', 'potrzebuję pomocy finansowej'],
    bg: ['нямам пари', 'социална помощ', 'как да получа доход'],
    tr: ['param yok', 'sosyal yardım almak istiyorum', 'maddi yardım'],
    ru: ['нет денег', 'как получить пособие', 'социальная помощь'],
    uk: ['немає грошей', 'соціальна допомога', 'як отримати виплати'],
  },
  families: {
    nl: ['met mijn twee kinderen', 'ik heb een baby', 'wij zijn een gezin'],
    fr: ['avec mes enfants', "j'ai un bébé", 'nous sommes une famille'],
    en: ['with my two kids', 'i have a baby', 'we are a family of four'],
    ar: ['مع أطفالي', 'عندي طفل', 'نحن عائلة'],
    es: ['con mis hijos', 'tengo un bebé', 'somos una familia'],
    pt: ['com os meus filhos', 'tenho um bebé', 'somos uma família'],
    ro: ['cu copiii mei', 'am un copil', 'suntem o familie'],
    pl: ['z dziećmi', 'mam dziecko', 'jesteśmy rodziną'],
    bg: ['с децата ми', 'имам дете', 'ние сме семейство'],
    tr: ['çocuklarımla', 'bebek var', 'ailemle birlikte'],
    ru: ['с детьми', 'у меня ребёнок', 'мы семья'],
    uk: ['з дітьми', 'у мене дитина', 'ми родина'],
  },
  undocumented: {
    nl: ['ik heb geen papieren', 'zonder papieren', 'mensen zonder verblijfsvergunning'],
    fr: ['je suis sans papiers', "je n'ai pas de papiers", 'sans titre de séjour'],
    en: ['i have no papers', 'i am undocumented', 'without papers'],
    ar: ['ليس لدي أوراق', 'بدون أوراق', 'أنا بلا أوراق'],
    es: ['no tengo papeles', 'estoy sin papeles', 'soy indocumentado'],
    pt: ['não tenho documentos', 'estou sem papéis', 'sem documentos'],
    ro: ['nu am acte', 'sunt fără acte', 'fără documente'],
    pl: ['nie mam dokumentów', 'jestem bez dokumentów', 'bez papierów'],
    bg: ['нямам документи', 'без документи', 'нелегален съм'],
    tr: ['belgesiz', 'kağıtsız', 'oturma iznim yok'],
    ru: ['у меня нет документов', 'без документов', 'я нелегал'],
    uk: ['у мене немає документів', 'без документів', 'я нелегально тут'],
  },
};

const svgOf = (id: string) => readFileSync(taxonomy.pictogramPath(id), 'utf8');

describe('taxonomy', () => {
  describe('categories', () => {
    it('should have exactly the ids and kinds of IDS.md', () => {
      expect(taxonomy.categories.filter((c) => c.kind === 'need').map((c) => c.id).sort()).toEqual([...NEEDS].sort());
      expect(taxonomy.categories.filter((c) => c.kind === 'group').map((c) => c.id).sort()).toEqual([...GROUPS].sort());
    });

    it('should have a label and words people use in all 12 languages for every category', () => {
      for (const c of taxonomy.categories) {
        for (const lang of SUPPORTED_LANGS) {
          expect(c.labels[lang]?.trim(), `${c.id} label ${lang}`).toBeTruthy();
          expect(c.terms[lang]?.length, `${c.id} terms ${lang}`).toBeGreaterThan(0);
        }
        expect(c.dutch.length, `${c.id} dutch`).toBeGreaterThan(0);
      }
    });

    it('should write terms by the lexicon rules (lower case, stems of 4+ letters, Arabic without short vowels)', () => {
      for (const c of taxonomy.categories) {
        for (const [lang, terms] of Object.entries({ ...c.terms, dutch: c.dutch })) {
          for (const t of terms) {
            expect(t, `${c.id} ${lang}`).toBe(t.toLowerCase());
            expect(t.trim(), `${c.id} ${lang}`).toBe(t);
            // Each word of a phrase may be a stem: "продуктов* набір".
            for (const word of t.split(/\s+/)) {
              if (!word.includes('*')) continue;
              expect(word.indexOf('*'), `${c.id} ${lang} "${t}"`).toBe(word.length - 1);
              expect(word.slice(0, -1).split("'").pop()!.length, `${c.id} ${lang} "${t}"`).toBeGreaterThanOrEqual(4);
            }
            expect(/[\u064B-\u0652]/.test(t), `${c.id} ${lang} "${t}"`).toBe(false);
          }
        }
      }
    });

    it('should give the plans’ Dutch words that occur in the corpus', () => {
      const corpus = ['000_e621c450b624349b', '004_cb8e911b77208c6d']
        .map((id) => readFileSync(new URL(`../../knowledge/corpus/${id}.txt`, import.meta.url), 'utf8').toLowerCase())
        .join('\n');
      for (const word of ['noodopvang', 'nachtopvang', 'dagcentr', 'leefloon', 'referentieadres']) expect(corpus).toContain(word);
      expect(taxonomy.get('emergency-shelter')!.dutch).toContain('noodopvang');
      expect(taxonomy.get('day-centre')!.dutch).toContain('dagcentr*');
      expect(taxonomy.get('income')!.dutch).toContain('leefloon');
      expect(taxonomy.get('reference-address')!.dutch).toContain('referentieadres');
    });

    it('should label a category in the asked language and refuse an unknown id', () => {
      expect(taxonomy.label('night-shelter', 'en')).toBe('Night shelter');
      expect(taxonomy.label('night-shelter', 'nl')).toBe('Nachtopvang');
      expect(taxonomy.label('food', 'ar')).toBe('طعام');
      expect(() => taxonomy.label('nope', 'en')).toThrow(/nope/);
      expect(taxonomy.get('nope')).toBeUndefined();
    });
  });

  describe('pictograms', () => {
    it('should have for every category an SVG file that exists, with a viewBox and a title, under 2 kB', () => {
      for (const c of taxonomy.categories) {
        const path = taxonomy.pictogramPath(c.id);
        expect(existsSync(path), path).toBe(true);
        expect(statSync(path).size, path).toBeLessThan(2048);
        const svg = taxonomy.pictogramSvg(c.id);
        expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        expect(svg).toContain('viewBox="0 0 64 64"');
        expect(svg).toMatch(/<title[^>]*>[A-Z][^<]+<\/title>/);
        expect(svg.trim().endsWith('</svg>')).toBe(true);
      }
    });

    it('should be well-formed XML: every element closed, no stray text', () => {
      for (const c of taxonomy.categories) {
        const svg = svgOf(c.id).replace(/<title[^>]*>[^<]*<\/title>/, '').replace(/<text[^>]*>[^<]*<\/text>/g, '');
        const stack: string[] = [];
        for (const m of svg.matchAll(/<(\/?)([a-z]+)([^>]*?)(\/?)>/g)) {
          if (m[1]) expect(stack.pop(), c.id).toBe(m[2]);
          else if (!m[4]) stack.push(m[2]!);
        }
        expect(stack, c.id).toEqual([]);
        expect(svg.replace(/<[^>]+>/g, '').trim(), c.id).toBe('');
      }
    });

    it('should draw with currentColor so cards and pages can colour them', () => {
      for (const c of taxonomy.categories) expect(svgOf(c.id)).toContain('currentColor');
    });
  });

  describe('match', () => {
    for (const [category, byLang] of Object.entries(PHRASINGS)) {
      for (const lang of SUPPORTED_LANGS) {
        it(`should find ${category} in three ${lang} phrasings`, () => {
          for (const text of byLang[lang]) {
            expect(taxonomy.match(text, lang).map((m) => m.id), `${lang}: ${text}`).toContain(category);
            // Without a language hint every language's words are used; the category must still be found.
            expect(taxonomy.match(text).map((m) => m.id), `${text} (no lang)`).toContain(category);
          }
        });
      }
    }

    it('should recognise the four questions of the issue', () => {
      expect(taxonomy.needs('waar kan ik vannacht slapen met mijn twee kinderen', 'nl')).toEqual(
        expect.arrayContaining(['emergency-shelter', 'night-shelter']),
      );
      expect(taxonomy.groups('waar kan ik vannacht slapen met mijn twee kinderen', 'nl')).toEqual(['families']);
      expect(taxonomy.needs('je cherche une douche près de la gare du Midi', 'fr')).toEqual(['shower-hygiene']);
      expect(taxonomy.groups('je cherche une douche près de la gare du Midi', 'fr')).toEqual([]);
      expect(taxonomy.needs('أين يمكنني أن آكل اليوم في بروكسل', 'ar')).toEqual(['food']);
      expect(taxonomy.needs('how do I complain about my shelter', 'en')[0]).toBe('complaints');
    });

    it('should rank the more specific phrase first', () => {
      expect(taxonomy.needs('is there a night shelter', 'en')[0]).toBe('night-shelter');
      expect(taxonomy.needs('un hébergement de nuit', 'fr')[0]).toBe('night-shelter');
      expect(taxonomy.needs('mon proprio veut me mettre dehors', 'fr')).toEqual(['eviction-prevention']);
      expect(taxonomy.match('mon proprio veut me mettre dehors', 'fr')[0]).toEqual({ id: 'eviction-prevention', kind: 'need', count: 2 });
    });

    it('should find groups next to needs', () => {
      expect(taxonomy.groups('i am a woman with two kids and a dog', 'en').sort()).toEqual(['families', 'pets', 'women']);
      expect(taxonomy.groups('je suis sans papiers, où dormir ?', 'fr')).toEqual(['undocumented']);
      expect(taxonomy.groups('ik ben 16 en sta op straat', 'nl')).toContain('minors-youth');
    });

    it('should not match unrelated text', () => {
      for (const text of [
        'what time is the football match',
        'hoe laat begint de voetbalwedstrijd',
        'quel temps fera-t-il demain',
        'كم الساعة الآن',
        '¿a qué hora empieza el partido?',
        'во сколько начинается матч',
        'maç saat kaçta başlıyor',
        '',
      ]) {
        expect(taxonomy.match(text), text).toEqual([]);
      }
    });

    it('should not take everyday words of one language for a need in another', () => {
      // Spanish "como" (how), Dutch "minder" (less), Turkish "bana" (to me), Bulgarian "затворено" (closed).
      expect(taxonomy.match('¿cómo puedo llegar?')).toEqual([]);
      expect(taxonomy.match('ik wil minder betalen', 'nl')).toEqual([]);
      expect(taxonomy.match('bana söyle', 'tr')).toEqual([]);
      expect(taxonomy.match('затворено ли е', 'bg')).toEqual([]);
    });
  });

  describe('HSDS rows', () => {
    it('should export valid taxonomy_term rows in the asked language', () => {
      const rows = taxonomy.toTaxonomyTerms('fr');
      expect(rows).toHaveLength(NEEDS.length + GROUPS.length);
      for (const row of rows) expect(TaxonomyTerm.parse(row)).toEqual(row);
      expect(rows.find((r) => r.id === 'food')).toEqual({
        id: 'food', term: 'Repas et aide alimentaire', description: null, taxonomy: 'infoline', x_kind: 'need',
      });
      expect(taxonomy.toTaxonomyTerms().find((r) => r.id === 'pets')!.term).toBe('With a pet');
    });
  });

  describe('loading', () => {
    it('should load once per process', () => {
      expect(loadTaxonomy()).toBe(taxonomy);
    });

    it('should name the file when it is broken', () => {
      const dir = mkdtempSync(join(tmpdir(), 'taxonomy-'));
      const file = join(dir, 'taxonomy.json');
      writeFileSync(file, '{ "categories": [');
      expect(() => readTaxonomy(file)).toThrow(file);
      const good = JSON.parse(readFileSync(TAXONOMY_FILE, 'utf8')) as { categories: Array<Record<string, unknown>> };
      delete (good.categories[3]!.labels as Record<string, string>).uk;
      expect(() => parseTaxonomy(JSON.stringify(good), file)).toThrow(/taxonomy\.json, category "food": "labels\.uk" is missing/);
      expect(() => readTaxonomy(join(dir, 'missing.json'))).toThrow(/missing\.json cannot be read/);
    });
  });
});
