/**
 * A citizen's report of a person on the street (what StreetLink does in the UK, for Brussels): the model, the
 * triage (is a life at risk? a child alone?) and the routing to the right team. Pure functions: the dialog
 * (bot/dialogs/report-dialog.ts) collects the answers, the repository (reports.repository.ts) stores them.
 *
 * Routing follows the Masterplan (seed 004_cb8e911b77208c6d), measure 12, lines 2466-2475: the central point passes
 * reports on ("deze meldingen doorgeven ... aan:") to
 *   "de straathoekwerkers als er nood is aan begeleiding of
 *    informatie;"
 *   "de daklozenrondes als er nood is aan hulp, een luisterend
 *    oor, medische zorgen, psychosociale ondersteuning,
 *    vervoer naar de noodopvangcentra;"
 * so guidance or information → street work; help, care, transport to a shelter → an outreach round (maraude).
 *
 * Minors never go to the adult dispatching: measure 24 (unaccompanied foreign minors), lines 4201-4204, "worden dus geen NBMV’s gemeld aan de
 * dispatchingdiensten en doorverwijzingsmechanismen. Opgevangen worden zonder gemeld te worden, blijft bovendien
 * een recht."; measure 19, line 3579, "SMART-indicator: nooit kinderen weigeren", and lines 3591-3595: the early
 * protection mechanism for minors is not yet defined (to be worked out with the Service d’Aide à la Jeunesse,
 * OpGroeien and the Crisisnetwerk Jeugdhulp Brussel). Hence a separate 'child-protection' route.
 *
 * A life at risk (injured, not moving or unconscious, not breathing, hypothermia) is 112 first: the reporter is
 * told at once, and the report is still stored, with top priority.
 */
import { z } from 'zod';
import type { SafetyAlert } from '../conversation/safety.js';
import { SUPPORTED_LANGS } from '../conversation/languages.js';

/** What the person seen seems to be like. The first five are the dialog's choices; the others come from free text. */
export const CONDITIONS = [
  'sleeping', 'injured', 'not_moving', 'minor_alone', 'ok',
  // From the safety detector on free text (conversation/safety.ts).
  'medical_emergency', 'very_cold', 'cold', 'violence', 'self_harm',
] as const;
export type Condition = (typeof CONDITIONS)[number];

/** The choices the dialog offers for "how does the person seem?", in this order. */
export const CONDITION_CHOICES = ['sleeping', 'injured', 'not_moving', 'minor_alone', 'ok'] as const satisfies readonly Condition[];

/** Conditions that mean a life may be at risk: call 112 now. */
export const LIFE_AT_RISK: ReadonlySet<Condition> = new Set<Condition>(['injured', 'not_moving', 'medical_emergency', 'very_cold']);

export const SEEN_WHEN = ['now', 'earlier_today', 'last_night', 'other'] as const;
export type SeenWhen = (typeof SEEN_WHEN)[number];

export const ASKED_FOR_HELP = ['yes', 'no', 'unknown'] as const;
export type AskedForHelp = (typeof ASKED_FOR_HELP)[number];

export const ROUTES = ['emergency', 'child-protection', 'outreach', 'street-work'] as const;
export type Route = (typeof ROUTES)[number];

