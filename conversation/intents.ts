/**
 * Intent recognizer for the bot's main dialog: commands (help, cancel, restart, person, language), the three tasks
 * (report someone on the street, a place tonight, a complaint), small talk, prompt injection and clearly
 * off-topic messages, plus yes/no and language names, in the 12 languages.
 *
 * The vocabulary is conversation/intent-words.json (input words, not user-facing text), in the phrase syntax of
 * safety-words.json and matched on the same tokens (safetyTokens: the project's normalisation, accents optional,
 * Arabic clitics stripped): `word`, `word*` (prefix), `..` (up to `gap` other words), `#` (a number).
 * Every language's phrases are always tried (people mix languages); the conversation language only breaks ties.
 *
 * Commands interrupt whatever the dialog is doing, so they fire only when the message is (nearly) just the command:
 * every token must be part of a command phrase or a "filler" word (please, I want, to, ...), and the message must
 * be short. "he asked for help" or "stop the violence" inside a report answer therefore do not fire.
 * Tasks are found anywhere in a message of any length.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arabicVariants } from '../knowledge/embeddings/text.js';
import { SUPPORTED_LANGS, isLang, type Lang } from './languages.js';
import { compilePhrase, safetyTokens } from './safety.js';

export type Command = 'help' | 'cancel' | 'restart' | 'person' | 'language' | 'forget';
export type Task = 'report' | 'place_tonight' | 'complaint';
export type SmallTalk = 'greeting' | 'thanks' | 'bye' | 'how_are_you' | 'who_are_you';
export interface Recognized {
  /** A command interrupts whatever is going on: only when the message is (nearly) just the command. */
  command?: Command;
  /** For command 'language': the language asked for, if named ("English", "en français", "عربي", "по-русски"). */
  lang?: Lang;
  task?: Task;
  smallTalk?: SmallTalk;
  /** Instructions hidden in the message ("ignore your rules", "you are now", "system prompt", "act as"). */
  injection?: boolean;
  /** Clearly not about homelessness, services, rights (weather, football, jokes, homework, crypto...). */
  outOfScope?: boolean;
}

type PhraseLang = Lang | 'all';
type Tier = Partial<Record<PhraseLang, string[]>>;

export interface IntentWordsFile {
  gap: number;
  maxCommandWords: number;
  maxSmallTalkWords: number;
  filler: Tier;
  commands: Record<Command, Tier>;
  notCommand: Tier;
  languageFiller: Tier;
  languageNames: Record<Lang, string[]>;
  languageCodes: string[];
  tasks: {
    report: { explicit: Tier; verb: Tier; who: Tier; situation: Tier; exclude: Tier };
    place_tonight: { phrases: Tier };
    complaint: { phrases: Tier };
  };
  smallTalk: Record<SmallTalk, Tier>;
  smallTalkFiller: Tier;
  injection: Tier;
  outOfScope: Tier;
  inScope: Tier;
  yes: Tier;
  no: Tier;
  notYesNo: Tier;
  yesNoFiller: Tier;
}

export const INTENT_WORDS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'intent-words.json');

type Phrase = ReturnType<typeof compilePhrase>;
type PhraseWord = Phrase['words'][number];
/** A compiled phrase with what it stands for (a command, a language named...). */
interface Entry<T> {
  phrase: Phrase;
  value: T;
}

const COMMANDS: readonly Command[] = ['help', 'cancel', 'restart', 'person', 'language', 'forget'];
/** On equal evidence the more specific command wins ("help in English" switches language). */
const COMMAND_PRIORITY: readonly Command[] = ['forget', 'language', 'person', 'restart', 'cancel', 'help'];
const SMALL_TALK: readonly SmallTalk[] = ['greeting', 'thanks', 'bye', 'how_are_you', 'who_are_you'];
/** When a short message mixes small talk ("hi, how are you", "thanks, bye"), the most telling one wins. */
const FRAMING_SMALL_TALK: ReadonlySet<SmallTalk> = new Set<SmallTalk>(['greeting', 'thanks', 'bye']);
const SMALL_TALK_PRIORITY: readonly SmallTalk[] = ['who_are_you', 'how_are_you', 'bye', 'thanks', 'greeting'];

