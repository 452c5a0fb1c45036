/**
 * Per-document structure rules. Cleaning and chunking are generic; what differs between the plans
 * (how headings look, which running headers to drop) is described here as regular expressions.
 */

export interface HeadingRule {
  /** 1 = outermost. */
  level: number;
  /** Tested on the normalised first line of a paragraph (markers, bullets and footnote digits removed). */
  re: RegExp;
  /** Label for the heading path; default: the heading text. */
  label?: (text: string, m: RegExpMatchArray) => string;
  /** Outer headings implied by this one (e.g. the pillar of a Masterplan measure). */
  outer?: (m: RegExpMatchArray) => string[];
  /** Take the implied outer headings of the next heading that has some (intro pages printed before their pillar). */
  outerFromNext?: boolean;
  /** The paragraph after the heading is its title (e.g. "Maatregel 12" then the measure's title). */
  titleFromNext?: boolean;
  /** Only a heading when it stands alone between blank lines in the raw text (needs cleaner context). */
  standalone?: boolean;
  /** Longest text still taken as a heading. */
  maxLen?: number;
}

export interface DocProfile {
  /** Almost every line is followed by an empty line: single blank lines do not end paragraphs. */
  doubleSpaced?: boolean;
  /** Raw lines to drop (running headers, page footers, floating labels). */
  dropLines?: RegExp[];
  /** Start of a paragraph that is a list item although it has no bullet (e.g. "A1 ..." actions). */
  itemStart?: RegExp;
  /** The document has no footnotes: a line starting with a number is never one. */
  noFootnotes?: boolean;
  /** Strip footnote reference digits glued to figures ("29.9531" → "29.953", "20199" → "2019"). */
  footnoteNumbers?: boolean;
  /** Re-join words split by spaces ("so ciale" → "sociale") using the document's own vocabulary. */
  repairSplitWords?: boolean;
  /** Drop flattened landscape tables: from a heading followed by a year-column header to the next top heading. */
  dropTimelineTables?: boolean;
  /** A paragraph of several short lines without final punctuation is a heading at this level. */
  shortBlockHeadingLevel?: number;
  headings: HeadingRule[];
  /** Recognises the document from its text, for callers that do not pass its id. */
  detect?: RegExp;
}

