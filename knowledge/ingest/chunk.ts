import type { Chunk, CleanLine } from '../types.js';
import { matchHeading, profileFor, shortLabel, type DocProfile, type HeadingRule } from './profiles.js';

export interface ChunkOptions {
  /** Longest chunk text, in characters (a single sentence longer than this is kept whole). */
  maxChars?: number;
  /** Chunks shorter than this are merged with their neighbour in the same section. */
  minChars?: number;
}

interface Head {
  level: number;
  label: string;
  rule?: HeadingRule;
  outer?: string[];
}
interface Piece {
  text: string;
  from: number;
  to: number;
}
interface Section {
  path: string[];
  pieces: Piece[];
  /** Only the heading line, no body yet. */
  headingOnly: boolean;
}

/** Heading of a cleaned line: the cleaner's tag when present, else the document's heading rules. */
function headOf(line: CleanLine, profile: DocProfile): Head | undefined {
  const tagged = line as CleanLine & { kind?: string; level?: number; label?: string };
  if (tagged.kind !== undefined && tagged.kind !== 'heading') return undefined;
  const m = matchHeading(line.text, profile, tagged.kind === 'heading', tagged.kind === 'heading');
  if (tagged.kind === 'heading') {
    return { level: tagged.level ?? m?.level ?? 3, label: tagged.label ?? m?.label ?? shortLabel(line.text), rule: m?.rule, outer: m?.rule.outer?.(m.match) };
  }
  return m ? { level: m.level, label: m.label, rule: m.rule, outer: m.rule.outer?.(m.match) } : undefined;
}