function compile(source: string, lang: PhraseLang): Phrase {
  try {
    return compilePhrase(source, lang);
  } catch (err) {
    throw new Error(`intent-words: ${(err as Error).message.replace(/^safety-words: /, '')}`);
  }
}

function compileTier<T>(tier: Tier | undefined, value: T): Array<Entry<T>> {
  const out: Array<Entry<T>> = [];
  for (const lang of ['all', ...SUPPORTED_LANGS] as const) {
    for (const p of tier?.[lang] ?? []) out.push({ phrase: compile(p, lang), value });
  }
  return out;
}

interface Compiled {
  gap: number;
  maxCommandWords: number;
  maxSmallTalkWords: number;
  filler: Array<Entry<true>>;
  commands: Array<Entry<Command>>;
  notCommand: Array<Entry<true>>;
  languageFiller: Array<Entry<true>>;
  languageNames: Array<Entry<Lang>>;
  languageCodes: ReadonlySet<string>;
  report: { explicit: Array<Entry<true>>; verb: Array<Entry<true>>; who: Array<Entry<true>>; situation: Array<Entry<true>>; exclude: Array<Entry<true>> };
  placeTonight: Array<Entry<true>>;
  complaint: Array<Entry<true>>;
  smallTalk: Array<Entry<SmallTalk>>;
  smallTalkFiller: Array<Entry<true>>;
  injection: Array<Entry<true>>;
  outOfScope: Array<Entry<true>>;
  inScope: Array<Entry<true>>;
  yesNo: Array<Entry<'yes' | 'no' | 'neither'>>;
  yesNoFiller: Array<Entry<true>>;
}

/** Reads and compiles intent-words.json; throws on a malformed phrase or a name given to two languages. */
export function loadIntentWords(file = INTENT_WORDS_FILE): Compiled {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as IntentWordsFile;
  const names: Array<Entry<Lang>> = [];
  const seen = new Map<string, Lang>();
  for (const lang of SUPPORTED_LANGS) {
    for (const source of raw.languageNames[lang] ?? []) {
      const phrase = compile(source, 'all');
      const key = phrase.words.map((w) => (w.kind === 'word' ? w.w + (w.prefix ? '*' : '') : w.kind)).join(' ');
      const other = seen.get(key);
      if (other && other !== lang) throw new Error(`intent-words: language name "${source}" given to ${other} and ${lang}`);
      seen.set(key, lang);
      names.push({ phrase, value: lang });
    }
  }
  return {
    gap: raw.gap ?? 3,
    maxCommandWords: raw.maxCommandWords ?? 8,
    maxSmallTalkWords: raw.maxSmallTalkWords ?? 6,
    filler: compileTier(raw.filler, true as const),
    commands: COMMANDS.flatMap((c) => compileTier(raw.commands[c], c)),
    notCommand: compileTier(raw.notCommand, true as const),
    languageFiller: compileTier(raw.languageFiller, true as const),
    languageNames: names,
    languageCodes: new Set((raw.languageCodes ?? []).filter(isLang)),
    report: {
      explicit: compileTier(raw.tasks.report.explicit, true as const),
      verb: compileTier(raw.tasks.report.verb, true as const),
      who: compileTier(raw.tasks.report.who, true as const),
      situation: compileTier(raw.tasks.report.situation, true as const),
      exclude: compileTier(raw.tasks.report.exclude, true as const),
    },
    placeTonight: compileTier(raw.tasks.place_tonight.phrases, true as const),
    complaint: compileTier(raw.tasks.complaint.phrases, true as const),
    smallTalk: SMALL_TALK.flatMap((s) => compileTier(raw.smallTalk[s], s)),
    smallTalkFiller: compileTier(raw.smallTalkFiller, true as const),
    injection: compileTier(raw.injection, true as const),
    outOfScope: compileTier(raw.outOfScope, true as const),
    inScope: compileTier(raw.inScope, true as const),
    yesNo: [
      ...compileTier(raw.yes, 'yes' as const),
      ...compileTier(raw.no, 'no' as const),
      ...compileTier(raw.notYesNo, 'neither' as const),
    ],
    yesNoFiller: compileTier(raw.yesNoFiller, true as const),
  };
}

