/**
 * Ages people give about themselves or someone else ("I'm 16", "j'ai 20 ans", "мне 20 лет", "عمره ١٦ سنة")
 * turned into the directory's target groups: under 18 → minors-youth, 18-25 → young-adults, 65+ → elderly.
 * Only ages said as ages count: "depuis 2 ans" (for two years) is a duration, not an age.
 */
import { normalize } from '../knowledge/embeddings/text.js';

/** Age phrasings per language; group 1 is the age. Text is normalised first (lower case, Latin accents folded). */
const PATTERNS: RegExp[] = [
  /\b(?:i'?m|i am|he'?s|she'?s|he is|she is|aged)\s+(\d{1,2})\b(?!\s*(?:euro|eur|€|%|km|min|h\b))/u,
  /\b(\d{1,2})\s*(?:years?|yrs?|y\.?o\.?)\s*old\b/u,
  /\b(\d{1,2})\s*yo\b/u,
  /\b(?:ik ben|ben|hij is|zij is|ze is)\s+(\d{1,2})(?:\s*jaar)?\b(?!\s*(?:euro|eur|€|dagen|weken|maanden|uur|keer))/u,
  /\b(\d{1,2})\s*jaar\s*oud\b/u,
  /\b(?:j'?ai|age de|agee de)\s+(\d{1,2})\s*ans\b/u,
  // "mon fils a 14 ans", but not "il y a 2 ans" (two years ago).
  /(?<!\by\s)\ba\s+(\d{1,2})\s*ans\b/u,
  /\b(?:tengo|tiene)\s+(\d{1,2})\s*anos\b/u,
  /\b(?:tenho|tem)\s+(\d{1,2})\s*anos\b/u,
  /\b(?:am|are)\s+(\d{1,2})\s*(?:de\s+)?ani\b/u,
  /\b(?:mam|ma)\s+(\d{1,2})\s*(?:lat|lata)\b/u,
  /(?:^|\s)(?:на)\s+(\d{1,2})\s*(?:години|год|г\.)(?=\s|$|[.,!?])/u,
  /(?:^|\s)(\d{1,2})\s*годишн/u,
  /\b(\d{1,2})\s*yas[iı]nda/u,
  /(?:^|\s)(?:мне|ему|ей|мені|йому|їй)\s+(\d{1,2})(?=\s|$|[.,!?])/u,
  /(?:عمري|عمره|عمرها|عمر)\s*(\d{1,2})/u,
];

/** Arabic-Indic and Persian digits as ASCII digits. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90 % 10));
}

/** The first age stated in the text, if any (between 1 and 99). */
export function statedAge(text: string): number | undefined {
  const s = normalize(asciiDigits(text));
  for (const re of PATTERNS) {
    const m = re.exec(s);
    if (m) {
      const age = Number(m[1]);
      if (age >= 1 && age <= 99) return age;
    }
  }
  return undefined;
}

/** Target groups implied by an age stated in the text. */
export function ageGroups(text: string): string[] {
  const age = statedAge(text);
  if (age === undefined) return [];
  if (age < 18) return ['minors-youth'];
  if (age <= 25) return ['young-adults'];
  if (age >= 65) return ['elderly'];
  return [];
}
