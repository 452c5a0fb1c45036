/**
 * Safety interrupts in the 12 languages: messages as people write them (texting, no accents, run-on sentences) raise
 * the right kind; ordinary questions about services, complaints, sleeping, food or a doctor raise nothing; every reply
 * gives 112 first, the kind's public numbers and the hand-off, under 300 characters, from the "safety" locale keys.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import {
  SAFETY_KINDS,
  SAFETY_NUMBERS,
  compilePhrase,
  detectSafety,
  loadSafetyWords,
  safetyReply,
  type SafetyKind,
  type SafetyPriority,
} from '../../conversation/safety.js';

type Case = [Lang, SafetyKind, SafetyPriority, string];

const L = 'life';
const U = 'urgent';

const TRIGGERS: Case[] = [
  // ---- Dutch
  ['nl', 'suicide', L, 'ik wil er gewoon niet meer zijn, alles is kapot'],
  ['nl', 'suicide', L, 'soms denk ik aan zelfmoord, ik kan niet meer'],
  ['nl', 'suicide', L, 'ik heb zin om mezelf iets aan te doen vannacht'],
  ['nl', 'violence', L, 'mijn vriend slaat me elke avond, ik ben nu bij de buren'],
  ['nl', 'violence', L, 'er is iemand die me bedreigt met een mes aan het station'],
  ['nl', 'violence', U, 'ik ben bang voor mijn man, ik durf niet naar huis'],
  ['nl', 'medical', L, 'mijn vriend ligt hier en ademt niet meer!!'],
  ['nl', 'medical', L, 'hij is bewusteloos bij de ingang van het metrostation'],
  ['nl', 'medical', L, 'volgens mij een overdosis, hij reageert nergens op'],
  ['nl', 'cold', L, 'het vriest en ik slaap buiten en ik voel mijn voeten niet'],
  ['nl', 'cold', L, 'man ligt in de sneeuw, ik denk dat hij onderkoeld is'],
  ['nl', 'child', L, 'er zit een kind alleen op straat bij zuid station, al uren'],
  ['nl', 'child', L, 'de vriend van mijn moeder slaat mijn zoon, help'],
  ['nl', 'child', U, 'onze dochter is weggelopen en niemand weet waar ze is'],
  // ---- French
  ['fr', 'suicide', L, "j'ai plus envie de vivre, je veux mourir"],
  ['fr', 'suicide', L, 'jpp je vais me suicider ce soir'],
  ['fr', 'suicide', L, "ça m'arrive de me couper les bras quand ça va pas"],
  ['fr', 'violence', L, 'mon mari me frappe, je suis enfermee dans la salle de bain'],
  ['fr', 'violence', L, "il a un couteau et il dit qu'il va me tuer"],
  ['fr', 'violence', U, "hier soir mon copain m'a frappée, j'ai peur de rentrer chez moi"],
  ['fr', 'medical', L, 'il ne respire plus, il est par terre devant le centre'],
  ['fr', 'medical', L, "une dame s'est évanouie rue neuve elle réagit pas"],
  ['fr', 'medical', L, 'je crois que mon pote a fait une overdose'],
  ['fr', 'cold', L, "je gele dehors j'ai plus de couverture"],
  ['fr', 'cold', L, 'je sens plus mes pieds, ça fait 3 nuits dehors par moins 8'],
  ['fr', 'child', L, 'il y a un enfant seul dans la rue à minuit près de la gare du midi'],
  ['fr', 'child', L, 'mon beau-père frappe ma fille de 6 ans'],
  ['fr', 'child', U, 'mon fils a disparu depuis hier, il a 13 ans'],
  // ---- English
  ['en', 'suicide', L, 'honestly I want to kill myself, nothing left'],
  ['en', 'suicide', L, "i dont want to live anymore, whats the point"],
  ['en', 'suicide', L, "been cutting myself again and it's getting worse"],
  ['en', 'violence', L, "he's beating me right now please help"],
  ['en', 'violence', L, 'my ex is outside my door and says he is going to kill me'],
  ['en', 'violence', U, 'my boyfriend hit me last night and i am scared of him'],
  ['en', 'medical', L, 'guy on the bench is unconscious and not breathing'],
  ['en', 'medical', L, 'my friend took too many pills, i think its an overdose'],
  ['en', 'medical', L, "she's bleeding a lot from her head"],
  ['en', 'cold', L, "i'm freezing to death in this park"],
  ['en', 'cold', L, "it's -12 tonight and I can't feel my toes anymore"],
  ['en', 'child', L, 'there is a child alone at the bus stop, it is 2am'],
  ['en', 'child', L, 'a little girl is wandering by herself near the canal at night'],
  ['en', 'child', U, 'my son is missing since this morning'],
  // ---- Arabic (MSA, dialects, Arabizi)
  ['ar', 'suicide', L, 'أريد أن أنتحر، لم أعد أتحمل'],
  ['ar', 'suicide', L, 'والله بغيت نموت، ما بقا عندي والو'],
  ['ar', 'suicide', L, 'ana bghit nmout, safi'],
  ['ar', 'violence', L, 'زوجي يضربني كل يوم'],
  ['ar', 'violence', L, 'راجلي كيضربني ودابا برا الدار'],
  ['ar', 'violence', U, 'تعرضت للضرب من طرف زوجي البارحة'],
  ['ar', 'medical', L, 'صاحبي لا يتنفس، ساعدوني'],
  ['ar', 'medical', L, 'رجل مغمى عليه في محطة الميترو'],
  ['ar', 'medical', L, 'أخي أخذ جرعة زائدة'],
  ['ar', 'cold', L, 'أنا أموت من البرد في الشارع'],
  ['ar', 'cold', L, 'راني نتجمد ما نحسش برجليا'],
  ['ar', 'child', L, 'طفل وحده في الشارع في الليل'],
  ['ar', 'child', L, 'كاين طفل صغير بوحدو فالمحطة'],
  ['ar', 'child', L, 'زوجي يضرب ابني الصغير'],
  // ---- Spanish
  ['es', 'suicide', L, 'me quiero morir, ya no puedo mas'],
  ['es', 'suicide', L, 'estoy pensando en quitarme la vida'],
  ['es', 'suicide', L, 'a veces me corto los brazos'],
  ['es', 'violence', L, 'mi marido me pega y ahora está gritando en la puerta'],
  ['es', 'violence', L, 'un hombre me está amenazando con un cuchillo'],
  ['es', 'violence', U, 'me violaron la semana pasada y no sé a quién decirlo'],
  ['es', 'medical', L, 'mi amigo no respira, está en el suelo'],
  ['es', 'medical', L, 'un señor se desmayó en la estación y no reacciona'],
  ['es', 'medical', L, 'creo que es una sobredosis'],
  ['es', 'cold', L, 'me estoy congelando, duermo en la calle'],
  ['es', 'cold', L, 'hace un frio terrible y no siento los pies'],
  ['es', 'child', L, 'hay un niño solito en la calle, es de noche'],
  ['es', 'child', L, 'el novio de mi hermana le pega a mi hijo'],
  ['es', 'child', U, 'mi hija ha desaparecido, tiene 14 años'],
  // ---- Portuguese
  ['pt', 'suicide', L, 'quero morrer, não aguento mais isto'],
  ['pt', 'suicide', L, 'tenho vontade de me matar'],
  ['pt', 'suicide', L, 'nao quero mais viver'],
  ['pt', 'violence', L, 'o meu marido está me batendo'],
  ['pt', 'violence', L, 'ele disse que vai me matar'],
  ['pt', 'violence', U, 'fui estuprada ontem à noite'],
  ['pt', 'medical', L, 'ele nao respira, por favor'],
  ['pt', 'medical', L, 'a minha amiga desmaiou e não acorda'],
  ['pt', 'medical', L, 'está a sangrar muito da perna'],
  ['pt', 'cold', L, 'estou a morrer de frio, durmo na rua'],
  ['pt', 'cold', L, 'não sinto os pés, está um frio enorme'],
  ['pt', 'child', L, 'está uma criança sozinha na rua há horas'],
  ['pt', 'child', L, 'o meu companheiro bate no meu filho'],
  ['pt', 'child', U, 'o meu filho desapareceu hoje'],
  // ---- Romanian
  ['ro', 'suicide', L, 'vreau sa mor, nu mai pot'],
  ['ro', 'suicide', L, 'ma gandesc sa ma sinucid'],
  ['ro', 'suicide', L, 'nu mai vreau să trăiesc'],
  ['ro', 'violence', L, 'sotul meu ma bate si acum e acasa'],
  ['ro', 'violence', L, 'un om vrea să mă omoare, are un cutit'],
  ['ro', 'violence', U, "m-a batut ieri si mi-e frica"],
  ['ro', 'medical', L, 'prietenul meu nu mai respira'],
  ['ro', 'medical', L, 'a lesinat in statie si nu se trezeste'],
  ['ro', 'medical', L, 'cred ca a luat o supradoza'],
  ['ro', 'cold', L, 'inghet de frig afara, dorm pe strada'],
  ['ro', 'cold', L, 'nu-mi mai simt picioarele de frig'],
  ['ro', 'child', L, 'e un copil singur pe strada la ora asta'],
  ['ro', 'child', L, 'barbatul ei isi bate copilul in fiecare zi'],
  ['ro', 'child', U, 'fiul meu a disparut de azi dimineata'],
  // ---- Polish
  ['pl', 'suicide', L, 'chce umrzec, nie mam juz sily'],
  ['pl', 'suicide', L, 'myślę o tym żeby się zabić'],
  ['pl', 'suicide', L, 'nie chce juz zyc'],
  ['pl', 'violence', L, 'maz mnie bije i nie moge wyjsc'],
  ['pl', 'violence', L, 'on ma nóż i chce mnie zabić'],
  ['pl', 'violence', U, 'wczoraj mnie pobil, boje sie meza'],
  ['pl', 'medical', L, 'kolega nie oddycha'],
  ['pl', 'medical', L, 'ona jest nieprzytomna na przystanku'],
  ['pl', 'medical', L, 'chyba przedawkował'],
  ['pl', 'cold', L, 'zamarzam, spie na dworze'],
  ['pl', 'cold', L, 'nie czuje nog od zimna'],
  ['pl', 'child', L, 'na ulicy jest dziecko samo w nocy'],
  ['pl', 'child', L, 'partner bije moje dziecko'],
  ['pl', 'child', U, 'moja corka zaginela wczoraj'],
  // ---- Bulgarian
  ['bg', 'suicide', L, 'искам да умра, не издържам повече'],
  ['bg', 'suicide', L, 'мисля да се самоубия'],
  ['bg', 'suicide', L, 'не ми се живее вече'],
  ['bg', 'violence', L, 'мъжът ми ме бие всяка вечер'],
  ['bg', 'violence', L, 'някакъв човек има нож и казва че ще ме убие'],
  ['bg', 'violence', U, 'вчера ме изнасилиха'],
  ['bg', 'medical', L, 'приятелят ми не диша'],
  ['bg', 'medical', L, 'един човек е в безсъзнание на гарата'],
  ['bg', 'medical', L, 'мисля че е свръхдоза'],
  ['bg', 'cold', L, 'замръзвам навън, спя на улицата'],
  ['bg', 'cold', L, 'не си чувствам краката от студа'],
  ['bg', 'child', L, 'има дете само на улицата през нощта'],
  ['bg', 'child', L, 'съпругът ми бие детето'],
  ['bg', 'child', U, 'детето ми изчезна днес'],
  // ---- Turkish
  ['tr', 'suicide', L, 'ölmek istiyorum artık'],
  ['tr', 'suicide', L, 'intihar etmeyi düşünüyorum'],
  ['tr', 'suicide', L, 'kendimi öldürmek istiyorum'],
  ['tr', 'violence', L, 'kocam beni dövüyor'],
  ['tr', 'violence', L, 'adam beni öldürecek, bıçağı var'],
  ['tr', 'violence', U, 'dün beni dövdü, çok korkuyorum'],
  ['tr', 'medical', L, 'arkadaşım nefes almıyor'],
  ['tr', 'medical', L, 'adam bayıldı ve uyanmıyor'],
  ['tr', 'medical', L, 'aşırı doz aldı galiba'],
  ['tr', 'cold', L, 'donuyorum, sokakta yatıyorum'],
  ['tr', 'cold', L, 'ayaklarımı hissetmiyorum, çok soğuk'],
  ['tr', 'child', L, 'sokakta yalnız bir çocuk var gece'],
  ['tr', 'child', L, 'kocam oğlumu dövüyor'],
  ['tr', 'child', U, 'çocuğum kayboldu'],
  // ---- Russian
  ['ru', 'suicide', L, 'хочу покончить с собой'],
  ['ru', 'suicide', L, 'я больше не хочу жить'],
  ['ru', 'suicide', L, 'hochu umeret, vse ploho'],
  ['ru', 'violence', L, 'муж меня бьёт, помогите'],
  ['ru', 'violence', L, 'он угрожает ножом и говорит что убьет меня'],
  ['ru', 'violence', U, 'меня вчера избили на улице'],
  ['ru', 'medical', L, 'он не дышит!'],
  ['ru', 'medical', L, 'человек без сознания на вокзале'],
  ['ru', 'medical', L, 'кажется у него передозировка'],
  ['ru', 'cold', L, 'я замерзаю, сплю на улице'],
  ['ru', 'cold', L, 'не чувствую ног от холода, минус 10'],
  ['ru', 'child', L, 'ребенок совсем один на улице ночью'],
  ['ru', 'child', L, 'сожитель бьет моего сына'],
  ['ru', 'child', U, 'пропала дочь, ей 12 лет'],
  // ---- Ukrainian
  ['uk', 'suicide', L, 'хочу померти, сил немає'],
  ['uk', 'suicide', L, 'думаю накласти на себе руки'],
  ['uk', 'suicide', L, 'не хочу більше жити'],
  ['uk', 'violence', L, 'чоловік мене б’є'],
  ['uk', 'violence', L, 'він погрожує ножем і каже що вб’є мене'],
  ['uk', 'violence', U, 'мене зґвалтували вчора'],
  ['uk', 'medical', L, 'він не дихає'],
  ['uk', 'medical', L, 'жінка без свідомості на зупинці'],
  ['uk', 'medical', L, 'здається, передозування'],
  ['uk', 'cold', L, 'я замерзаю на вулиці'],
  ['uk', 'cold', L, 'не відчуваю ніг, дуже холодно'],
  ['uk', 'child', L, 'дитина зовсім сама на вулиці вночі'],
  ['uk', 'child', L, 'вітчим б’є мого сина'],
  ['uk', 'child', U, 'зникла дитина, їй 10 років'],
];

/** Ordinary messages to the line: services, complaints, sleeping, food, a doctor. None is an emergency. */
const ORDINARY: Array<[Lang, string]> = [
  ['nl', 'waar kan ik vannacht slapen in anderlecht?'],
  ['nl', 'ik wil een klacht indienen over de opvang, ze waren onbeleefd'],
  ['nl', 'waar is er gratis eten op zondag'],
  ['nl', 'ik zoek een dokter voor mijn kind'],
  ['nl', 'heeft mijn kind alleen recht op een plek als ik ingeschreven ben?'],
  ['fr', 'où est-ce que je peux dormir ce soir, il fait froid'],
  ['fr', 'comment porter plainte contre le centre qui m a refusé'],
  ['fr', 'un médecin pour mon enfant svp'],
  ['fr', 'je suis seule avec mon enfant, je cherche un logement'],
  ['fr', "mon proprio me menace de m'expulser, que faire ?"],
  ['fr', 'je meurs de faim, où manger ce midi'],
  ['fr', 'les enfants seuls sont acceptés au centre ?'],
  ['en', 'how do I complain about the violence in my shelter last year'],
  ['en', "where can I sleep tonight, it's cold"],
  ['en', 'doctor for my child'],
  ['en', 'my landlord is kicking me out next week'],
  ['en', 'where can I get food for free near the station'],
  ['en', 'the office is not responding to my emails'],
  ['en', 'this queue is killing me'],
  ['en', 'he beat me at chess yesterday'],
  ['ar', 'أين يمكنني أن أنام الليلة؟'],
  ['ar', 'أريد طبيبا لابني'],
  ['ar', 'فين نقدر ناكل اليوم'],
  ['es', '¿dónde puedo dormir esta noche?'],
  ['es', 'quiero quejarme del albergue, la comida era mala'],
  ['es', 'necesito un médico para mi hijo'],
  ['es', 'estoy sola con mi niño y necesito ayuda con el alquiler'],
  ['es', 'mi hijo solo tiene 5 años, ¿hay plaza para nosotros?'],
  ['pt', 'onde posso dormir esta noite?'],
  ['pt', 'preciso de um médico para a minha filha'],
  ['pt', 'quero fazer uma queixa sobre o centro'],
  ['ro', 'unde pot dormi in seara asta?'],
  ['ro', 'am nevoie de un doctor pentru copilul meu'],
  ['ro', 'unde gasesc mancare gratuita'],
  ['pl', 'gdzie moge dzisiaj spac?'],
  ['pl', 'potrzebuje lekarza dla dziecka'],
  ['pl', 'chce zlozyc skarge na schronisko'],
  ['bg', 'къде мога да спя довечера?'],
  ['bg', 'търся лекар за детето си'],
  ['bg', 'къде има безплатна храна'],
  ['bg', 'детето ми има само една обувка'],
  ['tr', 'bu gece nerede kalabilirim?'],
  ['tr', 'çocuğum için doktor lazım'],
  ['tr', 'barınak hakkında şikayet etmek istiyorum'],
  ['tr', 'yalnız bir sorum var: çocuk doktoru nerede'],
  ['ru', 'где можно переночевать сегодня?'],
  ['ru', 'нужен врач для ребенка'],
  ['ru', 'хочу пожаловаться на приют, там холодно'],
  ['ru', 'у меня один ребенок, нужна помощь с жильем'],
  ['uk', 'де можна переночувати сьогодні?'],
  ['uk', 'потрібен лікар для дитини'],
  ['uk', 'хочу поскаржитися на притулок'],
];

