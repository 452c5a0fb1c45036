import { describe, expect, it } from 'vitest';
import { detectSafety } from '../../conversation/safety.js';
import { CROCKFORD_ALPHABET, newReference, parseReference } from '../../dispatch/reference.js';
import {
  NewStreetReportSchema, clip, conditionsFromAlert, isLifeAtRisk, locationFromActivity, mergeConditions, triage,
  type Condition, type NewStreetReport, type Priority, type Route, type TriageInput,
} from '../../dispatch/street-report.js';

describe('triage', () => {
  const table: Array<[string, TriageInput, Route, Priority, { life: boolean; minor: boolean }]> = [
    ['injured', { conditions: ['injured'] }, 'emergency', 'urgent', { life: true, minor: false }],
    ['not moving', { conditions: ['not_moving'] }, 'emergency', 'urgent', { life: true, minor: false }],
    ['not breathing (from text)', { conditions: ['medical_emergency'] }, 'emergency', 'urgent', { life: true, minor: false }],
    ['hypothermia', { conditions: ['very_cold', 'sleeping'] }, 'emergency', 'urgent', { life: true, minor: false }],
    ['a child alone and injured: 112 first', { conditions: ['minor_alone', 'injured'] }, 'emergency', 'urgent', { life: true, minor: true }],
    ['a child alone', { conditions: ['minor_alone'] }, 'child-protection', 'high', { life: false, minor: true }],
    ['a child alone, asleep, asked for help', { conditions: ['minor_alone', 'sleeping'], askedForHelp: 'yes' }, 'child-protection', 'high', { life: false, minor: true }],
    ['sleeping outside', { conditions: ['sleeping'] }, 'outreach', 'normal', { life: false, minor: false }],
    ['asked for help', { conditions: ['ok'], askedForHelp: 'yes' }, 'outreach', 'normal', { life: false, minor: false }],
    ['shivering', { conditions: ['cold'] }, 'outreach', 'high', { life: false, minor: false }],
    ['violence, not life-level', { conditions: ['violence'] }, 'outreach', 'high', { life: false, minor: false }],
    ['life-level violence alert', { conditions: ['violence'], alerts: [{ kind: 'violence', priority: 'life' }] }, 'emergency', 'urgent', { life: true, minor: false }],
    ['seems ok, did not ask', { conditions: ['ok'], askedForHelp: 'no' }, 'street-work', 'normal', { life: false, minor: false }],
    ['nothing known', { conditions: [], askedForHelp: 'unknown' }, 'street-work', 'normal', { life: false, minor: false }],
  ];
  it.each(table)('%s', (_name, input, route, priority, flags) => {
    expect(triage(input)).toEqual({ route, priority, lifeAtRisk: flags.life, minor: flags.minor });
  });

  it('a child alert is not a life alert by itself (it is the child-protection route)', () => {
    expect(isLifeAtRisk([], [{ kind: 'child', priority: 'life' }])).toBe(false);
    expect(isLifeAtRisk([], [{ kind: 'medical', priority: 'life' }])).toBe(true);
  });
});

describe('conditions from free text (the safety detector)', () => {
  const cases: Array<[string, Condition[]]> = [
    ['he is not breathing', ['medical_emergency']],
    ['il ne respire plus', ['medical_emergency']],
    ['unconscious on the bench', ['medical_emergency']],
    ['hij bevriest, hypothermie', ['very_cold']],
    ['shivering a lot', ['cold']],
    ['un enfant seul à la gare', ['minor_alone']],
    ['a man with a green coat and a dog', []],
  ];
  it.each(cases)('%s', (text, want) => {
    expect(conditionsFromAlert(detectSafety(text))).toEqual(want);
  });

  it("'ok' gives way to any other condition; no repeats; a fixed order", () => {
    expect(mergeConditions(['ok'], ['injured', 'sleeping'], ['injured'])).toEqual(['sleeping', 'injured']);
    expect(mergeConditions(['ok'])).toEqual(['ok']);
  });
});

