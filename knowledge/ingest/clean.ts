import type { CleanLine } from '../types.js';
import { detectDocument, matchHeading, profileFor, shortLabel, type DocProfile } from './profiles.js';
import { isNoise, isTocLine, normalizeLines, repairSplitWords, type NormLine } from './normalize.js';
import { joinWrapped, vocabulary } from './join.js';

/** A cleaned line with what the cleaner learnt about it (extra fields; still a CleanLine). */
export interface TaggedLine extends CleanLine {
  kind: 'text' | 'heading' | 'bullet' | 'footnote';
  /** Heading level when kind = 'heading'. */
  level?: number;
  label?: string;
}

export interface CleanOptions {
  /** Selects the document's profile (knowledge/ingest/profiles.ts); recognised from the text when omitted. */
  documentId?: string;
  /** Overrides the profile. */
  profile?: DocProfile;
}

interface Para {
  parts: string[];
  from: number;
  to: number;
  kind: TaggedLine['kind'];
  lastLen: number;
  maxLen: number;
  level?: number;
  label?: string;
}

const TERMINAL = /[.!?:;…]$/;
const endOf = (t: string) => t.replace(/[\s"'”’»)\]*]+$/, '');
const startsLower = (t: string) => /^[\p{Ll}(&%/\d]/u.test(t) && !/^\d{1,2}[.)] /.test(t);
const isAllCaps = (t: string) => /\p{Lu}{3}/u.test(t) && !/\p{Ll}/u.test(t);
const ITEM = /^(?:\d{1,2}[.)]|[a-h]\))\s/;

