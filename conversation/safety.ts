/**
 * Safety interrupts: a channel-free detector for messages that say a life may be in danger (suicide or self-harm,
 * violence, a medical emergency, extreme cold, a child in danger), and the emergency reply for each.
 *
 * The trigger vocabulary is conversation/safety-words.json (input vocabulary, not user-facing text). Its phrases are
 * matched on the project's normalisation (knowledge/embeddings/text.ts) as sequences of tokens:
 * - `word` matches that token exactly (after normalisation: lower case, Latin accents folded, Arabic tashkeel and
 *   alef forms folded, ё → е; here also ı → i and ł → l, which people without the keyboard type as i and l);
 * - `word*` matches any token that starts with `word` (a stem);
 * - `..` lets up to `gap` (3) other tokens stand in between ("mon mari .. frappe" for "mon mari me frappe");
 * - `#` matches a number token;
 * - Arabic tokens are also tried without the glued clitics (و ف ب ل ك and ال).
 * Phrases of all 12 languages are always tried, whatever the conversation language: people mix languages, and a
 * short first message's language is a guess that must never hide an emergency. (Snowball stems are not used: they
 * merge tenses and numbers, "il m'a frappée" vs "il me frappe", "un enfant seul" vs "les enfants seuls".)
 *
 * A phrase listed under "exclude" (e.g. "not suicidal", "je meurs de faim") cancels any trigger it overlaps.
 * The reply is built only from the i18n keys under "safety" (locales/<lang>/translation.json).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arabicVariants, normalize, tokenize } from '../knowledge/embeddings/text.js';
import { tFor } from './i18n.js';
import { SUPPORTED_LANGS, type Lang } from './languages.js';

export const SAFETY_KINDS = ['suicide', 'violence', 'medical', 'cold', 'child'] as const;
export type SafetyKind = (typeof SAFETY_KINDS)[number];
export type SafetyPriority = 'life' | 'urgent';

export interface SafetyAlert {
  kind: SafetyKind;
  priority: SafetyPriority;
}

/** Public numbers given per kind (../shared/public-facts.md), in the order the message gives them. */
export const SAFETY_NUMBERS: Readonly<Record<SafetyKind, readonly string[]>> = {
  suicide: ['112', '1813', '0800 32 123'],
  violence: ['112', '101', '1712', '0800 30 030'],
  medical: ['112'],
  cold: ['112', '0800 99 340'],
  child: ['112', '116 000', '102', '103'],
};

/** When several kinds match at the same priority, the first of this order wins (a child not breathing is medical; violence lines also cover child abuse). */
const PRECEDENCE: readonly SafetyKind[] = ['medical', 'suicide', 'violence', 'child', 'cold'];

type Tier = Partial<Record<Lang | 'all', string[]>>;
export interface SafetyWordsFile {
  gap: number;
  kinds: Record<SafetyKind, Partial<Record<SafetyPriority, Tier>>>;
  exclude: Tier;
}

type Word = { kind: 'word'; w: string; prefix: boolean } | { kind: 'gap' } | { kind: 'number' };
interface Phrase {
  source: string;
  lang: Lang | 'all';
  words: Word[];
}
interface CompiledTier {
  kind: SafetyKind;
  priority: SafetyPriority;
  phrases: Phrase[];
}

export const SAFETY_WORDS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'safety-words.json');

/** Extra folding on top of `normalize`: letters people type without the keyboard that has them. */
function fold(token: string): string {
  return token.replace(/ı/g, 'i').replace(/ł/g, 'l').replace(/ß/g, 'ss');
}

/** Tokens of a text, normalised as the project does, plus the safety folding. */
export function safetyTokens(text: string): string[] {
  // Turkish İ lower-cases to i + a combining dot that would split the word; ʼ (U+02BC) is the Ukrainian apostrophe.
  const pre = asciiDigits(text).replace(/İ/g, 'i').replace(/\u0307/g, '').replace(/ʼ/g, "'");
  return tokenize(pre).map(fold);
}