describe('locationFromActivity', () => {
  it('reads a GeoCoordinates entity', () => {
    expect(locationFromActivity({ entities: [{ type: 'mention' }, { type: 'GeoCoordinates', latitude: 50.8357, longitude: 4.3361 } as never] }))
      .toEqual({ lat: 50.8357, lon: 4.3361 });
  });
  it('reads a Place entity with geo', () => {
    expect(locationFromActivity({ entities: [{ type: 'Place', geo: { type: 'GeoCoordinates', latitude: 50.86, longitude: 4.36 } } as never] }))
      .toEqual({ lat: 50.86, lon: 4.36 });
  });
  it('reads a Microsoft location attachment', () => {
    expect(locationFromActivity({ attachments: [{ contentType: 'application/vnd.microsoft.location', content: { latitude: '50.84', longitude: '4.35' } }] }))
      .toEqual({ lat: 50.84, lon: 4.35 });
  });
  it('reads channelData.location and a Telegram message location', () => {
    expect(locationFromActivity({ channelData: { location: { latitude: 50.1, longitude: 4.2 } } })).toEqual({ lat: 50.1, lon: 4.2 });
    expect(locationFromActivity({ channelData: { message: { location: { latitude: 50.2, longitude: 4.3 } } } })).toEqual({ lat: 50.2, lon: 4.3 });
  });
  it('refuses missing or impossible coordinates', () => {
    expect(locationFromActivity({})).toBeUndefined();
    expect(locationFromActivity({ entities: [{ type: 'GeoCoordinates', latitude: 123, longitude: 4 } as never] })).toBeUndefined();
    expect(locationFromActivity({ attachments: [{ contentType: 'image/png', content: { latitude: 50, longitude: 4 } }] })).toBeUndefined();
    expect(locationFromActivity({ channelData: { location: { latitude: 'abc', longitude: 4 } } })).toBeUndefined();
  });
});

describe('the report schema', () => {
  const base: NewStreetReport = {
    lang: 'fr', channel: 'test', conversationId: 'c1',
    where: { text: 'gare du Midi', placeName: 'Gare du Midi', commune: 'saint-gilles', lat: 50.8357, lon: 4.3361, source: 'place' },
    when: { kind: 'now', text: null, at: new Date() }, description: 'manteau vert', conditions: ['sleeping'], conditionText: null,
    askedForHelp: 'no', consent: true, contact: '0470 00 00 00', route: 'outreach', priority: 'normal', emergencyTold: false,
  };
  it('accepts a full report', () => {
    expect(NewStreetReportSchema.parse(base).contact).toBe('0470 00 00 00');
  });
  it('refuses a contact without consent', () => {
    expect(() => NewStreetReportSchema.parse({ ...base, consent: false })).toThrow(/consent/);
  });
  it('refuses half a coordinate and unknown values', () => {
    expect(() => NewStreetReportSchema.parse({ ...base, where: { ...base.where, lon: null } })).toThrow();
    expect(() => NewStreetReportSchema.parse({ ...base, route: 'dispatching' })).toThrow();
    expect(() => NewStreetReportSchema.parse({ ...base, conditions: ['drunk'] })).toThrow();
  });
  it('clips long text for a summary', () => {
    expect(clip('a  very   long text here', 10)).toBe('a very lo…');
    expect(clip('short', 10)).toBe('short');
  });
});

describe('references', () => {
  it('have a prefix and Crockford characters only (no I, L, O, U)', () => {
    for (let i = 0; i < 300; i++) {
      const r = newReference();
      expect(r).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{6}$/);
      expect(r.slice(2)).not.toMatch(/[ILOU]/);
    }
    expect(newReference('H')).toMatch(/^H-[0-9A-Z]{6}$/);
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
  });
  it('use the whole alphabet (random, not a fixed pattern)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of newReference().slice(2)) seen.add(c);
    expect(seen.size).toBe(32);
    expect(new Set(Array.from({ length: 200 }, () => newReference())).size).toBe(200);
  });
  it('refuse a bad prefix or length', () => {
    expect(() => newReference('r')).toThrow();
    expect(() => newReference('R', 2)).toThrow();
  });
  it('parse what people type', () => {
    expect(parseReference('r-7k3q9p')).toBe('R-7K3Q9P');
    expect(parseReference(' R 7K3 Q9P ')).toBe('R-7K3Q9P');
    expect(parseReference('R-7K3O9P')).toBe('R-7K309P');
    expect(parseReference('R7K3Q9P', 'R')).toBe('R-7K3Q9P');
    expect(parseReference('h-ab1l2i', 'H')).toBe('H-AB1121');
    expect(parseReference('R-7K3Q9P', 'H')).toBeUndefined();
    expect(parseReference('R-7U3Q9P')).toBeUndefined();
    expect(parseReference('R-12')).toBeUndefined();
    expect(parseReference('R-7K3Q9P!')).toBeUndefined();
  });
});