const ALLCAPS = /^(?=[^a-zà-ÿ]*$)(?=(?:.*[A-ZÀ-Þ]){5})[A-ZÀ-Þ0-9“”"'’&!?,.:()\- ]{4,90}(?<!\.)$/;
const MD_HEADING = /^#{1,6}\s/;

const PILLARS: Record<number, string> = {
  1: 'PIJLER 1 – Primaire preventie',
  2: 'PIJLER 2 – Secundaire preventie',
  3: 'PIJLER 3 – Tertiaire preventie',
  4: 'PIJLER 4 – Preventie van institutioneel geweld & mobilisatie van de stem van de rechthebbenden',
};
/** Masterplan measures per pillar; pillar labels are missing or misplaced in the extract, measure numbers are not. */
function pillarOfMeasure(n: number): number {
  return n <= 10 ? 1 : n <= 19 ? 2 : n <= 30 ? 3 : 4;
}
const measureOuter = (m: RegExpMatchArray): string[] => [PILLARS[pillarOfMeasure(Number(m[1]))] ?? ''];

export const GENERIC: DocProfile = {
  headings: [
    { level: 2, re: /^Maatregel (\d+)\b/, titleFromNext: true, maxLen: 20 },
    { level: 3, re: /^Deelmaatregel (\d+\.\d+)/ },
    { level: 1, re: ALLCAPS },
  ],
};

export const PROFILES: Record<string, DocProfile> = {
  // LWGC action plan Marollen/Anneessens: double-spaced, AD/ID/OD numbering, flattened timeline tables.
  '000_e621c450b624349b': {
    detect: /^ ?VOORWOORD\s*$[^]*\bLWGC\b/m,
    doubleSpaced: true,
    noFootnotes: true,
    dropTimelineTables: true,
    itemStart: /^A\d+\s/,
    dropLines: [/^De doelstellingen die grijs en vet gedrukt zijn/],
    headings: [
      { level: 1, re: /^(?:\d )?(?:Algemene|Transversale|Horizontale) doelstelling(?: \d+)?\s*:/, label: (t) => t.replace(/^\d /, '') },
      { level: 1, re: /^Thema \d+:/ },
      { level: 2, re: /^\d\.\d\s*\((?:ID|OD)\)/, maxLen: 400 },
      { level: 3, re: /^\d\.\d\.\d\s*\((?:ID|OD)\)/, maxLen: 400 },
      { level: 1, re: ALLCAPS },
    ],
  },
  // VGC Jaarplan 2024: Markdown; SD/OD goals are sometimes headings, sometimes plain paragraphs.
  '001_c1465b57ccda06e5': {
    detect: /^# JAARPLAN 2024/m,
    headings: [
      { level: 1, re: /^#{1,3} (?:\d+ |Bijlage)/, label: (t) => t.replace(/^#+\s*/, '') },
      { level: 1, re: /^#{1,2} (?:JAARPLAN|Lokaal Sociaal|Inhoud)/, label: (t) => t.replace(/^#+\s*/, '') },
      { level: 2, re: /^(?:#+ )?SD \d/, maxLen: 3000, label: (t) => t.replace(/^#+\s*/, '') },
      { level: 2, re: /^#{1,3} \d+\.\d+ /, label: (t) => t.replace(/^#+\s*/, '') },
      { level: 3, re: /^(?:#+ )?OD\.? ?\d\.? ?\d/, maxLen: 3000, label: (t) => t.replace(/^#+\s*/, '') },
      { level: 4, re: MD_HEADING, label: (t) => t.replace(/^#+\s*/, '') },
    ],
  },
  // OCMW Brussel beleidsnota 2023: "N. DEPARTEMENT ...", unnumbered sub-sections, then "1. ..." numbering.
  '002_30401f9a23f9a7fe': {
    detect: /OCMW van de Stad Brussel \d+ Algemene beleidsnota 2023/,
    footnoteNumbers: true,
    repairSplitWords: true,
    dropLines: [
      /^OCMW van de Stad Brussel \d+ Algemene beleidsnota 2023$/,
      // Chart legends left in French.
      /^(?:Nombre|mensuels|sans aide|financièrement|bénéficiaires|aidés)\b/,
    ],
    headings: [
      { level: 1, re: /^\d{1,2}\. (?=[^\p{Ll}]*$)\p{Lu}[\p{Lu} &’'()\-–“”]+$/u },
      { level: 3, re: /^\d{1,2}\. [A-Z“][^.:;]{2,85}$/, standalone: true },
      { level: 2, re: /^[A-Z][^\d.:;,!?]{3,68}$/, standalone: true },
    ],
  },
  // Ieders stem telt! (Limburg): themes in capitals, fixed sub-headings, numbered recommendations.
  '003_202ad49bcd0c2b9b': {
    detect: /IEDERS STEM TELT/,
    footnoteNumbers: true,
    headings: [
      { level: 2, re: /^(?:WAAR MAKEN WE ONS ZORGEN OVER\?|ONZE OPLOSSING IN EEN NOTENDOP|CONCRETE AANBEVELINGEN)/ },
      { level: 1, re: ALLCAPS },
      { level: 4, re: /^\d\.\d\.? \S/, maxLen: 120 },
      { level: 3, re: /^\d\. \S[^]{0,115}$/ },
    ],
  },
  // Bruss'help Masterplan: pillars → measures → sub-measures; pages out of order, pillar labels unreliable.
  '004_cb8e911b77208c6d': {
    detect: /^ ?Maatregel 1\s*$[^]*Masterplan/m,
    footnoteNumbers: true,
    shortBlockHeadingLevel: 3,
    dropLines: [
      /\s\|\s+(?:PIJLER \d|Governance van het Masterplan)/,
      /^PIJLER\s+\d$/,
      /^(?:De )?(?:primaire|Primaire|Secundaire|Tertiaire)$/,
      /^preventie$/,
      /^Vroegtijdige interventie\d*$/,
    ],
    headings: [
      { level: 1, re: /^(?:INLEIDING|Definities|Afkortingen|Bijlagen|BIJLAGE \d)\b/, maxLen: 40 },
      { level: 1, re: /^(?:Governance|Aansturing) van het Masterplan/ },
      { level: 2, re: /^Maatregel (\d+)$/, outer: measureOuter, titleFromNext: true },
      { level: 3, re: /^Deelmaatregel (\d+\.\d+)\.?\s*:\s*/, label: (t, m) => `${m[1]} ${t.slice(m[0].length)}` },
      { level: 2, re: /^(?:DOELSTELLINGEN|1\. Algemeen kader)$/, outerFromNext: true, label: () => 'Pijler: kader en doelstellingen' },
    ],
  },
};

export function profileFor(documentId?: string): DocProfile {
  return (documentId && PROFILES[documentId]) || GENERIC;
}

/** Id of the known plan this text is, when the caller did not say. */
export function detectDocument(raw: string): string | undefined {
  return Object.entries(PROFILES).find(([, p]) => p.detect?.test(raw))?.[0];
}

export interface HeadingMatch {
  level: number;
  label: string;
  rule: HeadingRule;
  match: RegExpMatchArray;
}

/**
 * Classify a normalised line; `standalone` tells whether it stood between blank lines in the raw text,
 * `known` that the cleaner already took it for a heading (its text may since have grown by continuation lines).
 */
export function matchHeading(text: string, profile: DocProfile, standalone?: boolean, known = false): HeadingMatch | undefined {
  if (text.startsWith('- ') || text.startsWith('[')) return undefined;
  for (const rule of profile.headings) {
    if (rule.standalone && standalone !== true) continue;
    if (!known && text.length > (rule.maxLen ?? 160)) continue;
    const m = text.match(rule.re);
    if (!m) continue;
    const raw = rule.label ? rule.label(text, m) : text;
    return { level: rule.level, label: shortLabel(raw), rule, match: m };
  }
  return undefined;
}

/** Heading labels stay short: bold markers removed, cut at a word boundary. */
export function shortLabel(text: string, max = 90): string {
  const t = text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim().replace(/[:.]$/, '');
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40)).replace(/[,;:]$/, '')}…`;
}
