import { describe, it, expect } from 'vitest';
import { cleanDocument } from '../../knowledge/ingest/clean.js';
import { chunkDocument } from '../../knowledge/ingest/chunk.js';
import { loadCorpus } from '../../knowledge/ingest/load-corpus.js';
import type { Chunk, CleanLine } from '../../knowledge/types.js';
import { IDS, MASTERPLAN, letters, raw, rawLines } from './helpers.js';

const chunksOf = new Map(IDS.map((id) => [id, chunkDocument(id, cleanDocument(raw(id), { documentId: id }))]));
const chunks = (id: string): Chunk[] => chunksOf.get(id) ?? [];
const all = IDS.flatMap(chunks);
const withText = (id: string, needle: string) => chunks(id).filter((c) => c.text.includes(needle));

/** Start line of every "Maatregel N" heading in the raw Masterplan. */
function measureStarts(): Map<number, number> {
  const starts = new Map<number, number>();
  rawLines(MASTERPLAN).forEach((l, i) => {
    const m = l.match(/^\s*Maatregel (\d+)\s*$/);
    if (m) starts.set(Number(m[1]), i + 1);
  });
  return starts;
}

describe('chunkDocument on the five plans', () => {
  it('yields chunks for every document and a reasonable total', () => {
    for (const id of IDS) expect(chunks(id).length, id).toBeGreaterThan(20);
    expect(all.length).toBeGreaterThan(400);
    expect(all.length).toBeLessThan(1200);
  });

  it('numbers chunks in order and keeps their line ranges inside the file, made of the original words', () => {
    for (const id of IDS) {
      const orig = rawLines(id);
      chunks(id).forEach((c, i) => {
        expect(c.ordinal).toBe(i);
        expect(c.documentId).toBe(id);
        expect(c.lineFrom).toBeGreaterThanOrEqual(1);
        expect(c.lineTo).toBeGreaterThanOrEqual(c.lineFrom);
        expect(c.lineTo).toBeLessThanOrEqual(orig.length);
        const source = letters(orig.slice(c.lineFrom - 1, c.lineTo).join(' '));
        for (const w of c.text.match(/\p{L}{4,}/gu) ?? []) expect(source, `${id}#${c.ordinal} "${w}"`).toContain(letters(w));
      });
    }
  });

  it('keeps chunk sizes within bounds', () => {
    const sizes = all.map((c) => c.text.length).sort((a, b) => a - b);
    expect(sizes.at(-1)).toBeLessThanOrEqual(1200);
    expect(sizes[0]).toBeGreaterThan(20);
    const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(500);
    expect(sizes.filter((s) => s < 250).length / sizes.length).toBeLessThan(0.05);
    const small = chunkDocument(MASTERPLAN, cleanDocument(raw(MASTERPLAN), { documentId: MASTERPLAN }), { maxChars: 600, minChars: 200 });
    expect(Math.max(...small.map((c) => c.text.length))).toBeLessThanOrEqual(600);
    expect(small.length).toBeGreaterThan(chunks(MASTERPLAN).length * 1.5);
  });

  it('leaves no PDF noise in chunk texts', () => {
    for (const c of all) {
      expect(c.text).not.toMatch(/\uFFFD|\|\s*PIJLER|De primaire preventie \| PIJLER 1|^14 15$|^3938$/m);
      expect(c.headings.every((h) => h.length > 0 && h.length <= 100 && !h.includes('|'))).toBe(true);
    }
  });

  it('puts Masterplan measure 32 (complaints) under its own heading and lines', () => {
    const complaints = withText(MASTERPLAN, 'Ombuds.brussels');
    expect(complaints.length).toBeGreaterThan(0);
    for (const c of complaints) {
      expect(c.headings[0]).toMatch(/^PIJLER 4/);
      expect(c.headings[1]).toMatch(/^Maatregel 32 – De rechthebbenden kennen de procedure voor het indienen van klachten/);
      expect(c.lineFrom).toBeGreaterThanOrEqual(4780);
      expect(c.lineTo).toBeLessThanOrEqual(4819);
    }
  });

  it('gives each sub-measure of measure 17 its own chunks', () => {
    for (const sub of ['17.1', '17.2', '17.3', '17.4', '17.5', '17.6']) {
      const found = chunks(MASTERPLAN).filter((c) => c.headings.at(-1)?.startsWith(`${sub} `));
      expect(found.length, sub).toBeGreaterThan(0);
      for (const c of found) {
        expect(c.headings).toHaveLength(3);
        expect(c.headings[0]).toBe('PIJLER 2 – Secundaire preventie');
        expect(c.headings[1]).toMatch(/^Maatregel 17 – Een centraal punt/);
      }
    }
    const freeNumber = withText(MASTERPLAN, 'wachttijd maximaal 10 minuten');
    expect(freeNumber.map((c) => c.headings.at(-1))).toEqual(['17.2 Informatie en melding']);
  });

  it('never lets a Masterplan chunk cross a measure boundary, even where pages are out of order', () => {
    const starts = measureStarts();
    expect(starts.size).toBe(35);
    const sorted = [...starts.values()].sort((a, b) => a - b);
    for (const c of chunks(MASTERPLAN)) {
      const m = c.headings.find((h) => h.startsWith('Maatregel '))?.match(/^Maatregel (\d+)/);
      const inside = sorted.filter((s) => s > c.lineFrom && s <= c.lineTo);
      expect(inside, `#${c.ordinal}`).toEqual([]);
      if (!m) continue;
      const start = starts.get(Number(m[1])) ?? 0;
      const end = sorted.find((s) => s > start) ?? Infinity;
      expect(c.lineFrom).toBeGreaterThanOrEqual(start);
      expect(c.lineTo).toBeLessThan(end);
    }
  });

  it('derives the pillar from the measure number where labels are missing or misplaced', () => {
    const pillarOf = (n: number) => chunks(MASTERPLAN).find((c) => c.headings[1]?.startsWith(`Maatregel ${n} `))?.headings[0];
    expect(pillarOf(1)).toMatch(/^PIJLER 1/);
    expect(pillarOf(18)).toMatch(/^PIJLER 2/);
    expect(pillarOf(19)).toMatch(/^PIJLER 2/);
    expect(pillarOf(22)).toMatch(/^PIJLER 3/);
    expect(pillarOf(35)).toMatch(/^PIJLER 4/);
    // The pillar 3 intro page (l. 3808-3837) sits between measures 21 and 22 and belongs to neither.
    const intro = withText(MASTERPLAN, 'Tertiaire preventie omvat alle maatregelen');
    expect(intro[0]?.headings).toEqual(['PIJLER 3 – Tertiaire preventie', 'Pijler: kader en doelstellingen']);
  });

  it('does not repeat the heading path in the chunk text beyond the section heading line', () => {
    const c = withText(MASTERPLAN, 'wachttijd maximaal 10 minuten')[0];
    expect(c?.text).not.toContain('PIJLER 2');
    expect(c?.text.split('\n').filter((l) => l.startsWith('Maatregel 17')).length).toBe(0);
  });

  it('follows the structure of the other plans', () => {
    const early = withText('000_e621c450b624349b', 'Jaarlijks worden tot 200 mensen');
    expect(early[0]?.headings[0]).toMatch(/^Algemene doelstelling 1/);
    expect(early[0]?.headings.at(-1)).toMatch(/^1\.1\.1 \(OD\)/);
    const gbo = withText('001_c1465b57ccda06e5', 'snellere en warmere doorverwijzing');
    expect(gbo[0]?.headings.some((h) => /^OD 1\.3/.test(h))).toBe(true);
    const hit = withText('002_30401f9a23f9a7fe', 'Koningstraat 135');
    expect(hit[0]?.headings).toEqual(['2. DEPARTEMENT SOCIALE ACTIE (DSA)', 'Maatschappelijke aansluiting', '3. Dakloosheid']);
    const housingFirst = withText('003_202ad49bcd0c2b9b', 'Housing First');
    expect(housingFirst[0]?.headings).toEqual(['WONEN', 'CONCRETE AANBEVELINGEN', '3. Dak- en thuisloosheid vermijden']);
  });

  it('also chunks plain CleanLines (without the cleaner tags) by the document rules', () => {
    const plain: CleanLine[] = cleanDocument(raw(MASTERPLAN), { documentId: MASTERPLAN }).map(({ text, from, to }) => ({ text, from, to }));
    const c = chunkDocument(MASTERPLAN, plain).find((x) => x.text.includes('Ombuds.brussels'));
    expect(c?.headings.slice(0, 2).join(' / ')).toMatch(/^PIJLER 4 .* \/ Maatregel 32 – /);
  });
});

describe('loadCorpus', () => {
  it('reads the five plans with their metadata and a sha256 of the raw text', async () => {
    const docs = await loadCorpus();
    expect(docs.map((d) => d.meta.id)).toEqual(IDS);
    for (const d of docs) {
      expect(d.meta.file).toBe(`${d.meta.id}.txt`);
      expect(d.raw).toBe(raw(d.meta.id));
      expect(d.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(d.meta.lang).toBe('nl');
    }
    expect(docs.find((d) => d.meta.id === MASTERPLAN)?.meta).toMatchObject({ scope: 'brussels-region', programmatic: true, year: 2024 });
    expect(docs.find((d) => d.meta.id === '003_202ad49bcd0c2b9b')?.meta.scope).toBe('limburg');
    expect(new Set(docs.map((d) => d.hash)).size).toBe(5);
  });
});
