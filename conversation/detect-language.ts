/**
 * Language detection for short, informal help-line messages (SMS style, no accents, typos).
 *
 * Pipeline: strip language-neutral tokens (Brussels places, institutions, numbers) -> pick the script
 * group (Arabic / Cyrillic / Latin) -> n-gram scores from eld restricted to that group -> add cheap
 * evidence (letters unique to one language, frequent function words and texting forms) -> fall back
 * on the conversation's prior language when the text is too short, neutral or ambiguous.
 * Synchronous and ~0.05 ms per message once the eld tables are loaded (~0.4 s at import).
 */
// eld: best of eld/tinyld/franc on our SMS test set (97.5% raw vs 95% tinyld, 78% franc), ~30x faster than tinyld;
// 'medium' DB because ELD's own benchmark shows it clearly better than XS/S on word pairs (88% vs 85%), ~70 MB RAM.
import { eld } from 'eld/medium';
import { SUPPORTED_LANGS, isLang, type Lang } from './languages.ts';

export interface LanguageDetection {
  lang: Lang;
  /** Probability-like share of the winner among its script group, 0..1 (0 when nothing was detected). */
  confidence: number;
  /** False when the text was too short/neutral/ambiguous and the prior (or the default) was used. */
  reliable: boolean;
  /** Up to 3 best languages, best first, scores summing to <= 1. */
  candidates: Array<{ lang: Lang; score: number }>;
}

/** Without a prior we answer French: the majority language in Brussels and of callers to the line. */
export const DEFAULT_LANG: Lang = 'fr';

eld.setLanguageSubset([...SUPPORTED_LANGS]);

const LATIN: readonly Lang[] = ['nl', 'fr', 'en', 'es', 'pt', 'ro', 'pl', 'tr', 'ar']; // ar: Arabizi ("3afak")
const CYRILLIC: readonly Lang[] = ['ru', 'uk', 'bg'];

