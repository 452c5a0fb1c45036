import { describe, it, expect } from 'vitest';
import { cleanDocument, type TaggedLine } from '../../knowledge/ingest/clean.js';
import { IDS, MASTERPLAN, excerpt, letters, raw, rawLines } from './helpers.js';

const cleaned = new Map(IDS.map((id) => [id, cleanDocument(raw(id), { documentId: id })]));
const doc = (id: string): TaggedLine[] => cleaned.get(id) ?? [];
/** The cleaned line holding `needle`. */
const lineWith = (id: string, needle: string) => doc(id).find((l) => l.text.includes(needle));

describe('cleanDocument on the five plans', () => {
  it('leaves no replacement character, bullet glyph, tab or double space in any document', () => {
    for (const id of IDS) {
      for (const l of doc(id)) {
        expect(l.text, `${id}:${l.from}`).not.toMatch(/\uFFFD|•|\t| {2}/);
        expect(l.text).toBe(l.text.trim());
      }
    }
  });

  it('keeps original line spans that are ordered, inside the file and made of the original words', () => {
    for (const id of IDS) {
      const orig = rawLines(id);
      for (const l of doc(id)) {
        expect(l.from).toBeGreaterThanOrEqual(1);
        expect(l.to).toBeGreaterThanOrEqual(l.from);
        expect(l.to).toBeLessThanOrEqual(orig.length);
        const source = letters(orig.slice(l.from - 1, l.to).join(' '));
        for (const w of l.text.match(/\p{L}{4,}/gu) ?? []) expect(source, `${id}:${l.from}-${l.to} "${w}"`).toContain(letters(w));
      }
    }
  });

  it('drops running headers, page footers and page numbers of two-page spreads', () => {
    const all = IDS.flatMap((id) => doc(id).map((l) => l.text));
    expect(all.some((t) => t.includes('De primaire preventie | PIJLER 1') || /\|\s*PIJLER/.test(t))).toBe(false);
    expect(all.some((t) => /Governance van het Masterplan$/.test(t) && t.includes('|'))).toBe(false);
    expect(all.some((t) => /^OCMW van de Stad Brussel \d+ Algemene beleidsnota/.test(t))).toBe(false);
    for (const pageNo of ['14 15', '16 17', '3938', '6564', '6', '8', '3']) expect(all).not.toContain(pageNo);
    // Original lines 859 ("14 15") and 861 (running header) belong to no cleaned line of the Masterplan.
    for (const n of [859, 861, 984, 2914, 2916]) expect(doc(MASTERPLAN).some((l) => l.from === n)).toBe(false);
  });

  it('re-joins a sentence hard-wrapped and broken by a blank line (Masterplan 2457-2459)', () => {
    const l = lineWith(MASTERPLAN, 'gedetailleerde meldingen van thuislozen in een straatsituatie door burgers');
    expect(l).toBeDefined();
    expect(l?.from).toBe(2457);
    expect(l?.to).toBe(2459);
    expect(l?.kind).toBe('bullet');
  });

  it('removes line-end hyphenation but keeps real compound hyphens and compound ellipses', () => {
    // "kun-/nen" (Limburg note l. 684-685) is hyphenation.
    const kunnen = doc('003_202ad49bcd0c2b9b').find((l) => l.from <= 684 && l.to >= 685);
    expect(kunnen?.text).toContain('kunnen dit doen');
    expect(kunnen?.text).not.toMatch(/kun-\s?nen/);
    // "Meeuwen-/Gruitrode" (l. 373-374) is a place name.
    expect(lineWith('003_202ad49bcd0c2b9b', 'Meeuwen-Gruitrode')?.to).toBe(374);
    // "socio-/éducatif" (Masterplan l. 1262-1263) keeps its hyphen, without a space.
    expect(lineWith(MASTERPLAN, 'socio-éducatif')?.from).toBe(1262);
    // "gezondheids- / en sociale diensten" (LWGC l. 361-363) is a compound ellipsis.
    const ellipsis = lineWith('000_e621c450b624349b', 'gezondheids- en sociale diensten');
    expect(ellipsis?.from).toBe(361);
    expect(ellipsis?.kind).toBe('heading');
  });

  it('works on an excerpt and reports line numbers relative to it', () => {
    const lines = cleanDocument(excerpt('003_202ad49bcd0c2b9b', 681, 686), { documentId: '003_202ad49bcd0c2b9b' });
    const joined = lines.find((l) => l.text.includes('kunnen'));
    expect(joined?.from).toBeLessThanOrEqual(684 - 680);
    expect(joined?.to).toBe(685 - 680);
  });

  it('strips footnote numbers glued to words and figures, not real numbers', () => {
    const intro = lineWith(MASTERPLAN, 'Beperkt Comité in 2023 hebben doorlopen');
    expect(intro?.text).toContain('hebben doorlopen.');
    expect(intro?.text).not.toContain('doorlopen1');
    expect(intro?.text).toContain('6 jaar van 2024 tot 2029');
    expect(lineWith('003_202ad49bcd0c2b9b', 'werkzoekenden in Limburg')?.text).toContain('nog steeds 31.667 werkzoekenden');
    const ocmw = lineWith('002_30401f9a23f9a7fe', 'In 2021 waren dat er');
    expect(ocmw?.text).toContain('waren dat er 29.953, wat een stijging is van 11,5%');
    expect(ocmw?.text).toContain('van 26.268 naar 27.160');
    expect(lineWith(MASTERPLAN, 'PZVV (Persoon zonder verblijfsvergunning)')).toBeDefined();
  });

  it('keeps footnotes apart, marked with their number', () => {
    const note = doc(MASTERPLAN).find((l) => l.kind === 'footnote' && l.text.startsWith('[17] BRUSSELSE BOND'));
    expect(note?.from).toBe(972);
  });

  it('repairs words split by spaces in the OCMW note', () => {
    const l = doc('002_30401f9a23f9a7fe').find((x) => x.from === 167);
    expect(l?.text).toContain('heeft zich voortgezet in 2020');
    expect(l?.text).toContain('in de loop van het eerste semester');
  });

  it('re-joins the double-spaced LWGC plan into paragraphs and drops its flattened timeline tables', () => {
    const lwgc = doc('000_e621c450b624349b');
    const voorwoord = lwgc.find((l) => l.text.startsWith('De doelstellingen zijn genummerd'));
    expect(voorwoord?.text).toContain('nummer 3 van intermediaire doelstelling nummer 1');
    expect(voorwoord?.from).toBe(3);
    expect(voorwoord?.to).toBe(7);
    expect(lwgc.filter((l) => l.from >= 578 && l.to <= 1053)).toEqual([]);
    expect(lwgc.some((l) => /^[xX ]+$/.test(l.text))).toBe(false);
    expect(lwgc.find((l) => l.text.startsWith('GERAAMDE BEGROTING 2022'))?.kind).toBe('heading');
  });

  it('drops the VGC table of contents and the Markdown markup', () => {
    const vgc = doc('001_c1465b57ccda06e5');
    expect(vgc.some((l) => /\.{4,}/.test(l.text))).toBe(false);
    expect(vgc.some((l) => /^#|\*\*|<\/?b>|<sup>/.test(l.text))).toBe(false);
    expect(vgc.find((l) => l.from === 42)).toMatchObject({ kind: 'heading', text: '1 Situering' });
  });

  it('recognises each plan from its text when no document id is given', () => {
    for (const id of IDS) expect(cleanDocument(raw(id)), id).toEqual(doc(id));
  });

  it('keeps headings as their own lines', () => {
    const m17 = doc(MASTERPLAN).find((l) => l.from === 3244);
    expect(m17).toMatchObject({ kind: 'heading', text: 'Maatregel 17', to: 3244 });
    const sub = doc(MASTERPLAN).find((l) => l.from === 3385);
    expect(sub).toMatchObject({ kind: 'heading', text: 'Deelmaatregel 17.3 : Dispatching naar de noodopvangplaatsen', to: 3386 });
    expect(doc('003_202ad49bcd0c2b9b').find((l) => l.from === 195)).toMatchObject({ kind: 'heading', text: 'KWALITEITSVOLLE MAATSCHAPPELIJKE DIENSTVERLENING', to: 196 });
    expect(doc('002_30401f9a23f9a7fe').find((l) => l.from === 957)).toMatchObject({ kind: 'heading', level: 3, text: '3. Dakloosheid' });
    expect(doc('002_30401f9a23f9a7fe').find((l) => l.from === 556)).toMatchObject({ kind: 'heading', level: 2 });
  });
});
