/** Normalisation, tokenisation and stemming shared by the lexicon matcher and the offline embedder. */
import { stemmer as ar } from '@orama/stemmers/arabic';
import { stemmer as bg } from '@orama/stemmers/bulgarian';
import { stemmer as nl } from '@orama/stemmers/dutch';
import { stemmer as en } from '@orama/stemmers/english';
import { stemmer as fr } from '@orama/stemmers/french';
import { stemmer as pt } from '@orama/stemmers/portuguese';
import { stemmer as ro } from '@orama/stemmers/romanian';
import { stemmer as ru } from '@orama/stemmers/russian';
import { stemmer as es } from '@orama/stemmers/spanish';
import { stemmer as tr } from '@orama/stemmers/turkish';
import { stemmer as uk } from '@orama/stemmers/ukrainian';
import type { Lang } from '../../conversation/languages.js';

/** Snowball stemmers per language (Orama's ports); Polish has none, so it relies on the lexicon's stems. */
const STEMMERS: Partial<Record<Lang, (w: string) => string>> = { ar, bg, nl, en, fr, pt, ro, ru, es, tr, uk };

const ARABIC_DIACRITICS = /[\u064B-\u065F\u0670\u0640]/g;

/** Lower-cases and folds what people leave out when texting: accents (Latin), tashkeel and alef forms (Arabic), ё. */
export function normalize(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(/[’‘`´]/g, "'");
  // Latin diacritics: decompose and drop combining marks, but keep Cyrillic й/ї and Arabic intact.
  s = s.replace(/[\u00C0-\u024F\u1E00-\u1EFF]/g, (ch) => ch.normalize('NFD').replace(/\p{M}/gu, ''));
  s = s.replace(/ё/g, 'е');
  s = s.replace(ARABIC_DIACRITICS, '').replace(/[أإآ]/g, 'ا').replace(/ة/g, 'ه').replace(/ى/g, 'ي');
  return s;
}

/** Splits normalised text into word tokens (letters and digits; apostrophes split French elisions). */
export function tokenize(text: string): string[] {
  return normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Stems a normalised token with the language's Snowball stemmer (identity when there is none). */
export function stem(token: string, lang: Lang): string {
  const fn = STEMMERS[lang];
  if (!fn || token.length < 4 || /^\d+$/.test(token)) return token;
  try {
    return fn(token);
  } catch {
    return token;
  }
}

/** True for tokens written in the Latin alphabet (character n-grams only help between Latin-script words). */
export function isLatin(token: string): boolean {
  return /^[a-z0-9]+$/.test(token);
}

/** Arabic clitics people write glued to words: و (and), ف, ب, ل, ك and the article ال. */
export function arabicVariants(token: string): string[] {
  if (!/[\u0600-\u06FF]/.test(token)) return [token];
  const out = new Set<string>([token]);
  let t = token;
  if (t.length > 3 && (t.startsWith('و') || t.startsWith('ف'))) {
    t = t.slice(1);
    out.add(t);
  }
  for (const p of ['بال', 'لل', 'كال', 'فال', 'ال', 'ب', 'ل', 'ك']) {
    if (t.startsWith(p) && t.length - p.length >= 2) out.add(t.slice(p.length));
  }
  return [...out];
}

/** Very frequent words that carry no topic, per language (normalised form). */
const STOPWORDS_RAW: Record<string, string> = {
  nl: 'de het een en van in op te voor met is zijn die dat er aan om bij of ook als door naar uit niet tot worden wordt werd deze dit wat wie waar hoe kan kunnen moet moeten zal zullen ik je jij u we wij ze zij hij mijn mn me mij ons onze hun hen haar zo nog al maar dan want geen meer wel heel over onder tussen per via zich hebben heeft had was waren zou zouden ben bent',
  fr: 'le la les un une des de du et en au aux ou a est sont pour par sur dans avec ce cet cette ces qui que quoi quand comment ou je tu il elle on nous vous ils elles me te se mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs ne pas plus y il ai as avoir etre suis es sommes etes peut peux faire fait qqn qqch svp stp',
  en: 'the a an and or of in on to for with is are was were be been it its this that these those what who where how when can could should would will i you he she we they me my mine your our their them him her us do does did have has had not no yes any some there here from at by as if so about into',
  es: 'el la los las un una unos unas de del y o en a con por para que es son esta estoy mi mis tu su sus me te se lo le les como donde cuando quien hay puedo puede',
  pt: 'o a os as um uma de do da dos das e ou em no na nos nas com por para que e sou esta estou meu minha eu me te se como onde quando quem ha posso pode',
  ro: 'si sau de la in pe cu pentru ca ce care este sunt eu tu el ea noi voi ei ele meu mea mi ma te se un o unde cum cand cine pot poate nu da',
  pl: 'i w na z do o a ze sie nie to jest sa ja ty on ona my wy oni mi mnie moj moja jak gdzie kiedy kto czy co moge moze',
  tr: 've veya bir bu su o ben sen biz siz onlar icin ile de da mi mu ne nerede nasil kim var yok ama cok',
  ru: 'и в на с по к о от до за из у не что это как где когда кто я ты он она мы вы они мне меня мой моя есть ли или а но же бы',
  uk: 'і й в у на з до за від про не що це як де коли хто я ти він вона ми ви вони мені мене мій моя є чи або а але',
  bg: 'и в на с по към от до за не че това как къде кога кой аз ти той тя ние вие те ми мен моя мой е са ли или а но да',
  ar: 'في من الى على عن مع هذا هذه ذلك التي الذي انا انت هو هي نحن هم ما ماذا كيف اين متى هل او و لا',
};
export const STOPWORDS: ReadonlySet<string> = new Set(
  Object.values(STOPWORDS_RAW).flatMap((s) => s.split(' ').map((w) => normalize(w))),
);
