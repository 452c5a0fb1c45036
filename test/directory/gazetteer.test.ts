import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GAZETTEER_FILE, distanceKm, loadGazetteer, parseGazetteer, readGazetteer } from '../../directory/gazetteer.js';
import { Location } from '../../directory/model.js';

const gazetteer = loadGazetteer();
const ids = (text: string) => gazetteer.findPlaces(text).map((m) => m.place.id);

/** The commune ids of .helpers/IDS.md with their official French and Dutch names. */
const COMMUNES: Record<string, [string, string]> = {
  anderlecht: ['Anderlecht', 'Anderlecht'],
  auderghem: ['Auderghem', 'Oudergem'],
  'berchem-sainte-agathe': ['Berchem-Sainte-Agathe', 'Sint-Agatha-Berchem'],
  bruxelles: ['Ville de Bruxelles', 'Stad Brussel'],
  etterbeek: ['Etterbeek', 'Etterbeek'],
  evere: ['Evere', 'Evere'],
  forest: ['Forest', 'Vorst'],
  ganshoren: ['Ganshoren', 'Ganshoren'],
  ixelles: ['Ixelles', 'Elsene'],
  jette: ['Jette', 'Jette'],
  koekelberg: ['Koekelberg', 'Koekelberg'],
  'molenbeek-saint-jean': ['Molenbeek-Saint-Jean', 'Sint-Jans-Molenbeek'],
  'saint-gilles': ['Saint-Gilles', 'Sint-Gillis'],
  'saint-josse-ten-noode': ['Saint-Josse-ten-Noode', 'Sint-Joost-ten-Node'],
  schaerbeek: ['Schaerbeek', 'Schaarbeek'],
  uccle: ['Uccle', 'Ukkel'],
  'watermael-boitsfort': ['Watermael-Boitsfort', 'Watermaal-Bosvoorde'],
  'woluwe-saint-lambert': ['Woluwe-Saint-Lambert', 'Sint-Lambrechts-Woluwe'],
  'woluwe-saint-pierre': ['Woluwe-Saint-Pierre', 'Sint-Pieters-Woluwe'],
};