/** Multi-word place names removed before scoring: they belong to no language and mislead n-grams. */
const NEUTRAL_PHRASES =
  /\b(gare\s+(du\s+|de\s+l['’ ]?)?(midi|nord|centrale?|ouest)|pierre\s+d['’ ]?angle|porte\s+de\s+(hal|namur)|samu\s*social)\b|(гар|гаре)\s+дю\s+(миди|міді|норд)/giu;
/** Single tokens that carry no language: places, institutions, loan words everyone in Brussels uses. */
const NEUTRAL = new Set(
  ('cpas ocmw samusocial samu bxl brussel brussels bruxelles bruselas bruxelas bruksela brukseli brüksel bruksel ' +
    'midi nord zuid noord zuidstation noordstation centraal flagey louise rogier botanique bourse beurs anderlecht ' +
    'molenbeek schaerbeek schaarbeek ixelles elsene etterbeek jette uccle ukkel forest vorst saint gilles ' +
    'sint stib mivb metro sms whatsapp wifi gsm id ok oke okay okey okk wtf lol mdr ' +
    'брюксел брюссель брюсселі брюсселе брюсселя брюкселі цпас ocmw самусосиал самусосьяль самусосіаль самусоциал ' +
    'ок окей السيباس السامو سوسيال بروكسل بروكسيل').split(' '),
);
/** Words used across languages in Brussels: a message made only of these keeps the prior. */
const WEAK = new Set('salam merci mersi thanks thank thx sorry hello hi hallo salut bonjour bye ciao please pls plz yes no si ja da oui nee non help sos'.split(' '));

/** Frequent short words and texting forms, chosen to be (nearly) exclusive to one language. */
const WORDS: Record<Lang, string> = {
  nl: 'ik mn mijn je jij het een niet geen wat waar wanneer hoe heb hebt ben kan kunnen moet wil ook nog naar bij aub ' +
    'alsjeblieft alstublieft dank bedankt goeiemorgen goedemorgen goeiedag dag hoi vannacht vandaag slapen eten ' +
    'ge gij zijn zit nie nx niks iemand wrm mss ocmw',
  fr: 'je j jai jsuis chui jsp jsais pas suis est cest c qqn qqch qq pq pk pr svp stp bonjour bonsoir slt cc vous nous ' +
    'avec pour dans quoi comment combien quand ya yaura aide aidez moi mon mes les des une du au aux rien dehors ' +
    'ce soir nuit faim froid bcp tjrs mtn dodo merci coucou',
  en: 'i im my the is are you u pls plz please thanks thx need where what when how can cant dont have got nowhere ' +
    'tonight today sleep food hungry someone anyone help hi hello yes',
  ar: 'salam wach wesh khoya khouya bghit bghina chi kayn kayen makla lyoum 3afak 3fak inchallah inshallah ' +
    'hamdoulah hamdullah choukran chokran chukran bzaf wallah yallah daba',
  es: 'que q xq porfa xfa tengo donde estoy hola gracias buenos buenas necesito ayuda ayudar puedo y el los las del ' +
    'hay hace mucho muy ahora aqui alli nada nadie sitio calle dinero hambre frio noche hoy quiero tambien',
  pt: 'nao não tenho onde estou ta tá obrigado obrigada ola olá bom boa preciso ajuda posso meu minha os um uma ' +
    'voce você vc vcs pra pro com sem muito agora sei quero tem oq em isso fome dinheiro rua hoje noite obg alguem',
  ro: 'nu sa să si și ma mă unde este pot vreau buna bună ziua multumesc mulțumesc mersi va vă rog ce fac cu pe din ' +
    'nimic acum mai foarte noapte strada bani mananc dorm ajutor ajuta stiu știu sunt imi îmi mea asta acolo aici ' +
    'cineva frig foame afara e am',
  pl: 'nie mam jest gdzie co sie się czy mnie moge mogę prosze proszę dzien dzień dobry dziekuje dziękuję dzieki ' +
    'jestem ze że pomoc pomocy ktos ktoś teraz juz już tak nic czesc cześć siema zimno glodny spac spać ulicy w z',
  tr: 'bir ve bu yok var mi mı mu mü ne nerede nasil nasıl ben sen bana beni benim yardim yardım lutfen lütfen ' +
    'tesekkurler teşekkürler tesekkur sagol sağol merhaba slm selam tamam evet hayir hayır abi kardesim napcam ' +
    'icin için cok çok gece para yer istiyorum gunaydin günaydın bedava yemek simdi şimdi',
  ru: 'что мне меня где есть нет как это можно помогите пожалуйста спасибо здравствуйте привет очень сегодня ' +
    'куда кто сейчас тоже мои мой ещё еще ничего денег хочу помочь ищу нужно нужна надо сколько',
  uk: 'що мені мене де немає нема як це можна допоможіть будь ласка дякую привіт добрий доброго дуже сьогодні куди ' +
    'хто зараз теж вже чи ще тут мої мій нічого грошей хочу допомогти шукаю потрібно потрібна треба',
  bg: 'съм си е ли няма нямам къде какво защо моля благодаря здравей здравейте здрасти може искам трябва да ми ме са ' +
    'от тази този това сега днес нощ кой има вече помощ нищо пари колко търся',
};
const HINTS = new Map<string, Lang[]>();
for (const lang of SUPPORTED_LANGS) {
  for (const w of WORDS[lang].split(' ')) HINTS.set(w, [...(HINTS.get(w) ?? []), lang]);
}

/** Letters that (among our 12) belong to one language: strong evidence even in a two-word text. */
const LETTERS: Array<[RegExp, Lang, number]> = [
  [/[іїєґ]/u, 'uk', 1.0],
  [/[ыэё]/u, 'ru', 1.0],
  [/ъ/u, 'bg', 0.6], // ru uses ъ only in a few words (объявление); bg uses it everywhere
  [/[ățţș]/u, 'ro', 0.6],
  [/[ąęłńśźż]/u, 'pl', 0.6],
  [/[ãõ]/u, 'pt', 0.6],
  [/[ñ¿¡]/u, 'es', 0.6],
  [/[ığ]/u, 'tr', 0.6],
  [/[èêùœ]/u, 'fr', 0.3],
  // Arabizi digits for ع ح ق inside words ("3afak", "n9der"), not ordinals like "3eme", "7j".
  [/\p{L}[2379]\p{L}|(?:^|\s)[379](?!(?:e|eme|ème|er|ere|de|ste|th|rd|nd|st|h|j|min|mn|ans|jours|dagen)(?:\s|$))\p{L}{2,}/u, 'ar', 0.5],
];

const WORD_WEIGHT = 0.25;
const ARABIZI_WORD_WEIGHT = 0.35; // eld has no Arabizi model: its words must outweigh a Latin n-gram score alone
const MAX_WORD_HITS = 4;
const SHARPNESS = 8; // softmax temperature turning additive scores into candidate shares
const MIN_LETTERS = 4; // below this many letters of real content the text is "too short"
const FULL_CONFIDENCE_LETTERS = 8; // confidence is scaled down for shorter texts
/** Institution names are neutral for n-grams but hint at the writer's language community. */
const INSTITUTIONS = new Map<string, Lang>([['ocmw', 'nl'], ['cpas', 'fr']]);
const PRIOR_MARGIN = 0.15; // prior kept when within this score of the winner

function fallback(prior: Lang | undefined): LanguageDetection {
  const lang = prior ?? DEFAULT_LANG;
  return { lang, confidence: 0, reliable: false, candidates: [] };
}

/** eld's getScores() are s = x / (x + 25) of the mean n-gram score x; invert and scale to the best. */
function eldScores(text: string, group: readonly Lang[]): Map<Lang, number> {
  const raw = new Map<Lang, number>();
  let best = 0;
  const scores = text ? eld.detect(text).getScores() : {};
  for (const [code, s] of Object.entries(scores)) {
    if (!isLang(code) || !group.includes(code) || s >= 1) continue;
    const x = (25 * s) / (1 - s);
    raw.set(code, x);
    best = Math.max(best, x);
  }
  const out = new Map<Lang, number>();
  for (const lang of group) out.set(lang, best > 0 ? (raw.get(lang) ?? 0) / best : 0);
  return out;
}

export function detectLanguage(text: string, opts?: { prior?: Lang }): LanguageDetection {
  const prior = opts?.prior && isLang(opts.prior) ? opts.prior : undefined;
  try {
    return detect(typeof text === 'string' ? text : '', prior);
  } catch {
    return fallback(prior); // never throw on user input
  }
}

function detect(text: string, prior: Lang | undefined): LanguageDetection {
  const cleaned = text.toLowerCase().normalize('NFC').replace(NEUTRAL_PHRASES, ' ').replace(/['’`]/g, '');
  const tokens = cleaned.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const content = tokens.filter((t) => !NEUTRAL.has(t) && !/^\p{N}+$/u.test(t) && /\p{L}/u.test(t));
  const body = content.join(' ');
  const letters = body.replace(/[^\p{L}]/gu, '');
  const institution = tokens.map((t) => INSTITUTIONS.get(t)).find((l) => l !== undefined);
  if (letters.length === 0) return fallback(prior ?? institution);

  const arabic = (letters.match(/[\u0600-\u06ff\u0750-\u077f]/g) ?? []).length;
  const cyrillic = (letters.match(/[\u0400-\u04ff]/g) ?? []).length;
  if (arabic * 2 > letters.length) {
    const confidence = Math.min(1, letters.length / FULL_CONFIDENCE_LETTERS);
    return { lang: 'ar', confidence, reliable: letters.length >= MIN_LETTERS, candidates: [{ lang: 'ar', score: 1 }] };
  }
  const group = cyrillic * 2 > letters.length ? CYRILLIC : LATIN;
  const weakOnly = content.every((t) => WEAK.has(t));
  // Too little to go on, but the prior is plausible for this script: keep it.
  if (prior && group.includes(prior) && (weakOnly || letters.length < MIN_LETTERS)) return fallback(prior);

  const scores = eldScores(body, group);
  const add = (lang: Lang, w: number): void => {
    if (scores.has(lang)) scores.set(lang, (scores.get(lang) ?? 0) + w);
  };
  for (const [re, lang, w] of LETTERS) if (re.test(body)) add(lang, w);
  if (group === CYRILLIC && /ь(?!о)/u.test(body)) add('bg', -0.5); // bg writes ь only before о
  const hits = new Map<Lang, number>();
  for (const t of content) {
    for (const lang of HINTS.get(t) ?? []) hits.set(lang, (hits.get(lang) ?? 0) + 1 / (HINTS.get(t)?.length ?? 1));
  }
  for (const [lang, n] of hits) add(lang, (lang === 'ar' ? ARABIZI_WORD_WEIGHT : WORD_WEIGHT) * Math.min(n, MAX_WORD_HITS));
  if (institution) add(institution, 0.1);

  // Softmax over the script group gives comparable candidate shares.
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  if (!top || top[1] <= 0) return fallback(prior && group.includes(prior) ? prior : undefined);
  const exps = ranked.map(([lang, s]) => [lang, Math.exp(SHARPNESS * (s - top[1]))] as const);
  const total = exps.reduce((sum, [, e]) => sum + e, 0);
  const candidates = exps.slice(0, 3).map(([lang, e]) => ({ lang, score: Math.round((e / total) * 1000) / 1000 }));
  let lang = top[0];
  let confidence = (candidates[0]?.score ?? 0) * Math.min(1, letters.length / FULL_CONFIDENCE_LETTERS);
  let reliable = !weakOnly && letters.length >= MIN_LETTERS && confidence >= 0.7;

  // Ambiguous (es/pt, ru/uk, nl/en...) and the prior is a close contender: stay in the conversation's language.
  const priorScore = prior ? scores.get(prior) : undefined;
  if (prior && prior !== lang && priorScore !== undefined && top[1] - priorScore < PRIOR_MARGIN) {
    lang = prior;
    confidence = candidates.find((c) => c.lang === prior)?.score ?? confidence;
    reliable = false;
  }
  return { lang, confidence, reliable, candidates };
}