export const PRIORITIES = ['urgent', 'high', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

const text = (max: number) => z.string().trim().max(max);

/** A report as the dialog hands it to the repository (the reference, dates and status are the repository's). */
export const NewStreetReportSchema = z
  .object({
    lang: z.enum(SUPPORTED_LANGS),
    channel: text(64).min(1),
    conversationId: text(256).nullable(),
    where: z.object({
      text: text(500),
      placeName: text(200).nullable(),
      commune: text(64).nullable(),
      lat: z.number().min(-90).max(90).nullable(),
      lon: z.number().min(-180).max(180).nullable(),
      source: z.enum(['shared', 'place']).nullable(),
    }),
    when: z.object({ kind: z.enum(SEEN_WHEN), text: text(200).nullable(), at: z.date().nullable() }),
    description: text(1000),
    conditions: z.array(z.enum(CONDITIONS)).max(CONDITIONS.length),
    conditionText: text(500).nullable(),
    askedForHelp: z.enum(ASKED_FOR_HELP),
    consent: z.boolean(),
    contact: text(200).min(1).nullable(),
    route: z.enum(ROUTES),
    priority: z.enum(PRIORITIES),
    emergencyTold: z.boolean(),
  })
  .refine((r) => r.contact === null || r.consent, { message: 'contact is stored only with consent', path: ['contact'] })
  .refine((r) => (r.where.lat === null) === (r.where.lon === null), { message: 'latitude and longitude go together', path: ['where'] });
export type NewStreetReport = z.infer<typeof NewStreetReportSchema>;

/** A stored report. */
export interface StreetReport extends NewStreetReport {
  id: number;
  reference: string;
  status: string;
  createdAt: Date;
  deleteAfter: Date;
}

/** What triage decides. */
export interface Triage {
  route: Route;
  priority: Priority;
  /** Tell the reporter to call 112 now. */
  lifeAtRisk: boolean;
  /** A child or teenager alone: the child-protection message and route (never the adult dispatching). */
  minor: boolean;
}

export interface TriageInput {
  conditions: readonly Condition[];
  askedForHelp?: AskedForHelp;
  /** Safety alerts raised by the free-text answers: a life-level one (violence, self-harm...) is an emergency too. */
  alerts?: ReadonlyArray<SafetyAlert | undefined>;
}

/** Conditions a safety alert on a free-text answer shows (conversation/safety.ts detectSafety). */
export function conditionsFromAlert(alert: SafetyAlert | undefined): Condition[] {
  if (!alert) return [];
  switch (alert.kind) {
    case 'medical': return ['medical_emergency'];
    case 'cold': return [alert.priority === 'life' ? 'very_cold' : 'cold'];
    case 'child': return ['minor_alone'];
    case 'violence': return ['violence'];
    case 'suicide': return ['self_harm'];
  }
}

/** Adds conditions without repeating any; 'ok' gives way to anything else the reporter said. */
export function mergeConditions(...lists: ReadonlyArray<readonly Condition[]>): Condition[] {
  const all = new Set<Condition>(lists.flat());
  if (all.size > 1) all.delete('ok');
  return CONDITIONS.filter((c) => all.has(c));
}

/** Whether the conditions (or a life-level safety alert) show a life at risk. */
export function isLifeAtRisk(conditions: readonly Condition[], alerts: ReadonlyArray<SafetyAlert | undefined> = []): boolean {
  return conditions.some((c) => LIFE_AT_RISK.has(c)) || alerts.some((a) => a?.priority === 'life' && a.kind !== 'child');
}

/**
 * Route and priority for a report.
 * - a life at risk → 'emergency', urgent (112 was told; the report is stored with top priority);
 * - a minor alone → 'child-protection', high (measures 19 and 24: not the adult dispatching);
 * - help, care or transport needed (measure 12: "hulp, een luisterend oor, medische zorgen, psychosociale
 *   ondersteuning, vervoer naar de noodopvangcentra") → 'outreach': the person asked for help, sleeps outside, is
 *   cold, or shows violence or self-harm; high when cold or hurt in ways short of 112;
 * - otherwise guidance or information ("begeleiding of informatie") → 'street-work', normal.
 */
export function triage(input: TriageInput): Triage {
  const conditions = mergeConditions(input.conditions);
  const lifeAtRisk = isLifeAtRisk(conditions, input.alerts);
  const minor = conditions.includes('minor_alone');
  if (lifeAtRisk) return { route: 'emergency', priority: 'urgent', lifeAtRisk, minor };
  if (minor) return { route: 'child-protection', priority: 'high', lifeAtRisk, minor };
  const pressing = conditions.some((c) => c === 'cold' || c === 'violence' || c === 'self_harm');
  const needsHelp = pressing || input.askedForHelp === 'yes' || conditions.includes('sleeping');
  if (needsHelp) return { route: 'outreach', priority: pressing ? 'high' : 'normal', lifeAtRisk, minor };
  return { route: 'street-work', priority: 'normal', lifeAtRisk, minor };
}

/** A shared location. */
export interface SharedLocation {
  lat: number;
  lon: number;
}

function coords(lat: unknown, lon: unknown): SharedLocation | undefined {
  const la = typeof lat === 'string' ? Number(lat) : lat;
  const lo = typeof lon === 'string' ? Number(lon) : lon;
  if (typeof la !== 'number' || typeof lo !== 'number' || !Number.isFinite(la) || !Number.isFinite(lo)) return undefined;
  if (la < -90 || la > 90 || lo < -180 || lo > 180) return undefined;
  return { lat: la, lon: lo };
}

function geoOf(value: unknown): SharedLocation | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  return coords(v.latitude ?? v.lat, v.longitude ?? v.lon ?? v.long ?? v.lng) ?? (v.geo ? geoOf(v.geo) : undefined)
    ?? (v.coordinates ? geoOf(v.coordinates) : undefined);
}

/** The parts of an activity that can carry a location (structurally, so any Bot Framework activity fits). */
export interface LocationCarrier {
  entities?: ReadonlyArray<{ type?: string }>;
  attachments?: ReadonlyArray<{ contentType?: string; content?: unknown }>;
  channelData?: unknown;
}

/**
 * A location the person shared: an entity `{type:'GeoCoordinates', latitude, longitude}` or
 * `{type:'Place', geo:{latitude, longitude}}`, an attachment of type 'application/vnd.microsoft.location' (or a
 * channel's 'location' attachment with a payload), or `channelData.location` / `channelData.message.location`
 * (Telegram). Undefined when there is none or its coordinates are not valid.
 */
export function locationFromActivity(activity: LocationCarrier): SharedLocation | undefined {
  for (const e of activity.entities ?? []) {
    if (e.type === 'GeoCoordinates') {
      const g = geoOf(e);
      if (g) return g;
    }
    if (e.type === 'Place') {
      const g = geoOf((e as { geo?: unknown }).geo);
      if (g) return g;
    }
  }
  for (const a of activity.attachments ?? []) {
    const type = (a.contentType ?? (a as { type?: string }).type ?? '').toLowerCase();
    if (type === 'application/vnd.microsoft.location' || type === 'location') {
      const g = geoOf(a.content) ?? geoOf((a as { payload?: unknown }).payload);
      if (g) return g;
    }
  }
  const cd = activity.channelData as { location?: unknown; message?: { location?: unknown } } | undefined;
  if (cd && typeof cd === 'object') return geoOf(cd.location) ?? geoOf(cd.message?.location);
  return undefined;
}

/** Shortens a text for a one-line summary. */
export function clip(value: string, max: number): string {
  const chars = [...value.trim().replace(/\s+/g, ' ')];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
