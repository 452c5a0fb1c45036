/**
 * Opening hours in Europe/Brussels time: is a service open at an instant, will it be open tonight.
 * Schedules are wall-clock times (a night shelter opens at 20:00 whatever the UTC offset), so every check converts
 * the instant to Brussels local time first; luxon does the DST arithmetic. An interval whose closing time is not
 * after its opening time runs overnight into the next day. Seasonal bounds ("--11-15" to "--03-31") may wrap the year.
 *
 * @example
 *   openState(schedules, new Date())  // 'open' | 'closed' | 'unknown'
 */
import { DateTime } from 'luxon';
import type { Schedule } from './model.js';

export const ZONE = 'Europe/Brussels';
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** What the directory knows about a service's opening at some moment. */
export type OpenState = 'open' | 'closed' | 'unknown';

/** The part of a schedule the checks need. */
export type Hours = Pick<Schedule, 'byday' | 'opens_at' | 'closes_at' | 'x_always_open' | 'valid_from' | 'valid_to'>;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether a local date lies within the schedule's validity (full dates or yearly month-days, which may wrap). */
export function inSeason(s: Pick<Hours, 'valid_from' | 'valid_to'>, day: DateTime): boolean {
  const iso = day.toISODate()!;
  const md = iso.slice(5);
  const from = s.valid_from;
  const to = s.valid_to;
  if (!from && !to) return true;
  const yearly = (v: string | null) => (v && v.startsWith('--') ? v.slice(2) : null);
  const fy = yearly(from);
  const ty = yearly(to);
  if ((from && !fy) || (to && !ty)) {
    // Full dates: a plain range (an open end is unbounded).
    return (!from || fy !== null || iso >= from) && (!to || ty !== null || iso <= to);
  }
  if (fy && ty) return fy <= ty ? md >= fy && md <= ty : md >= fy || md <= ty;
  if (fy) return md >= fy;
  return md <= ty!;
}

/** True when one schedule has the service open at the given local time. */
function openBy(s: Hours, local: DateTime): boolean {
  const day = DAYS[local.weekday - 1]!;
  if (s.x_always_open) return s.byday.includes(day) && inSeason(s, local);
  if (!s.opens_at || !s.closes_at) return false;
  const now = local.hour * 60 + local.minute;
  const open = minutes(s.opens_at);
  const close = minutes(s.closes_at);
  if (close > open) return s.byday.includes(day) && inSeason(s, local) && now >= open && now < close;
  // Overnight: open from `open` on a listed day until `close` the next morning.
  if (now >= open && s.byday.includes(day) && inSeason(s, local)) return true;
  const yesterday = local.minus({ days: 1 });
  return now < close && s.byday.includes(DAYS[yesterday.weekday - 1]!) && inSeason(s, yesterday);
}

/** Open, closed, or unknown (no hours on file) at an instant. */
export function openState(schedules: Hours[], at: Date): OpenState {
  const usable = schedules.filter((s) => s.x_always_open || (s.opens_at && s.closes_at));
  if (!usable.length) return 'unknown';
  const local = DateTime.fromJSDate(at, { zone: ZONE });
  return usable.some((s) => openBy(s, local)) ? 'open' : 'closed';
}

/**
 * Open at some point tonight: between 20:00 on the evening of `at` (or of the day before, after midnight)
 * and 08:00 the next morning, Brussels time. Checked every 30 minutes of local wall-clock time.
 */
export function openTonight(schedules: Hours[], at: Date): OpenState {
  const usable = schedules.filter((s) => s.x_always_open || (s.opens_at && s.closes_at));
  if (!usable.length) return 'unknown';
  let local = DateTime.fromJSDate(at, { zone: ZONE });
  if (local.hour < 8) local = local.minus({ days: 1 });
  const start = local.set({ hour: 20, minute: 0, second: 0, millisecond: 0 });
  for (let step = 0; step <= 24; step++) {
    const t = start.plus({ minutes: 30 * step });
    if (usable.some((s) => openBy(s, t))) return 'open';
  }
  return 'closed';
}

/** Brussels local time of an instant, for messages ("22:15"). */
export function localTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat('HH:mm');
}
