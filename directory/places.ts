/**
 * Places as the brain and the directory need them, on top of the gazetteer: the place a question names
 * ("près de la gare du Midi", "in Schaarbeek"), a commune id from a name, and approximate coordinates for a
 * directory location that has none of its own (its neighbourhood or commune centre, never shown as an address).
 */
import type { Locate } from './directory-search.js';
import type { Gazetteer } from './gazetteer.js';

export interface NamedPlace {
  /** The words the person used, for "1.2 km from gare du Midi". */
  name: string;
  lat: number;
  lon: number;
  commune: string;
  isCommune: boolean;
}

export class Places {
  constructor(private readonly gazetteer: Gazetteer) {}

  /** The most specific place the text names (a station or landmark before a commune), or undefined. */
  placeIn(text: string): NamedPlace | undefined {
    const found = this.gazetteer.findPlaces(text);
    if (!found.length) return undefined;
    const best = found.find((f) => f.place.kind !== 'commune') ?? found[0]!;
    return {
      name: best.matched, lat: best.place.lat, lon: best.place.lon, commune: best.place.commune,
      isCommune: best.place.kind === 'commune',
    };
  }

  /** A commune id from an id, a French or Dutch name, or a place within it. */
  communeId(text: string): string | undefined {
    const id = text.trim().toLowerCase();
    if (this.gazetteer.commune(id)) return id;
    return this.gazetteer.communeOf(text);
  }

  /** Approximate coordinates of a location: its named neighbourhood, else its commune's centre. */
  readonly locate: Locate = (loc) => {
    for (const text of [loc.name, loc.address_1]) {
      if (!text) continue;
      const hood = this.gazetteer.findPlaces(text).find((f) => f.place.kind === 'neighbourhood');
      if (hood) return { lat: hood.place.lat, lon: hood.place.lon, precision: 'neighbourhood' };
    }
    const commune = loc.x_commune ? this.gazetteer.commune(loc.x_commune) : undefined;
    return commune ? { lat: commune.lat, lon: commune.lon, precision: 'commune' } : undefined;
  };

  /** Great-circle distance in km. */
  distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
    return this.gazetteer.distanceKm(a, b);
  }
}