describe('detectSafety', () => {
  it('has at least 2 triggers per kind in each of the 12 languages (and 120 in all)', () => {
    expect(TRIGGERS.length).toBeGreaterThanOrEqual(120);
    for (const lang of SUPPORTED_LANGS) {
      for (const kind of SAFETY_KINDS) {
        expect(TRIGGERS.filter(([l, k]) => l === lang && k === kind).length, `${lang} ${kind}`).toBeGreaterThanOrEqual(2);
      }
      expect(ORDINARY.filter(([l]) => l === lang).length, `${lang} ordinary`).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(TRIGGERS)('%s %s (%s): "%s"', (lang, kind, priority, text) => {
    expect(detectSafety(text, lang)).toEqual({ kind, priority });
    // The conversation language may be wrong or unknown on a first short message: the trigger still fires.
    expect(detectSafety(text)).toEqual({ kind, priority });
    expect(detectSafety(text, lang === 'en' ? 'fr' : 'en')).toEqual({ kind, priority });
  });

  it.each(ORDINARY)('%s ordinary: "%s" raises nothing', (lang, text) => {
    expect(detectSafety(text, lang)).toBeUndefined();
    expect(detectSafety(text)).toBeUndefined();
  });

  it('gives a life at risk precedence over an urgent matter, whatever their order in the message', () => {
    expect(detectSafety('my boyfriend hit me yesterday and now my friend is not breathing')).toEqual({ kind: 'medical', priority: 'life' });
    expect(detectSafety("j'ai été violée l'an dernier et maintenant je veux mourir")).toEqual({ kind: 'suicide', priority: 'life' });
  });

  it('reads negative temperatures written with a sign, but not ranges or mild ones', () => {
    expect(detectSafety('het is -9 graden en ik slaap buiten')).toEqual({ kind: 'cold', priority: 'life' });
    expect(detectSafety('il fait −12°C cette nuit')).toEqual({ kind: 'cold', priority: 'life' });
    expect(detectSafety('young people 18-25 need a place')).toBeUndefined();
    expect(detectSafety('it is -2 outside, where can I sleep')).toBeUndefined();
  });

  it('lets an exclusion cancel the trigger it overlaps, not the others', () => {
    expect(detectSafety("I'm not suicidal, I just need a bed")).toBeUndefined();
    expect(detectSafety('je ne veux pas mourir dans la rue, aidez-moi à trouver un lit')).toBeUndefined();
    expect(detectSafety('I am alone with my kid and he is not breathing')).toEqual({ kind: 'medical', priority: 'life' });
  });
});

describe('safetyReply', () => {
  const cases = SUPPORTED_LANGS.flatMap((lang) => SAFETY_KINDS.map((kind) => [lang, kind] as const));

  it.each(cases)('%s %s: 112 first, the right numbers, the hand-off, at most 300 characters', (lang, kind) => {
    const reply = safetyReply({ kind, priority: 'life' }, lang);
    expect(reply.numbers).toEqual([...SAFETY_NUMBERS[kind]]);
    expect(reply.numbers[0]).toBe('112');
    for (const n of reply.numbers) expect(reply.text, `${lang} ${kind} gives ${n}`).toContain(n);
    const others = Object.values(SAFETY_NUMBERS).flat().filter((n) => !reply.numbers.includes(n) && !/^10[123]$/.test(n));
    for (const n of others) expect(reply.text, `${lang} ${kind} does not give ${n}`).not.toContain(n);
    expect(reply.text.length).toBeLessThanOrEqual(300);
    // 112 comes before any other number.
    const at112 = reply.text.indexOf('112');
    for (const n of reply.numbers.slice(1)) expect(reply.text.indexOf(n)).toBeGreaterThan(at112);
    expect(reply.text).not.toMatch(/safety\./); // a missing key would show its name
  });

  it('uses the number lists the brief and public facts give', () => {
    expect(SAFETY_NUMBERS).toEqual({
      suicide: ['112', '1813', '0800 32 123'],
      violence: ['112', '101', '1712', '0800 30 030'],
      medical: ['112'],
      cold: ['112', '0800 99 340'],
      child: ['112', '116 000', '102', '103'],
    });
  });

  it('is in the language asked (each language has its own text) and ends with the hand-off', () => {
    const texts = new Set(SUPPORTED_LANGS.map((lang) => safetyReply({ kind: 'cold', priority: 'life' }, lang).text));
    expect(texts.size).toBe(12);
    expect(safetyReply({ kind: 'medical', priority: 'life' }, 'en').text).toMatch(/take over now\.$/);
    expect(safetyReply({ kind: 'medical', priority: 'life' }, 'fr').text).toMatch(/prendre le relais\.$/);
  });
});

describe('safety locale keys and vocabulary', () => {
  const localesDir = fileURLToPath(new URL('../../locales/', import.meta.url));

  it.each([...SUPPORTED_LANGS])('%s has every safety key as a non-empty string', (lang) => {
    const tree = JSON.parse(readFileSync(`${localesDir}${lang}/translation.json`, 'utf8')) as Record<string, unknown>;
    const safety = tree['safety'] as Record<string, unknown> | undefined;
    expect(safety, `${lang}: safety section`).toBeDefined();
    for (const key of [...SAFETY_KINDS, 'handoff']) {
      expect(typeof safety?.[key], `${lang}: safety.${key}`).toBe('string');
      expect((safety?.[key] as string).trim()).not.toBe('');
    }
  });

  it('has vocabulary for every kind in every language, and no malformed phrase', () => {
    const raw = JSON.parse(readFileSync(fileURLToPath(new URL('../../conversation/safety-words.json', import.meta.url)), 'utf8')) as {
      kinds: Record<string, Record<string, Record<string, string[]>>>;
    };
    for (const kind of SAFETY_KINDS) {
      for (const lang of SUPPORTED_LANGS) {
        expect(raw.kinds[kind]?.['life']?.[lang]?.length ?? 0, `${kind} ${lang}`).toBeGreaterThanOrEqual(5);
      }
    }
    expect(() => loadSafetyWords()).not.toThrow();
    // Prefixes need at least 3 letters, or they would match half the dictionary.
    for (const tiers of Object.values(raw.kinds)) {
      for (const byLang of Object.values(tiers)) {
        for (const phrases of Object.values(byLang)) {
          for (const p of phrases) for (const w of p.split(/\s+/)) if (w.endsWith('*')) expect(w.length, p).toBeGreaterThanOrEqual(4);
        }
      }
    }
    expect(() => compilePhrase('.. dood', 'nl')).toThrow();
  });
});
