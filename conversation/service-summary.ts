/** A directory service as /api/ask and /api/services return it: what a person or a page needs to show it. */
import type { ServiceHit } from '../directory/directory-search.js';
import { describeHours } from './compose-services.js';
import type { Lang } from './languages.js';

/** A directory service as the API returns it (`services` of the contract). */
export interface ServiceSummary {
  id: string;
  name: string;
  organization: string;
  categories: string[];
  groups: string[];
  pictogram: string;
  phones: Array<{ number: string; description: string | null; languages: string[]; source: string }>;
  address: string | null;
  commune: string | null;
  hours: string | null;
  openNow: 'open' | 'closed' | 'unknown';
  conditions: string | null;
  ages: { min: number | null; max: number | null } | null;
  distanceKm: number | null;
  capacity: { maximum: number | null; unit: string } | null;
  freePlaces: { free: number; total: number; updatedAt: string; ageMinutes: number } | null;
  foreseen: boolean;
  source: { kind: string; document: string | null; lines: string | null };
}

/** URL of a category's pictogram (served by the app). */
export const pictogramUrl = (categoryId: string) => `/pictograms/${categoryId}.svg`;

/** The API shape of a search hit, hours described in the given language. */
export function summarize(h: ServiceHit, lang: Lang, now: Date): ServiceSummary {
  const loc = h.locations.find((l) => l.address) ?? h.locations[0];
  return {
    id: h.id, name: h.name, organization: h.organization.name, categories: h.categories, groups: h.groups,
    pictogram: pictogramUrl(h.categories[0] ?? h.groups[0] ?? 'social-services'),
    phones: h.phones.map((p) => ({ number: p.number, description: p.description, languages: p.languages, source: p.x_source })),
    address: loc?.address ?? null, commune: loc?.commune ?? (h.areas.find((a) => a !== 'region') ?? null),
    hours: describeHours(h.schedules, lang) ?? null, openNow: h.openNow, conditions: h.eligibility,
    ages: h.ages,
    distanceKm: h.distanceKm, capacity: h.capacity,
    freePlaces: h.live
      ? { ...h.live, ageMinutes: Math.max(0, Math.round((now.getTime() - new Date(h.live.updatedAt).getTime()) / 60_000)) }
      : null,
    foreseen: h.programmatic, source: h.source,
  };
}
