/** Re-joining hard-wrapped lines, with the hyphenation decisions that implies. */

/** Word forms of a text (lower case, hyphenated forms kept whole), to check which spelling the text itself uses. */
export function vocabulary(lines: string[]): Set<string> {
  const v = new Set<string>();
  for (const l of lines) for (const w of l.toLowerCase().match(/[\p{L}\d]+(?:-[\p{L}\d]+)*/gu) ?? []) v.add(w);
  return v;
}

// Prefixes written with a hyphen in Dutch ("niet-uitoefening", "ex-gedetineerden", "pop-upsystemen").
const HYPHEN_PREFIXES = new Set(['niet', 'ex', 'anti', 'non', 'socio', 'pop', 'co', 'e', 'pre', 'post', 'semi', 'oud', 'half']);
const VOWEL = /[aeiouyàâäéèêëïîôöüû]/i;

/**
 * Join a wrapped line to the text before it.
 * "woning-" + "verlies" → "woningverlies" (hyphenation), "gezondheids-" + "en sociale" → "gezondheids- en sociale"
 * (compound ellipsis), "SPOC-" + "opdrachten" → "SPOC-opdrachten" (real compound hyphen).
 */
export function joinWrapped(prev: string, next: string, vocab: Set<string>): string {
  const hy = prev.match(/([\p{L}\d]+(?:-[\p{L}\d]+)*)-$/u);
  if (hy) {
    if (/^(?:en|of|tot|en\/of|als|noch)\b/.test(next)) return `${prev} ${next}`;
    const word = hy[1] ?? '';
    const nextWord = next.match(/^[\p{L}\d]+/u)?.[0] ?? '';
    if (!nextWord) return `${prev} ${next}`;
    const head = word.split('-').at(-1) ?? word;
    const joined = `${word}${nextWord}`.toLowerCase();
    const hyphened = `${word}-${nextWord}`.toLowerCase();
    let keep: boolean;
    if (vocab.has(hyphened) && !vocab.has(joined)) keep = true;
    else if (vocab.has(joined)) keep = false;
    else
      keep =
        /\d$/.test(head) ||
        /^\d/.test(nextWord) ||
        /^\p{Lu}/u.test(nextWord) ||
        /^\p{Lu}{2,}$/u.test(head) ||
        HYPHEN_PREFIXES.has(head.toLowerCase()) ||
        // Dutch writes a hyphen where two vowels meet: "armoede-impactmeting", "socio-éducatif".
        (VOWEL.test(head.slice(-1)) && VOWEL.test(nextWord.charAt(0)));
    return keep ? prev + next : prev.slice(0, -1) + next;
  }
  if (/[\p{L}]\/$/u.test(prev)) return prev + next; // "en/" + "of"
  return `${prev} ${next}`;
}