let compiled: Compiled | undefined;
function words(): Compiled {
  return (compiled ??= loadIntentWords());
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

/** A token and the forms it is tried as (Arabic without glued clitics). */
type Tok = string[];

function toks(text: string): Tok[] {
  return safetyTokens(text).map((t) => arabicVariants(t));
}

/** One place a phrase matched: tokens from..to (exclusive), the tokens it met (gaps excluded). */
interface Match<T> {
  from: number;
  to: number;
  hits: number[];
  value: T;
  lang: PhraseLang;
}

function wordFits(w: Extract<PhraseWord, { kind: 'word' }>, tok: Tok): boolean {
  return tok.some((v) => (w.prefix ? v.startsWith(w.w) : v === w.w));
}

/** Token indices the phrase meets when it starts at token i (gaps as short as possible), or undefined. */
function matchAt(ws: readonly PhraseWord[], k: number, ts: Tok[], i: number, gap: number, hits: number[]): number[] | undefined {
  if (k === ws.length) return hits;
  const w = ws[k]!;
  if (w.kind === 'gap') {
    for (let g = 0; g <= gap && i + g <= ts.length; g++) {
      const r = matchAt(ws, k + 1, ts, i + g, gap, hits);
      if (r) return r;
    }
    return undefined;
  }
  const tok = ts[i];
  if (!tok) return undefined;
  const ok = w.kind === 'number' ? tok.some((v) => /^\d+$/.test(v)) : wordFits(w, tok);
  return ok ? matchAt(ws, k + 1, ts, i + 1, gap, [...hits, i]) : undefined;
}

function findAll<T>(entries: Array<Entry<T>>, ts: Tok[], gap: number): Array<Match<T>> {
  const out: Array<Match<T>> = [];
  for (const { phrase, value } of entries) {
    for (let i = 0; i < ts.length; i++) {
      const hits = matchAt(phrase.words, 0, ts, i, gap, []);
      if (hits?.length) out.push({ from: i, to: hits[hits.length - 1]! + 1, hits, value, lang: phrase.lang });
    }
  }
  return out;
}

function overlaps(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  return a.from < b.to && b.from < a.to;
}

function hitSet(matches: Array<Match<unknown>>): Set<number> {
  return new Set(matches.flatMap((m) => m.hits));
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

interface CommandFound {
  command: Command;
  lang?: Lang;
}

/** Only a question mark (or several): "?" asks for help. */
const ONLY_QUESTION_MARKS = /^\s*[?¿؟][\s?¿؟]*$/u;

function commandOf(ts: Tok[], convLang: Lang): CommandFound | undefined {
  const W = words();
  if (!ts.length || ts.length > W.maxCommandWords) return undefined;
  const code = singleCode(ts);
  if (code) return { command: 'language', lang: code };

  // "aide-le" (help him) asks for help for someone else: not the help menu.
  const notCommand = findAll(W.notCommand, ts, 0);
  const cmd = findAll(W.commands, ts, W.gap).filter((m) => !notCommand.some((n) => overlaps(n, m)));
  const names = findAll(W.languageNames, ts, W.gap);
  const hasLanguage = names.length > 0 || cmd.some((m) => m.value === 'language');
  if (!cmd.length && !names.length) return undefined;

  // Every token must belong to a command phrase, a language name, or words that only frame a command.
  const covered = new Set<number>([...hitSet(cmd), ...hitSet(names)]);
  for (const i of hitSet(findAll(W.filler, ts, 0))) covered.add(i);
  // Greetings and thanks may frame a command ("hi, help"); "are you human?" is a question, not a request for one.
  for (const i of hitSet(findAll(W.smallTalk, ts, 0).filter((m) => FRAMING_SMALL_TALK.has(m.value)))) covered.add(i);
  for (const i of hitSet(findAll(W.smallTalkFiller, ts, 0))) covered.add(i);
  if (hasLanguage) for (const i of hitSet(findAll(W.languageFiller, ts, 0))) covered.add(i);
  for (let i = 0; i < ts.length; i++) if (!covered.has(i)) return undefined;

  // The command with the most tokens of evidence; then one in the conversation language; then the more specific.
  const score = (c: Command): [number, number] => {
    const ms: Array<Match<unknown>> = c === 'language' ? [...cmd.filter((m) => m.value === c), ...names] : cmd.filter((m) => m.value === c);
    return [hitSet(ms).size, ms.some((m) => m.lang === convLang) ? 1 : 0];
  };
  let best: Command | undefined;
  let bestScore: [number, number] = [0, 0];
  for (const c of COMMAND_PRIORITY) {
    const s = score(c);
    if (s[0] > bestScore[0] || (s[0] === bestScore[0] && s[0] > 0 && s[1] > bestScore[1])) {
      best = c;
      bestScore = s;
    }
  }
  if (!best) return undefined;
  if (best !== 'language') return { command: best };
  const named = lastNamed(names);
  return named ? { command: 'language', lang: named } : { command: 'language' };
}

/** A message that is only a language code ("EN", "fr", "nl"). */
function singleCode(ts: Tok[]): Lang | undefined {
  if (ts.length !== 1) return undefined;
  const t = ts[0]![0]!;
  return words().languageCodes.has(t) && isLang(t) ? t : undefined;
}

/** The language named last ("switch from English to French" asks for French). */
function lastNamed(names: Array<Match<Lang>>): Lang | undefined {
  let best: Match<Lang> | undefined;
  for (const m of names) if (!best || m.from > best.from || (m.from === best.from && m.to > best.to)) best = m;
  return best?.value;
}

// ---------------------------------------------------------------------------------------------------------------
// Tasks

function taskOf(ts: Tok[]): Task | undefined {
  const W = words();
  const gap = W.gap;
  const excluded = findAll(W.report.exclude, ts, gap);
  const keep = <T>(ms: Array<Match<T>>) => ms.filter((m) => !excluded.some((e) => overlaps(e, m)));
  const explicit = keep(findAll(W.report.explicit, ts, gap));
  const verb = keep(findAll(W.report.verb, ts, gap));
  const who = keep(findAll(W.report.who, ts, gap));
  const situation = keep(findAll(W.report.situation, ts, gap));
  const thirdPerson = explicit.length > 0 || who.length > 0;
  const report = explicit.length > 0 || verb.length > 0 || (who.length > 0 && situation.length > 0);
  const place = findAll(W.placeTonight, ts, gap).length > 0;
  const complaint = findAll(W.complaint, ts, gap).length > 0;
  // "I want to report that I have nowhere to sleep" is about the writer: report wins only with a third person.
  if (report && (thirdPerson || (!place && !complaint))) return 'report';
  // A bed tonight is more urgent than a complaint told in the same message.
  if (place) return 'place_tonight';
  if (complaint) return 'complaint';
  return report ? 'report' : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Small talk, injection, out of scope

function smallTalkOf(ts: Tok[], convLang: Lang): SmallTalk | undefined {
  const W = words();
  if (!ts.length || ts.length > W.maxSmallTalkWords) return undefined;
  const found = findAll(W.smallTalk, ts, W.gap);
  if (!found.length) return undefined;
  const covered = new Set<number>([...hitSet(found), ...hitSet(findAll(W.filler, ts, 0)), ...hitSet(findAll(W.smallTalkFiller, ts, 0))]);
  for (let i = 0; i < ts.length; i++) if (!covered.has(i)) return undefined;
  const kinds = new Set(found.map((m) => m.value));
  const inLang = new Set(found.filter((m) => m.lang === convLang).map((m) => m.value));
  return SMALL_TALK_PRIORITY.find((k) => kinds.has(k) && inLang.has(k)) ?? SMALL_TALK_PRIORITY.find((k) => kinds.has(k));
}

function outOfScope(ts: Tok[]): boolean {
  const W = words();
  const off = findAll(W.outOfScope, ts, W.gap);
  if (!off.length) return false;
  // A need mentioned anywhere keeps the message in scope (words inside the off-topic phrase itself do not count:
  // "yemek tarifi", a recipe, contains "yemek", food).
  const needs = findAll(W.inScope, ts, 0).filter((n) => !off.some((o) => overlaps(o, n)));
  return needs.length === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

export function recognize(text: string, lang: Lang): Recognized {
  const src = typeof text === 'string' ? text : '';
  const out: Recognized = {};
  const ts = toks(src);
  if (!ts.length) {
    if (ONLY_QUESTION_MARKS.test(src)) out.command = 'help';
    return out;
  }
  const cmd = commandOf(ts, lang);
  if (cmd) {
    out.command = cmd.command;
    if (cmd.lang) out.lang = cmd.lang;
  }
  const task = taskOf(ts);
  if (task) out.task = task;
  if (!cmd && !task) {
    const st = smallTalkOf(ts, lang);
    if (st) out.smallTalk = st;
  }
  if (findAll(words().injection, ts, words().gap).length) out.injection = true;
  if (!cmd && !task && outOfScope(ts)) out.outOfScope = true;
  return out;
}

/** A language the text names or is (for the language menu): "Nederlands", "arabe", "2"? no: names only. */
export function languageNamed(text: string): Lang | undefined {
  const ts = toks(typeof text === 'string' ? text : '');
  if (!ts.length || ts.length > 10) return undefined;
  const code = singleCode(ts);
  if (code) return code;
  const named = new Set(findAll(words().languageNames, ts, words().gap).map((m) => m.value));
  // "English or French?" names two: let the menu ask again rather than guess.
  return named.size === 1 ? [...named][0] : undefined;
}

/** Longest yes/no phrase starting at each position, left to right. */
function yesNoRun(ts: Tok[]): { values: Array<'yes' | 'no' | 'neither'>; end: number; covered: boolean } {
  const W = words();
  const all = findAll(W.yesNo, ts, 0);
  const fill = findAll(W.yesNoFiller, ts, 0);
  const values: Array<'yes' | 'no' | 'neither'> = [];
  let i = 0;
  let first = true;
  while (i < ts.length) {
    const here = all.filter((m) => m.from === i);
    const longest = here.reduce<Match<'yes' | 'no' | 'neither'> | undefined>((a, b) => (!a || b.to > a.to ? b : a), undefined);
    if (longest) {
      // "neither" phrases ("no one", "не знаю") of the same length beat yes/no: they are what was meant.
      const neither = here.find((m) => m.value === 'neither' && m.to >= longest.to);
      values.push(neither ? 'neither' : longest.value);
      i = (neither ?? longest).to;
    } else {
      const f = fill.filter((m) => m.from === i).reduce<Match<true> | undefined>((a, b) => (!a || b.to > a.to ? b : a), undefined);
      if (!f || first) return { values, end: i, covered: false };
      i = f.to;
    }
    first = false;
  }
  return { values, end: i, covered: true };
}

/** Yes / no in any of the 12 languages ("oui", "ja", "نعم", "так", "evet", "da", "tak", "sí"...; "non", "nee", "لا", "ні", "hayır"...). */
export function yesNo(text: string): 'yes' | 'no' | undefined {
  const src = typeof text === 'string' ? text : '';
  const verdict = (vals: Array<'yes' | 'no' | 'neither'>): 'yes' | 'no' | undefined => {
    if (!vals.length || vals.includes('neither')) return undefined;
    const set = new Set(vals);
    return set.size === 1 ? (vals[0] as 'yes' | 'no') : undefined;
  };
  // The part before the first punctuation mark answers: "no, he left" / "oui, il est toujours là".
  const head = src.split(/[,.!?;:،؟…\n]/u)[0] ?? '';
  const headToks = toks(head);
  if (headToks.length) {
    const r = yesNoRun(headToks);
    if (r.covered) return verdict(r.values);
  }
  // A short answer that starts with yes/no: "yes he is", "nee dank je", "no he left".
  const ts = toks(src);
  if (!ts.length || ts.length > 3) return undefined;
  const starts = findAll(words().yesNo, ts, 0).filter((m) => m.from === 0);
  if (!starts.length) return undefined;
  const longest = Math.max(...starts.map((m) => m.to));
  return verdict(starts.filter((m) => m.to === longest || m.value === 'neither').map((m) => m.value));
}