/** Remove PDF artefacts and rebuild paragraphs; each CleanLine keeps the original line span. */
export function cleanDocument(raw: string, opts: CleanOptions = {}): TaggedLine[] {
  const profile = opts.profile ?? profileFor(opts.documentId ?? detectDocument(raw));
  const rawLines = raw.replace(/\r\n?/g, '\n').split('\n');
  const norm = normalizeLines(raw, { footnoteNumbers: profile.footnoteNumbers, noFootnotes: profile.noFootnotes });
  if (profile.repairSplitWords) {
    const fixed = repairSplitWords(norm.map((l) => l.text));
    norm.forEach((l, i) => (l.text = fixed[i] ?? l.text));
  }
  for (const l of norm) {
    if (l.blank) continue;
    const drop =
      isTocLine(rawLines[l.n - 1] ?? '') ||
      isNoise(l.text) ||
      (profile.dropLines ?? []).some((re) => re.test(l.text));
    if (drop) dropLine(l);
  }
  if (profile.dropTimelineTables) dropTimelineTables(norm, profile);

  const lens = norm.filter((l) => !l.blank).map((l) => l.text.length).sort((a, b) => a - b);
  const wrap = lens[Math.floor(lens.length * 0.9)] ?? 80;
  const vocab = vocabulary(norm.map((l) => l.text));
  const out: TaggedLine[] = [];
  const deferred: TaggedLine[] = [];
  let cur: Para | undefined;
  let pending: Para | undefined; // body paragraph interrupted by footnotes printed at a page break
  let gap = 0;

  const emit = (p: Para): TaggedLine => {
    const text = p.parts.reduce((acc, part) => (acc ? joinWrapped(acc, part, vocab) : part), '').replace(/\s{2,}/g, ' ').trim();
    const line: TaggedLine = { text, from: p.from, to: p.to, kind: p.kind };
    if (p.kind === 'bullet') line.text = `- ${text}`;
    if (p.kind === 'footnote') line.text = `[${p.label}] ${text}`;
    if (p.kind === 'text' && profile.shortBlockHeadingLevel && isShortBlock(p, text, wrap)) {
      const h = matchHeading(text, profile, true, true);
      line.kind = 'heading';
      line.level = h?.level ?? profile.shortBlockHeadingLevel;
      line.label = h?.label ?? shortLabel(text);
    }
    if (p.kind === 'heading') {
      line.text = text.replace(/^#+\s*/, '');
      const h = matchHeading(text, profile, true, true);
      line.level = h?.level ?? p.level;
      line.label = h?.label ?? shortLabel(text);
    }
    return line;
  };
  const flush = () => {
    if (!cur) return;
    if (cur.kind === 'footnote' && pending) deferred.push(emit(cur));
    else {
      out.push(emit(cur));
      if (cur !== pending) flushDeferred();
    }
    cur = undefined;
  };
  const flushDeferred = () => {
    out.push(...deferred.splice(0));
  };
  const closePending = () => {
    if (pending) out.push(emit(pending));
    pending = undefined;
    flushDeferred();
  };

  norm.forEach((l, i) => {
    if (l.blank) {
      gap++;
      return;
    }
    // Alone between blank lines; a page start counts as preceded by one, a short wrapped tail is allowed.
    const next = norm[i + 1];
    const standalone =
      ((norm[i - 1]?.blank ?? true) || l.pageStart) &&
      (!next || next.blank || (next.text.length < 40 && startsLower(next.text) && (norm[i + 2]?.blank ?? true)));
    const heading = !l.bullet && l.footnote === undefined ? matchHeading(l.text, profile, standalone) : undefined;
    const item = l.bullet || ITEM.test(l.text) || (profile.itemStart?.test(l.text) ?? false);
    const breaks = heading !== undefined || item || l.footnote !== undefined;

    // Titles set in capitals over several lines ("KWALITEITSVOLLE" / "MAATSCHAPPELIJKE DIENSTVERLENING").
    const capsTail = cur?.kind === 'heading' && gap === 0 && heading?.level === cur.level && isAllCaps(cur.parts.at(-1) ?? '') && isAllCaps(l.text);
    if (cur && (capsTail || (!breaks && joins(cur, l, gap)))) {
      append(cur, l);
    } else if (cur?.kind === 'footnote' && pending && !breaks && startsLower(l.text) && !TERMINAL.test(endOf(pending.parts.at(-1) ?? ''))) {
      flush();
      cur = pending;
      append(cur, l);
    } else {
      if (l.footnote !== undefined && cur && (cur.kind === 'text' || cur.kind === 'bullet') && !TERMINAL.test(endOf(cur.parts.at(-1) ?? ''))) {
        pending = cur; // the sentence may go on after the footnotes
        cur = undefined;
      } else {
        flush();
        if (l.footnote === undefined) closePending();
      }
      cur = {
        parts: [l.text],
        from: l.n,
        to: l.n,
        kind: heading ? 'heading' : l.footnote !== undefined ? 'footnote' : l.bullet ? 'bullet' : 'text',
        lastLen: l.text.length,
        maxLen: l.text.length,
        level: heading?.level,
        label: l.footnote !== undefined ? String(l.footnote) : heading?.label,
      };
    }
    gap = 0;
  });
  flush();
  closePending();
  return out.filter((l) => l.text.replace(/^- |^\[\d+\] /, '').length > 0);

  function joins(p: Para, l: NormLine, g: number): boolean {
    const last = endOf(p.parts.at(-1) ?? '');
    const terminal = TERMINAL.test(last);
    if (p.kind === 'heading') {
      return !terminal && startsLower(l.text) && g <= (profile.doubleSpaced ? 1 : 0);
    }
    const adjacent = g === 0 || (profile.doubleSpaced === true && g === 1);
    if (adjacent) {
      if (terminal && p.lastLen < 0.75 * wrap) return false;
      if (!terminal && p.lastLen < 0.45 * wrap && !startsLower(l.text)) return false;
      return true;
    }
    return !terminal && startsLower(l.text) && g <= 6;
  }
}

function append(p: Para, l: NormLine): void {
  p.parts.push(l.text);
  p.to = Math.max(p.to, l.n);
  p.lastLen = l.text.length;
  p.maxLen = Math.max(p.maxLen, l.text.length);
}

function dropLine(l: NormLine): void {
  l.blank = true;
  l.text = '';
}

/** Several short lines without final punctuation (titles set in large type). */
function isShortBlock(p: Para, text: string, wrap: number): boolean {
  return (
    p.parts.length >= 2 &&
    p.maxLen < 0.5 * wrap &&
    text.length <= 90 &&
    !TERMINAL.test(endOf(text)) &&
    !text.includes(':') &&
    /^\p{Lu}/u.test(text) &&
    text.split(' ').length <= 14
  );
}

/** Landscape tables flattened into 1-5 word fragments, recognised by their "2022 2023 2024 2025" column header. */
function dropTimelineTables(norm: NormLine[], profile: DocProfile): void {
  const years = /\b20\d\d\s+20\d\d\s+20\d\d\b/;
  const top = (l: NormLine) => !l.blank && matchHeading(l.text, profile, true)?.level === 1;
  const headerSoon = (i: number) => norm.slice(i, i + 12).some((l) => years.test(l.text));
  let inTable = false;
  norm.forEach((l, i) => {
    if (top(l)) inTable = headerSoon(i);
    if (inTable) dropLine(l);
  });
}