describe('gazetteer', () => {
  describe('data', () => {
    it('should hold the 19 communes with their French and Dutch names, each findable by both', () => {
      expect(gazetteer.communes().map((c) => c.id).sort()).toEqual(Object.keys(COMMUNES).sort());
      for (const [id, [fr, nl]] of Object.entries(COMMUNES)) {
        const c = gazetteer.commune(id)!;
        expect(c.label).toEqual({ fr, nl });
        expect(c.names).toEqual(expect.arrayContaining([fr, nl]));
        expect(c.postalCodes?.length, id).toBeGreaterThan(0);
        expect(gazetteer.communeOf(`j'habite à ${fr}`), fr).toBe(id);
        expect(gazetteer.communeOf(`ik woon in ${nl}`), nl).toBe(id);
      }
    });

    it('should keep every coordinate inside the Brussels box and valid for a directory location', () => {
      for (const p of gazetteer.places) {
        expect(p.lat, p.id).toBeGreaterThanOrEqual(50.76);
        expect(p.lat, p.id).toBeLessThanOrEqual(50.92);
        expect(p.lon, p.id).toBeGreaterThanOrEqual(4.24);
        expect(p.lon, p.id).toBeLessThanOrEqual(4.48);
        expect(() => Location.parse({ id: 'x', organization_id: 'o', latitude: p.lat, longitude: p.lon, x_source: 'plan' })).not.toThrow();
      }
    });

    it('should place each neighbourhood, station and landmark in a known commune', () => {
      expect(gazetteer.place('marolles')!.commune).toBe('bruxelles');
      expect(gazetteer.place('laeken')!.commune).toBe('bruxelles');
      expect(gazetteer.place('peterbos')!.commune).toBe('anderlecht');
      expect(gazetteer.place('matonge')!.commune).toBe('ixelles');
      expect(gazetteer.place('bruxelles-midi')!.commune).toBe('saint-gilles');
      for (const p of gazetteer.places) {
        if (p.kind === 'region') continue;
        expect(gazetteer.commune(p.commune), `${p.id} → ${p.commune}`).toBeDefined();
      }
    });

    it('should say the coordinates are approximate and never an address', () => {
      const note = (JSON.parse(readFileSync(GAZETTEER_FILE, 'utf8')) as { note: string }).note;
      expect(note).toMatch(/approximate/);
      expect(note).toMatch(/never shown as an address/);
    });
  });

  describe('findPlaces', () => {
    it.each([
      ['fr', 'je cherche une douche près de la gare du Midi', 'bruxelles-midi'],
      ['fr', 'près de la gare du midi', 'bruxelles-midi'],
      ['fr', 'à Schaerbeek', 'schaerbeek'],
      ['fr', 'un centre de jour à Saint-Gilles ?', 'saint-gilles'],
      ['fr', "j'habite aux Marolles", 'marolles'],
      ['nl', 'bij het zuidstation', 'bruxelles-midi'],
      ['nl', 'in Schaarbeek', 'schaerbeek'],
      ['nl', 'ik woon in de Marollen', 'marolles'],
      ['nl', 'opvang in Sint-Jans-Molenbeek', 'molenbeek-saint-jean'],
      ['nl', 'aan het Noordstation', 'bruxelles-nord'],
      ['en', 'near Gare du Midi', 'bruxelles-midi'],
      ['en', 'closer to Anderlecht', 'anderlecht'],
      ['en', 'somewhere near the south station', 'bruxelles-midi'],
      ['en', 'next to the Grand Place', 'grand-place'],
      ['ar', 'قرب محطة الجنوب', 'bruxelles-midi'],
      ['ar', 'أين أنام قرب غار دو ميدي', 'bruxelles-midi'],
      ['ar', 'في سكاربيك', 'schaerbeek'],
      ['ar', 'أسكن بسكاربيك', 'schaerbeek'],
      ['ar', 'أسكن في حي المارول', 'marolles'],
      ['ru', 'около Южного вокзала', 'bruxelles-midi'],
      ['uk', 'біля Південного вокзалу', 'bruxelles-midi'],
      ['ru', 'живу в Схарбеке', 'schaerbeek'],
    ])('should find the place in %s: "%s"', (_lang, text, id) => {
      expect(ids(text)).toContain(id);
    });

    it('should match whole words only', () => {
      expect(ids('de midimarkt op zondag')).toEqual([]);
      expect(ids('midimarkt')).toEqual([]);
      expect(ids('Schaerbeekois')).toEqual([]);
    });

    it('should prefer the longest name', () => {
      expect(gazetteer.findPlaces('Brussel-Zuid')).toEqual([{ place: gazetteer.place('bruxelles-midi'), matched: 'Brussel-Zuid' }]);
      expect(ids('à Woluwe-Saint-Pierre')).toEqual(['woluwe-saint-pierre']);
      expect(ids("à l'hôpital Saint-Pierre")).toEqual(['hopital-saint-pierre']);
      expect(ids('gare de Schaerbeek')).toEqual(['schaerbeek-station']);
      expect(ids('de Noordwijk en daarna Laken').sort()).toEqual(['noordwijk']);
      expect(ids('van de Noordwijk naar Laken').sort()).toEqual(['laeken', 'noordwijk']);
    });

    it('should list several places longest name first', () => {
      expect(gazetteer.findPlaces('van Anderlecht naar het station Brussel-Zuid').map((m) => m.matched)).toEqual([
        'station Brussel-Zuid',
        'Anderlecht',
      ]);
    });

    it('should not take everyday words for places', () => {
      expect(ids('on se voit à midi')).toEqual([]);
      expect(ids('cet après-midi')).toEqual([]);
      expect(ids('mijn haren wassen')).toEqual([]);
      expect(ids('il me jette dehors')).toEqual([]);
      expect(ids('bij vorst is er extra opvang')).toEqual([]);
      expect(ids('une bourse d’études')).toEqual([]);
      expect(ids('a walk in the forest')).toEqual([]);
      expect(ids('ik heb een laken nodig')).toEqual([]);
    });

    it('should find the same words when they name a place', () => {
      expect(ids('près du Midi')).toEqual(['bruxelles-midi']);
      expect(ids('ik woon in Haren')).toEqual(['haren']);
      expect(ids("j'habite à Jette")).toEqual(['jette']);
      expect(ids('in Vorst')).toEqual(['forest']);
      expect(ids('près de la Bourse')).toEqual(['bourse']);
    });

    it('should read plain "Brussels" as the whole region, not the City of Brussels', () => {
      expect(ids('أين يمكنني أن آكل اليوم في بروكسل')).toEqual([]);
      expect(gazetteer.findPlaces('أين يمكنني أن آكل اليوم في بروكسل', { includeRegion: true }).map((m) => m.place.id)).toEqual(['region']);
      expect(gazetteer.findPlaces('waar kan ik eten in Brussel', { includeRegion: true })[0]!.matched).toBe('Brussel');
      expect(gazetteer.communeOf('where can I eat in Brussels')).toBeUndefined();
      expect(gazetteer.communeOf('in de Stad Brussel')).toBe('bruxelles');
    });
  });

  describe('communes', () => {
    it('should give the commune of a place named', () => {
      expect(gazetteer.communeOf('near Gare du Midi')).toBe('saint-gilles');
      expect(gazetteer.communeOf('ik woon in Laken')).toBe('bruxelles');
      expect(gazetteer.communeOf('à Peterbos')).toBe('anderlecht');
      expect(gazetteer.communeOf('what time is the football match')).toBeUndefined();
    });

    it('should prefer a commune named over the commune of a place', () => {
      expect(gazetteer.communeOf('je suis à Matonge mais je cherche à Uccle')).toBe('uccle');
    });

    it('should find a commune by postal code and refuse an unknown id', () => {
      expect(gazetteer.communeByPostalCode('1030')!.id).toBe('schaerbeek');
      expect(gazetteer.communeByPostalCode('1020')!.id).toBe('bruxelles');
      expect(gazetteer.communeByPostalCode('9000')).toBeUndefined();
      expect(gazetteer.commune('marolles')).toBeUndefined();
      expect(gazetteer.place('nowhere')).toBeUndefined();
    });
  });

  describe('distance', () => {
    it('should put Gare du Midi between 1 and 3 km from the Grand-Place', () => {
      const d = gazetteer.distanceKm(gazetteer.place('bruxelles-midi')!, gazetteer.place('grand-place')!);
      expect(d).toBeGreaterThan(1);
      expect(d).toBeLessThan(3);
    });

    it('should be a haversine distance: zero to itself, symmetric, about 111 km per degree of latitude', () => {
      const a = { lat: 50.8, lon: 4.3 };
      expect(distanceKm(a, a)).toBe(0);
      expect(distanceKm(a, { lat: 50.9, lon: 4.4 })).toBeCloseTo(distanceKm({ lat: 50.9, lon: 4.4 }, a), 9);
      expect(distanceKm({ lat: 50, lon: 4 }, { lat: 51, lon: 4 })).toBeCloseTo(111.2, 0);
    });

    it('should rank stations by distance from a commune sensibly', () => {
      const anderlecht = gazetteer.commune('anderlecht')!;
      const near = gazetteer.places
        .filter((p) => p.kind === 'station')
        .sort((a, b) => distanceKm(anderlecht, a) - distanceKm(anderlecht, b))
        .map((p) => p.id);
      expect(near.slice(0, 2).sort()).toEqual(['bruxelles-midi', 'bruxelles-ouest']);
      expect(near.at(-1)).toBe('schaerbeek-station');
    });
  });

  describe('loading', () => {
    it('should load once per process', () => {
      expect(loadGazetteer()).toBe(gazetteer);
    });

    it('should name the file and the place when it is broken', () => {
      const dir = mkdtempSync(join(tmpdir(), 'gazetteer-'));
      const file = join(dir, 'gazetteer.json');
      writeFileSync(file, '{ "places": ');
      expect(() => readGazetteer(file)).toThrow(file);
      const doc = JSON.parse(readFileSync(GAZETTEER_FILE, 'utf8')) as { places: Array<Record<string, unknown>> };
      doc.places[0]!.lat = 48.85;
      expect(() => parseGazetteer(JSON.stringify(doc), file)).toThrow(/place "anderlecht": coordinates outside/);
      doc.places[0]!.lat = 50.83;
      doc.places[20]!.commune = 'paris';
      expect(() => parseGazetteer(JSON.stringify(doc), file)).toThrow(/unknown commune "paris"/);
    });
  });
});
