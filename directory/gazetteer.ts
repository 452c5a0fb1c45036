/**
 * Gazetteer of the Brussels-Capital Region (directory/gazetteer.json): the 19 communes, the neighbourhoods the plans
 * use, main stations and landmarks, with approximate coordinates, so "near Gare du Midi", "à Schaerbeek" or
 * "bij het zuidstation" can filter or rank services. Coordinates rank by distance only; they are never an address.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arabicVariants, stem, tokenize } from '../knowledge/embeddings/text.js';

export const GAZETTEER_FILE = join(dirname(fileURLToPath(import.meta.url)), 'gazetteer.json');

export type PlaceKind = 'commune' | 'neighbourhood' | 'station' | 'landmark' | 'region';

/** A point in WGS84 degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

/** One place as written in gazetteer.json. */
export interface Place extends LatLon {
  id: string;
  kind: PlaceKind;
  /** Gazetteer id of the commune the place lies in ("region" for the whole region). */
  commune: string;
  /** Display names in French and Dutch. */
  label: { fr: string; nl: string };
  /** Every way people write it: French, Dutch, English, without accents, Arabic and Cyrillic script. */
  names: string[];
  postalCodes?: string[];
}

/** A place named in a text, and the name that matched. */
export interface PlaceMatch {
  place: Place;
  matched: string;
}

interface GazetteerFile {
  places: Place[];
  skip: string[];
  locative: string[];
  contextual: Record<string, string[] | 'locative'>;
}

interface CompiledName {
  place: Place;
  name: string;
  tokens: string[];
}

const KINDS: ReadonlySet<string> = new Set(['commune', 'neighbourhood', 'station', 'landmark', 'region']);
const CYRILLIC = /^[\u0400-\u04FF]+$/;

/**
 * Forms under which a token is compared: itself; Arabic without clitics ("بسكاربيك" ~ "سكاربيك"); Cyrillic by its
 * Russian, Ukrainian and Bulgarian stems ("около Южного вокзала" ~ "Южный вокзал").
 */
function forms(token: string): string[] {
  if (CYRILLIC.test(token) && token.length >= 4) {
    const stems = (['ru', 'uk', 'bg'] as const).map((l) => stem(token, l)).filter((x) => x.length >= 3);
    return [token, ...stems.map((x) => `~${x}`)];
  }
  return arabicVariants(token);
}

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The compiled gazetteer. */
export class Gazetteer {
  readonly places: readonly Place[];
  private readonly byId: Map<string, Place>;
  /** Names indexed by their first token (and its Arabic clitic-free forms). */
  private readonly byFirst = new Map<string, CompiledName[]>();
  private readonly skip: ReadonlySet<string>;
  private readonly contextual: Map<string, ReadonlySet<string>>;

  constructor(data: GazetteerFile) {
    this.places = data.places;
    this.byId = new Map(data.places.map((p) => [p.id, p]));
    this.skip = new Set(data.skip.flatMap((w) => tokenize(w)));
    const locative = new Set(data.locative.flatMap((w) => tokenize(w)));
    this.contextual = new Map(
      Object.entries(data.contextual).map(([name, after]) => [
        tokenize(name).join(' '),
        after === 'locative' ? locative : new Set(after.flatMap((w) => tokenize(w))),
      ]),
    );
    for (const place of data.places) {
      for (const name of place.names) {
        const tokens = tokenize(name);
        if (!tokens.length) continue;
        const entry = { place, name, tokens };
        for (const v of forms(tokens[0]!)) {
          const list = this.byFirst.get(v);
          if (list) list.push(entry);
          else this.byFirst.set(v, [entry]);
        }
      }
    }
  }

  /**
   * Places named in the text, longest name first (then in text order), each place once. Names match whole words
   * only ("midi" not inside "midimarkt"), with accents folded, Arabic clitics stripped ("بسكاربيك") and Cyrillic
   * case endings allowed ("у Южного вокзала"). Plain "Brussels" names the whole region: it is left out unless
   * `includeRegion` is set, so callers never filter by it or measure distances from it.
   */
  findPlaces(text: string, opts: { includeRegion?: boolean } = {}): PlaceMatch[] {
    const tokens = tokenize(text);
    const found: Array<{ at: number; entry: CompiledName }> = [];
    tokens.forEach((tok, at) => {
      const seen = new Set<CompiledName>();
      for (const v of forms(tok)) {
        for (const entry of this.byFirst.get(v) ?? []) {
          if (seen.has(entry) || !this.matchesAt(entry.tokens, tokens, at) || !this.inContext(entry.tokens, tokens, at)) continue;
          seen.add(entry);
          found.push({ at, entry });
        }
      }
    });
    // Longest first: "Brussel-Zuid" beats "Brussel", "Woluwe-Saint-Pierre" beats "Saint-Pierre".
    found.sort((a, b) => b.entry.tokens.length - a.entry.tokens.length || b.entry.name.length - a.entry.name.length || a.at - b.at);
    const taken = new Set<number>();
    const out: PlaceMatch[] = [];
    for (const { at, entry } of found) {
      const span = entry.tokens.map((_, k) => at + k);
      if (span.some((i) => taken.has(i))) continue;
      span.forEach((i) => taken.add(i));
      if (!out.some((m) => m.place === entry.place)) out.push({ place: entry.place, matched: entry.name });
    }
    return opts.includeRegion ? out : out.filter((m) => m.place.kind !== 'region');
  }