function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** Compiles one phrase of the vocabulary; throws on a malformed one so a bad edit fails loudly. */
export function compilePhrase(source: string, lang: Lang | 'all'): Phrase {
  const words: Word[] = [];
  for (const part of source.trim().split(/\s+/)) {
    if (part === '..') {
      words.push({ kind: 'gap' });
      continue;
    }
    if (part === '#') {
      words.push({ kind: 'number' });
      continue;
    }
    const prefix = part.endsWith('*');
    const toks = safetyTokens(prefix ? part.slice(0, -1) : part);
    if (!toks.length) throw new Error(`safety-words: "${source}" (${lang}) has an empty word "${part}"`);
    toks.forEach((w, i) => words.push({ kind: 'word', w, prefix: prefix && i === toks.length - 1 }));
  }
  const first = words[0];
  const last = words[words.length - 1];
  if (!first || first.kind === 'gap' || !last || last.kind === 'gap') {
    throw new Error(`safety-words: "${source}" (${lang}) must start and end with a word`);
  }
  return { source, lang, words };
}

function compileTier(tier: Tier | undefined): Phrase[] {
  const out: Phrase[] = [];
  for (const lang of ['all', ...SUPPORTED_LANGS] as const) {
    for (const p of tier?.[lang] ?? []) out.push(compilePhrase(p, lang));
  }
  return out;
}

interface Compiled {
  gap: number;
  tiers: CompiledTier[];
  exclude: Phrase[];
}

let compiled: Compiled | undefined;

/** Reads and compiles safety-words.json once. */
export function loadSafetyWords(file = SAFETY_WORDS_FILE): Compiled {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as SafetyWordsFile;
  const tiers: CompiledTier[] = [];
  for (const kind of SAFETY_KINDS) {
    for (const priority of ['life', 'urgent'] as const) {
      const phrases = compileTier(raw.kinds[kind]?.[priority]);
      if (phrases.length) tiers.push({ kind, priority, phrases });
    }
  }
  return { gap: raw.gap ?? 3, tiers, exclude: compileTier(raw.exclude) };
}

function words(): Compiled {
  return (compiled ??= loadSafetyWords());
}

/** Per-token variants tried against a phrase word (Arabic clitics stripped). */
interface Tok {
  variants: string[];
}

/** How a phrase word met a token: exactly (or a number), or loosely (through a prefix); undefined when it did not. */
type Fit = 'exact' | 'loose' | undefined;

function wordFit(spec: Extract<Word, { kind: 'word' }>, tok: Tok): Fit {
  for (const v of tok.variants) {
    if (spec.prefix ? v.startsWith(spec.w) : v === spec.w) return spec.prefix && v !== spec.w ? 'loose' : 'exact';
  }
  return undefined;
}

interface Ctx {
  toks: Tok[];
  gap: number;
}

/** One way a phrase matched: its token span, the tokens it met exactly and those it met only loosely. */
interface Span {
  from: number;
  to: number;
  exact: number[];
  loose: number[];
}

type Hit = [token: number, fit: 'exact' | 'loose'];

/** The first way the phrase matches starting at token i (phrase words in order, gaps as short as possible). */
function matchAt(words: Word[], k: number, ctx: Ctx, i: number, hits: Hit[]): { end: number; hits: Hit[] } | undefined {
  const { toks, gap } = ctx;
  if (k === words.length) return { end: i, hits };
  const w = words[k]!;
  if (w.kind === 'gap') {
    for (let g = 0; g <= gap && i + g <= toks.length; g++) {
      const r = matchAt(words, k + 1, ctx, i + g, hits);
      if (r) return r;
    }
    return undefined;
  }
  const tok = toks[i];
  if (!tok) return undefined;
  const fit: Fit = w.kind === 'number' ? (tok.variants.some((v) => /^\d+$/.test(v)) ? 'exact' : undefined) : wordFit(w, tok);
  if (!fit) return undefined;
  return matchAt(words, k + 1, ctx, i + 1, [...hits, [i, fit]]);
}

