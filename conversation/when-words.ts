/**
 * "Now" and "tonight" in the 12 languages, as people text them: they turn into the directory's opening filter.
 * Input vocabulary, not user-facing text (that goes through i18next).
 */
import { normalize, tokenize } from '../knowledge/embeddings/text.js';

const TONIGHT = [
  'vannacht', 'vanavond', 'deze nacht', 'ce soir', 'cette nuit', 'cet nuit', 'tonight', 'tonite', 'this evening', 'this night',
  'الليلة', 'هذه الليلة', 'esta noche', 'esta noite', 'hoje a noite', 'diseara', 'in seara asta', 'la noapte', 'noaptea asta',
  'dzis wieczorem', 'dzisiaj w nocy', 'dzis w nocy', 'tej nocy', 'na noc', 'тази нощ', 'довечера', 'bu gece', 'bu aksam',
  'сегодня ночью', 'этой ночью', 'сегодня вечером', 'на ночь', 'сьогодні вночі', 'цієї ночі', 'сьогодні ввечері', 'на ніч',
];
const NOW = [
  'nu open', 'meteen', 'nu meteen', 'maintenant', 'tout de suite', 'ouvert maintenant', 'now', 'right now', 'open now', 'atm',
  'الآن', 'الان', 'حالا', 'ahora', 'agora', 'acum', 'acuma', 'teraz', 'сега', 'simdi', 'hemen', 'сейчас', 'зараз',
];

function compile(words: string[]): string[][] {
  return words.map((w) => tokenize(normalize(w)));
}
const TONIGHT_T = compile(TONIGHT);
const NOW_T = compile(NOW);

function contains(tokens: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** The opening a question asks about: "tonight", "now", or nothing said. */
export function whenAsked(text: string): 'tonight' | 'now' | undefined {
  const tokens = tokenize(normalize(text));
  if (TONIGHT_T.some((p) => p.length && contains(tokens, p))) return 'tonight';
  if (NOW_T.some((p) => p.length && contains(tokens, p))) return 'now';
  return undefined;
}