const sentencesOf = (t: string): string[] => (t.match(/[^.!?;]+(?:[.!?;]+["”’)]*(?:\s+|$)|$)/g) ?? [t]).filter((x) => x.trim());

/** Split a long paragraph into near-equal parts at sentence ends (word boundaries for run-on text). */
function splitLong(p: Piece, max: number): Piece[] {
  if (p.text.length <= max) return [p];
  const target = p.text.length / Math.ceil(p.text.length / max);
  const out: Piece[] = [];
  let cur = '';
  const push = () => {
    if (cur.trim()) out.push({ text: cur.trim(), from: p.from, to: p.to });
    cur = '';
  };
  for (let s of sentencesOf(p.text)) {
    while (s.length > max) {
      const cut = s.lastIndexOf(' ', max - cur.length) > 0 ? s.lastIndexOf(' ', max - cur.length) : Math.min(max, s.length);
      cur += s.slice(0, cut);
      push();
      s = s.slice(cut).trimStart();
    }
    if (cur.length + s.length > max || (cur.length >= target && cur.length + s.length > target * 1.1)) push();
    cur += s;
  }
  push();
  return out;
}

/** Take leading sentences of a paragraph, up to `room` characters, to fill a chunk that is still too small. */
function takeSentences(p: Piece, room: number, minRest: number): [Piece | undefined, Piece] {
  const sentences = sentencesOf(p.text);
  const len = (a: number, b: number) => sentences.slice(a, b).join('').length;
  let k = 0;
  while (k < sentences.length - 1 && len(0, k + 1) <= room) k++;
  // Leave no scrap behind: the rest of the paragraph must still be worth a chunk.
  while (k > 0 && len(k, sentences.length) < minRest) k--;
  const head = sentences.slice(0, k).join('');
  if (!head.trim()) return [undefined, p];
  return [
    { text: head.trim(), from: p.from, to: p.to },
    { text: sentences.slice(k).join('').trim(), from: p.from, to: p.to },
  ];
}

/** Cut a cleaned plan along its own structure (pillar, measure, sub-measure, objective, theme, section). */
export function chunkDocument(documentId: string, lines: CleanLine[], opts: ChunkOptions = {}): Chunk[] {
  const profile = profileFor(documentId);
  const maxChars = opts.maxChars ?? 1200;
  const minChars = opts.minChars ?? 400;
  const heads = lines.map((l) => headOf(l, profile));

  // Intro pages printed before their pillar's label take the pillar of the measure that follows them.
  heads.forEach((h, i) => {
    if (!h?.rule?.outerFromNext) return;
    h.outer = heads.slice(i + 1).find((n) => n?.outer)?.outer;
  });

  const sections: Section[] = [];
  const stack: (string | undefined)[] = [];
  let current: Section | undefined;
  lines.forEach((line, i) => {
    const h = heads[i];
    const piece: Piece = { text: line.text, from: line.from, to: line.to };
    const isTitle = i > 0 && heads[i - 1]?.rule?.titleFromNext === true && (!h || !h.rule);
    if (h && !isTitle && current?.path.at(-1) === h.label && current.path.length === h.level) {
      current.pieces.push(piece); // same heading again (e.g. a second "DOELSTELLINGEN" page): same section
      return;
    }
    if (h && !isTitle) {
      if (h.outer) h.outer.forEach((o, k) => (stack[k] = o));
      stack[h.level - 1] = h.label;
      stack.length = h.level;
      const next = lines[i + 1];
      if (h.rule?.titleFromNext && next && next.text.length <= 300 && !heads[i + 1]?.rule) {
        stack[h.level - 1] = shortLabel(`${h.label} – ${next.text.replace(/^- /, '')}`);
      }
      current = { path: stack.filter((s): s is string => !!s), pieces: [piece], headingOnly: true };
      sections.push(current);
      return;
    }
    if (!current) {
      current = { path: [], pieces: [], headingOnly: false };
      sections.push(current);
    }
    current.pieces.push(...splitLong(piece, maxChars));
    current.headingOnly = false;
  });

  // A section holding only a heading or a few words goes with its first sub-section (same measure).
  for (let i = 0; i < sections.length - 1; i++) {
    const s = sections[i];
    const n = sections[i + 1];
    if (!s || !n) continue;
    const size = s.pieces.reduce((a, p) => a + p.text.length + 1, 0);
    const child = n.path.length > s.path.length && s.path.every((p, k) => n.path[k] === p);
    if ((s.headingOnly || size < minChars / 2) && child) {
      n.pieces.unshift(...s.pieces);
      s.pieces = [];
    }
  }

  const chunks: Chunk[] = [];
  for (const s of sections) {
    if (s.pieces.length === 0 || s.headingOnly) continue;
    const groups: Piece[][] = [];
    let cur: Piece[] = [];
    let len = 0;
    for (let p of s.pieces) {
      if (cur.length > 0 && len + 1 + p.text.length > maxChars) {
        if (len < minChars) {
          const [head, rest] = takeSentences(p, maxChars - len - 1, minChars / 2);
          if (head) cur.push(head);
          p = rest;
        }
        groups.push(cur);
        cur = [];
        len = 0;
      }
      cur.push(p);
      len += (len ? 1 : 0) + p.text.length;
    }
    if (cur.length) groups.push(cur);
    // A small tail is merged with the previous group, or takes paragraphs from it when both would not fit.
    const size = (g: Piece[]) => g.reduce((a, p) => a + p.text.length + 1, -1);
    const tail = groups.at(-1);
    const prev = groups.at(-2);
    if (tail && prev && size(tail) < minChars) {
      if (size(prev) + size(tail) + 1 <= maxChars) {
        prev.push(...tail);
        groups.pop();
      } else {
        while (prev.length > 1 && size(tail) < minChars && size(prev) - (prev.at(-1)?.text.length ?? 0) >= minChars) {
          const moved = prev.pop();
          if (moved) tail.unshift(moved);
        }
      }
    }
    for (const g of groups) {
      chunks.push({
        documentId,
        ordinal: chunks.length,
        headings: [...s.path],
        text: g.map((p) => p.text).join('\n'),
        lineFrom: Math.min(...g.map((p) => p.from)),
        lineTo: Math.max(...g.map((p) => p.to)),
      });
    }
  }
  return chunks;
}