function findSpans(phrases: Phrase[], toks: Tok[], gap: number): Array<Span & { phrase: Phrase }> {
  const spans: Array<Span & { phrase: Phrase }> = [];
  const ctx: Ctx = { toks, gap };
  for (const phrase of phrases) {
    for (let i = 0; i < toks.length; i++) {
      const r = matchAt(phrase.words, 0, ctx, i, []);
      if (!r) continue;
      const pick = (f: Hit[1]) => r.hits.filter((h) => h[1] === f).map((h) => h[0]);
      spans.push({ from: i, to: r.end, exact: pick('exact'), loose: pick('loose'), phrase });
    }
  }
  return spans;
}

/**
 * A loose match gives way to an exact one that contains it: "beni dövdü" (he beat me, urgent) is not also
 * "beni döv*" (he beats me, life).
 */
function outdone(a: Span, b: Span): boolean {
  if (a === b || !a.loose.length || b.from > a.from || b.to < a.to) return false;
  return a.loose.some((t) => b.exact.includes(t));
}

/** Negative temperatures written with a sign ("-10", "−12°C", "-8 graden"): 5 degrees below zero or colder. */
const NEGATIVE_TEMPERATURE =
  /(?:^|[\s(,;:])[-−–](\d{1,2})(?:[.,]\d)?(?:\s*(?:°|º|degr|grad|graus|stopn|градус|derece|درج|c\b)|(?=[\s.,!?]|$))/u;

export interface SafetyMatch extends SafetyAlert {
  /** The vocabulary phrase that matched (for logs and tests). */
  phrase: string;
  lang: Lang | 'all';
}

/** Every safety trigger in a text (after exclusions), in no particular order. */
export function safetyMatches(text: string): SafetyMatch[] {
  const { gap, tiers, exclude } = words();
  const toks: Tok[] = safetyTokens(text).map((t) => ({ variants: arabicVariants(t) }));
  const excluded = findSpans(exclude, toks, gap);
  const found: Array<Span & { phrase: Phrase; tier: CompiledTier }> = [];
  for (const tier of tiers) {
    for (const s of findSpans(tier.phrases, toks, gap)) {
      if (excluded.some((e) => e.from < s.to && s.from < e.to)) continue;
      found.push({ ...s, tier });
    }
  }
  const out: SafetyMatch[] = found
    .filter((a) => !found.some((b) => outdone(a, b)))
    .map((s) => ({ kind: s.tier.kind, priority: s.tier.priority, phrase: s.phrase.source, lang: s.phrase.lang }));
  const m = NEGATIVE_TEMPERATURE.exec(normalize(asciiDigits(text)));
  if (m && Number(m[1]) >= 5) out.push({ kind: 'cold', priority: 'life', phrase: m[0].trim(), lang: 'all' });
  return out;
}

/**
 * The safety alert a message raises, if any: a life at risk first, then the kind by precedence
 * (medical, suicide, violence, child, cold). Run it on every turn, before any dialog. `lang` (the conversation
 * language) does not narrow the vocabulary: every language's phrases are always tried (see the file comment).
 */
export function detectSafety(text: string, _lang?: Lang): SafetyAlert | undefined {
  const matches = safetyMatches(text);
  if (!matches.length) return undefined;
  const rank = (m: SafetyMatch) => (m.priority === 'life' ? 0 : 10) + PRECEDENCE.indexOf(m.kind);
  const best = matches.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  return { kind: best.kind, priority: best.priority };
}

/** The emergency reply: the kind's message (112 first, then the public numbers) and the priority hand-off line. */
export function safetyReply(alert: SafetyAlert, lang: Lang): { text: string; numbers: string[] } {
  const t = tFor(lang);
  const text = `${t(`safety.${alert.kind}`)} ${t('safety.handoff')}`;
  return { text, numbers: [...SAFETY_NUMBERS[alert.kind]] };
}
