/** Line-level repairs of PDF/Markdown extraction artefacts (no line joining here). */

export interface NormLine {
  /** 1-based line number in the original file. */
  n: number;
  text: string;
  blank: boolean;
  bullet: boolean;
  /** Footnote number when the line starts a footnote. */
  footnote?: number;
  /** First line of a PDF page: the extractor put one leading space there. */
  pageStart: boolean;
  rawLength: number;
}

// Bullet glyphs as extracted: "•<TAB> �", "<TAB>» �", "* <TAB>", "� " alone, Word's "o", Markdown "- ".
const BULLET = /^(?:[•»▪◦]|[*-](?=\s)|o(?=\s+\S)|\uFFFD)[\s\uFFFD]*(?:[»•\-–](?=[\s\uFFFD]))?[\s\uFFFD]*(?:o\s+)?/;

/** Markdown and HTML left by the converter of one plan. */
function stripMarkup(t: string): string {
  return t
    .replace(/<\/?(?:b|i|sup|sub|strong|em)>/g, '')
    .replace(/\[([^\]]*)\]\(#?[^)]*\)/g, '$1')
    .replace(/\\_/g, '_')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/^\*([^*].*[^*])\*$/, '$1');
}

/** Footnote reference digits glued to words: "doorlopen1." → "doorlopen.", "FISSA31" → "FISSA". */
export function stripFootnoteRefs(t: string, numbers: boolean): string {
  // Three letters at least before the digits, so labels such as "A1", "WG1", "M5" survive.
  let s = t.replace(/(\p{L}{3,}[’'”»)]?)(\d{1,2})(?=[\s.,;:)”’»"]|$)/gu, '$1');
  // "leidt.38", "(2019).42": a footnote number right after the sentence's full stop.
  s = s.replace(/([\p{L})])\.(\d{1,2})(?=\s|$)/gu, '$1.');
  if (numbers) {
    // Belgian thousands groups have exactly 3 digits: "29.9531" is 29.953 + note 1.
    s = s.replace(/(?<![\d.,])(\d{1,3}(?:\.\d{3})+)(\d{1,2})(?![\d.,]*\d)/g, '$1');
    // A year followed by a note number: "20199", "202112" (only 5-6 digits starting 19xx/20xx).
    s = s.replace(/(?<![\d.,/-])((?:19|20)\d{2})(\d{1,2})(?![\d.,/-]*\d)(?=[\s.,;:)]|$)/g, '$1');
    s = s.replace(/(?<![\d.,])((?:19|20)\d{2})\.(\d{1,2})(?=\s|$)/g, '$1.');
  }
  return s;
}

const FOOTNOTE = /^(\d{1,2})(?:\t|\s+(?=[\p{L}<(“"«]))/u;

export function normalizeLines(raw: string, opts: { footnoteNumbers?: boolean; noFootnotes?: boolean } = {}): NormLine[] {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const out: NormLine[] = [];
  let lastNote = 0;
  let prevBlank = true;
  lines.forEach((line, i) => {
    const pageStart = /^ {1,2}\S/.test(line);
    let t = line.replace(/\u00a0/g, ' ').trim();
    const blank = t.length === 0 || /^[\s\-–—_*]{3,}$/.test(t) || t === '---';
    let bullet = false;
    let footnote: number | undefined;
    if (!blank) {
      const fm = t.match(FOOTNOTE);
      const tabbed = fm !== null && /^\d{1,2}\t/.test(t);
      const n = fm ? Number(fm[1]) : 0;
      // A footnote starts with its number; a wrapped line starting with a number does not follow a blank line.
      if (fm && n > 0 && !opts.noFootnotes && (tabbed || (prevBlank && n <= lastNote + 8 && !/^\d+\s+(?:\p{Ll}|%|€)/u.test(t)))) {
        footnote = n;
        lastNote = Math.max(lastNote, n);
        t = t.slice(fm[0].length);
      }
      t = t.replace(/^<sup>(\d+)<\/sup>\s*/, (_s, d: string) => {
        footnote = Number(d);
        return '';
      });
      const bm = t.match(BULLET);
      if (bm && bm[0].length > 0 && footnote === undefined) {
        bullet = true;
        t = t.slice(bm[0].length);
      }
      t = stripMarkup(t)
        .replace(/^(\d+\.)\s*\uFFFD\s*/, '$1 ')
        .replace(/^([a-z]\))\s*\uFFFD\s*/, '$1 ')
        .replace(/\uFFFD/g, ' ')
        .replace(/[\t ]+/g, ' ')
        .trim();
      t = stripFootnoteRefs(t, opts.footnoteNumbers ?? false);
    }
    prevBlank = blank;
    out.push({ n: i + 1, text: blank ? '' : t, blank: blank || t.length === 0, bullet, footnote, pageStart, rawLength: line.length });
  });
  return out;
}

/** Lines that carry no words: page numbers ("14 15", "3938"), chart axes, loose percentages, timeline "x" marks. */
export function isNoise(t: string): boolean {
  if (/^[xX](?:\s+[xX])*$/.test(t)) return true;
  const letters = (t.match(/\p{L}/gu) ?? []).length;
  return letters === 0 || (letters <= 3 && /^[\d\s.,%€>+\-–()/]*(?:pers\.)?[\d\s.,%€>+\-–()/]*$/u.test(t));
}

/** Table-of-contents lines: dot leaders or a tab before a page number. */
export function isTocLine(rawLine: string): boolean {
  return /\.{4,}\s*\d+\s*$/.test(rawLine);
}

/** Re-join words split by a space ("so ciale", "priorit air") when the joined form is a word of the same text. */
export function repairSplitWords(lines: string[]): string[] {
  const freq = new Map<string, number>();
  for (const l of lines) for (const w of l.toLowerCase().match(/\p{L}+/gu) ?? []) freq.set(w, (freq.get(w) ?? 0) + 1);
  const known = (w: string) => (freq.get(w.toLowerCase()) ?? 0) >= 2;
  return lines.map((l) => {
    const parts = l.split(' ');
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const a = parts[i] ?? '';
      const b = parts[i + 1];
      if (b !== undefined && /^\p{L}+$/u.test(a) && /^\p{L}+[.,;:]?$/u.test(b)) {
        const bw = b.replace(/[.,;:]$/, '');
        const joined = a + bw;
        // Both halves being words ("op nieuw") is left alone; a half that is no word points to a split.
        const split = !(known(a) && known(bw) && a.length > 1 && bw.length > 1);
        if (split && known(joined)) {
          out.push(a + b);
          i++;
          continue;
        }
      }
      out.push(a);
    }
    return out.join(' ');
  });
}
