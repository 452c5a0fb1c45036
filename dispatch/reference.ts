/**
 * Reference numbers people can read out on the phone or type from an SMS: a letter prefix and random characters
 * of Crockford's base32 ("R-7K3Q9P"). The alphabet leaves out I, L, O and U, so nothing reads as 1, 0 or V;
 * `parseReference` also folds what people mistype (o → 0, i/l → 1, lower case, spaces, missing dash).
 */
import { randomBytes } from 'node:crypto';

/** Crockford's base32 alphabet: digits and letters without I, L, O, U. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Default length of the random part: 32^6 ≈ 10^9 values, so collisions are rare and retried. */
export const REFERENCE_LENGTH = 6;

/**
 * A new random reference: `<prefix>-<length characters>`; 'R' for street reports, 'H' for hand-offs.
 * One random byte per character, masked to 5 bits: 256 is a multiple of 32, so every character is equally likely.
 */
export function newReference(prefix = 'R', length = REFERENCE_LENGTH): string {
  if (!/^[A-Z]{1,3}$/.test(prefix)) throw new Error(`A reference prefix is 1 to 3 capital letters, not "${prefix}"`);
  if (!Number.isInteger(length) || length < 4 || length > 16) throw new Error(`A reference has 4 to 16 characters, not ${length}`);
  const bytes = randomBytes(length);
  let body = '';
  for (const b of bytes) body += CROCKFORD_ALPHABET[b & 31];
  return `${prefix}-${body}`;
}

/**
 * The canonical form of a reference someone typed ("r 7k3q9p", "R-7K3O9P" with a letter O), or undefined when it
 * cannot be one. With `prefix`, only that prefix is accepted (and it may be glued to the body: "R7K3Q9P").
 * Without it, the prefix is what comes before the dash, or the first letter.
 */
export function parseReference(input: string, prefix?: string): string | undefined {
  const upper = input.trim().toUpperCase();
  let p: string;
  let rawBody: string;
  if (prefix !== undefined) {
    const compact = upper.replace(/[\s\-_.]/g, '');
    if (!compact.startsWith(prefix)) return undefined;
    p = prefix;
    rawBody = compact.slice(prefix.length);
  } else {
    const m = /^([A-Z]{1,3})\s*[-_.\s]\s*(.+)$/.exec(upper) ?? /^([A-Z])(.+)$/.exec(upper);
    if (!m) return undefined;
    p = m[1]!;
    rawBody = m[2]!.replace(/[\s\-_.]/g, '');
  }
  const body = rawBody.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (body.length < 4 || body.length > 16 || ![...body].every((c) => CROCKFORD_ALPHABET.includes(c))) return undefined;
  return `${p}-${body}`;
}
