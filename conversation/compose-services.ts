/**
 * Service and card answers: a knowledge card in the person's language with its citations, then the best directory
 * services with name, phone, address, hours, who they are for and distance — each missing field said to be "not on
 * file" rather than guessed — and, for shelters, how fresh the free-places figure is, never promising a bed.
 */
import type { Card } from '../knowledge/cards/load-cards.js';
import type { DocumentMeta } from '../knowledge/types.js';
import type { ServiceHit } from '../directory/directory-search.js';
import type { Schedule } from '../directory/model.js';
import { tFor } from './i18n.js';
import type { Lang } from './languages.js';

/** Labels of taxonomy categories in a language (from directory/taxonomy). */
export type LabelOf = (categoryId: string, lang: Lang) => string | undefined;

/** The card's body with its citations, in the person's language. */
export function composeCard(card: Card, lang: Lang, docs: Map<string, Pick<DocumentMeta, 'shortTitle'>>): string {
  const t = tFor(lang);
  const text = card.text[lang];
  const cites = card.citations.map((c) =>
    t('answer.citation_no_section', { title: docs.get(c.document)?.shortTitle ?? c.document, from: c.lines[0], to: c.lines[1] }));
  // A card about what the plan foresees says so in the line's own words, as plan answers do.
  return [text.title, text.body, ...(card.foreseen ? [t('answer.plan_foresees')] : []), ...cites].join('\n');
}

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** "Mon-Fri 09:00-17:00", "20:00-08:00", "24/7" in the person's language. */
export function describeHours(schedules: Schedule[], lang: Lang): string | undefined {
  const t = tFor(lang);
  const parts: string[] = [];
  // 2024-01-01 was a Monday: weekday names in the person's language without a table of our own.
  const dayName = (d: (typeof DAYS)[number]) =>
    new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + DAYS.indexOf(d))));
  for (const s of schedules) {
    const days = s.byday.length === 7 ? '' : `${s.byday.map(dayName).join(', ')} `;
    if (s.x_always_open) parts.push(s.byday.length === 7 ? t('services.always_open') : `${days}24h`);
    else if (s.opens_at && s.closes_at) parts.push(`${days}${s.opens_at}-${s.closes_at}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

export interface ServiceLineOptions {
  lang: Lang;
  labelOf: LabelOf;
  /** Name of the place distances are measured from ("Gare du Midi"). */
  placeName?: string;
  now: Date;
}

/** One service as a short line (SMS-sized): name, what, phone, address, hours, for whom, distance, free places. */
export function composeServiceLine(s: ServiceHit, i: number, o: ServiceLineOptions): string {
  const t = tFor(o.lang);
  const what = s.categories.map((c) => o.labelOf(c, o.lang)).filter(Boolean).slice(0, 2).join(', ');
  const fields: string[] = [];
  fields.push(s.phones.length ? `☎ ${s.phones.map((p) => p.number).join(', ')}` : t('services.no_phone'));
  const loc = s.locations.find((l) => l.address) ?? s.locations[0];
  const address = loc?.address ? [loc.address, loc.postalCode].filter(Boolean).join(', ') : undefined;
  fields.push(address ?? t('services.no_address'));
  const hours = describeHours(s.schedules, o.lang);
  fields.push(hours ? t('services.hours', { hours }) : t('services.hours_unknown'));
  if (s.openNow !== 'unknown') fields.push(t(s.openNow === 'open' ? 'services.open_now' : 'services.closed_now'));
  const groups = s.groups.map((g) => o.labelOf(g, o.lang)).filter(Boolean).join(', ');
  if (groups) fields.push(t('services.for', { groups }));
  if (s.ages) fields.push(t('services.ages', { min: s.ages.min ?? 0, max: s.ages.max ?? '…' }));
  if (s.distanceKm !== null && o.placeName) {
    const approx = s.locations.some((l) => l.precision && l.precision !== 'address');
    fields.push(t(approx ? 'services.distance_approx' : 'services.distance', { km: s.distanceKm.toFixed(1), place: o.placeName }));
  }
  if (s.programmatic) fields.push(t('services.foreseen'));
  let line = `${i + 1}. ${s.name}${what ? ` (${what})` : ''}: ${fields.join('; ')}.`;
  if (s.live) line += ` ${t('services.free_places', { free: s.live.free, total: s.live.total, age: ago(s.live.updatedAt, o.now, o.lang) })}`;
  return line;
}

/** "25 minutes ago" in the person's language. */
export function ago(iso: string, now: Date, lang: Lang): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 60_000));
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  if (minutes < 48 * 60) return rtf.format(-Math.round(minutes / 60), 'hour');
  return rtf.format(-Math.round(minutes / 1440), 'day');
}

/** The services part of an answer: intro, one line per service, the no-promise note and the offer of a person. */
export function composeServices(services: ServiceHit[], o: ServiceLineOptions): string {
  const t = tFor(o.lang);
  if (!services.length) return t('services.none');
  const lines = [t('services.intro'), ...services.map((s, i) => composeServiceLine(s, i, o))];
  // Asked for "near X" but nothing listed has a known place: say so rather than imply the list is nearby.
  if (o.placeName && services.every((s) => s.distanceKm === null)) lines.push(t('services.none_near', { place: o.placeName }));
  if (services.some((s) => s.live)) lines.push(t('services.no_promise'));
  const missing = services.some((s) => !s.phones.length || !s.locations.some((l) => l.address) || !s.schedules.length);
  if (missing) lines.push(t('services.missing_offer'));
  return lines.join('\n');
}