  private matchesAt(name: string[], tokens: string[], at: number): boolean {
    return name.every((w, k) => {
      const tok = tokens[at + k];
      if (tok === undefined) return false;
      const mine = forms(w);
      return forms(tok).some((v) => mine.includes(v));
    });
  }

  /** An everyday word that is also a place name ("midi", "haren") counts only after a word such as "near"/"à". */
  private inContext(name: string[], tokens: string[], at: number): boolean {
    const allowed = this.contextual.get(name.join(' '));
    if (!allowed) return true;
    let i = at - 1;
    while (i >= 0 && this.skip.has(tokens[i]!)) i--;
    return i >= 0 && allowed.has(tokens[i]!);
  }

  /** The commune with this id, or undefined. */
  commune(id: string): Place | undefined {
    const p = this.byId.get(id);
    return p?.kind === 'commune' ? p : undefined;
  }

  /** The 19 communes. */
  communes(): Place[] {
    return this.places.filter((p) => p.kind === 'commune');
  }

  /** The commune named in the text, or the commune of the first place named; undefined for none or "Brussels". */
  communeOf(text: string): string | undefined {
    const found = this.findPlaces(text);
    return (found.find((m) => m.place.kind === 'commune') ?? found[0])?.place.commune;
  }

  /** The commune a Brussels postal code belongs to (1000 → bruxelles, 1030 → schaerbeek). */
  communeByPostalCode(code: string): Place | undefined {
    return this.communes().find((p) => p.postalCodes?.includes(code.trim()));
  }

  /** Any place by id, or undefined. */
  place(id: string): Place | undefined {
    return this.byId.get(id);
  }

  /** Great-circle distance in kilometres. */
  distanceKm(a: LatLon, b: LatLon): number {
    return distanceKm(a, b);
  }
}

/** Parses and checks gazetteer.json text; errors name the file and the place. */
export function parseGazetteer(raw: string, file = GAZETTEER_FILE): GazetteerFile {
  let doc: Partial<GazetteerFile>;
  try {
    doc = JSON.parse(raw) as Partial<GazetteerFile>;
  } catch (err) {
    throw new Error(`Gazetteer file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc.places)) throw new Error(`Gazetteer file ${file} has no "places" array`);
  const ids = new Set<string>();
  for (const [i, p] of doc.places.entries()) {
    const where = `Gazetteer file ${file}, place ${typeof p?.id === 'string' ? `"${p.id}"` : `#${i + 1}`}`;
    if (typeof p?.id !== 'string' || !/^[a-z0-9-]+$/.test(p.id)) throw new Error(`${where}: "id" must be a lowercase id`);
    if (ids.has(p.id)) throw new Error(`${where}: duplicate id`);
    ids.add(p.id);
    if (!KINDS.has(p.kind)) throw new Error(`${where}: unknown "kind" ${JSON.stringify(p.kind)}`);
    if (!(p.lat >= 50.76 && p.lat <= 50.92 && p.lon >= 4.24 && p.lon <= 4.48)) throw new Error(`${where}: coordinates outside the Brussels region`);
    if (!Array.isArray(p.names) || !p.names.length || !p.names.every((n) => typeof n === 'string')) throw new Error(`${where}: "names" must be a non-empty list`);
    if (typeof p.label?.fr !== 'string' || typeof p.label?.nl !== 'string') throw new Error(`${where}: "label" needs "fr" and "nl"`);
  }
  for (const p of doc.places) {
    if (p.commune !== 'region' && doc.places.find((c) => c.id === p.commune)?.kind !== 'commune') {
      throw new Error(`Gazetteer file ${file}, place "${p.id}": unknown commune "${p.commune}"`);
    }
  }
  return { places: doc.places, skip: doc.skip ?? [], locative: doc.locative ?? [], contextual: doc.contextual ?? {} };
}

/** Reads a gazetteer file. */
export function readGazetteer(file = GAZETTEER_FILE): Gazetteer {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Gazetteer file ${file} cannot be read: ${(err as Error).message}`);
  }
  return new Gazetteer(parseGazetteer(raw, file));
}

let shared: Gazetteer | undefined;
/** The project's gazetteer, loaded once per process. */
export function loadGazetteer(): Gazetteer {
  return (shared ??= readGazetteer());
}
