/**
 * The service directory's data model, after Open Referral HSDS (3.0 field names, flat tables as in the HSDS CSV
 * datapackage). One `Dataset` is what `npm run directory -- import|export|validate` reads and writes, as JSON
 * (one object with one array per table) or as a CSV datapackage (one CSV per table + datapackage.json).
 *
 * Project extensions carry an `x_` prefix, as HSDS allows: where a fact comes from (x_source, x_source_document,
 * x_source_lines) and whether the plan only foresees the service (x_programmatic).
 * A field the sources do not give stays empty (null): the answer then says it is not on file.
 */
import { z } from 'zod';

/** Where a fact comes from: a cited passage of a plan, or ../shared/public-facts.md ("public"). */
export const SourceKind = z.enum(['plan', 'public', 'operator']);

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'an id of lowercase letters, digits, ".", "_" or "-" (at most 80)');
const optText = z.string().trim().min(1).nullable().default(null);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
/** "3319-3348": the line range of the cited passage in the plan file. */
const lines = z.string().regex(/^\d+(-\d+)?(,\s*\d+(-\d+)?)*$/, 'line numbers such as "3319-3348" or "976-1037, 1305"');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM (24 h)');
/** A full date, or a recurring month-day "--MM-DD" (ISO 8601) for seasonal schedules such as the winter plan. */
const dayOrMonthDay = z.string().regex(/^(\d{4}-\d{2}-\d{2}|--\d{2}-\d{2})$/, 'a date YYYY-MM-DD or a yearly date --MM-DD');
const langCode = z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639-1 language code such as "fr"');

/** Provenance shared by every table. */
const provenance = {
  x_source: SourceKind,
  /** Corpus document id (e.g. "004_cb8e911b77208c6d") when x_source is "plan". */
  x_source_document: optText,
  x_source_lines: lines.nullable().default(null),
  /** When a person last checked the record (for public facts: the date they were taken). */
  x_last_verified: date.nullable().default(null),
};

export const Organization = z.object({
  id,
  name: z.string().trim().min(1),
  alternate_name: optText,
  description: z.string().trim().min(1),
  email: z.string().email().nullable().default(null),
  website: z.string().url().nullable().default(null),
  ...provenance,
});

export const ServiceStatus = z.enum(['active', 'inactive', 'defunct', 'temporarily closed']);

export const Service = z.object({
  id,
  organization_id: id,
  name: z.string().trim().min(1),
  alternate_name: optText,
  description: z.string().trim().min(1),
  status: ServiceStatus.default('active'),
  /** The plan describes the service as something still to be set up: answers say "the plan foresees". */
  x_programmatic: z.boolean().default(false),
  eligibility_description: optText,
  minimum_age: z.number().int().min(0).max(120).nullable().default(null),
  maximum_age: z.number().int().min(0).max(120).nullable().default(null),
  fees_description: optText,
  application_process: optText,
  url: z.string().url().nullable().default(null),
  email: z.string().email().nullable().default(null),
  ...provenance,
});

export const Location = z.object({
  id,
  organization_id: id,
  name: optText,
  description: optText,
  address_1: optText,
  city: optText,
  postal_code: z.string().regex(/^1\d{3}$/, 'a Brussels postal code such as 1000').nullable().default(null),
  /** Gazetteer id of one of the 19 communes (e.g. "saint-gilles"). */
  x_commune: optText,
  latitude: z.number().min(50.7).max(51).nullable().default(null),
  longitude: z.number().min(4.2).max(4.5).nullable().default(null),
  /** How precise the coordinates are: from the address, or the centre of the neighbourhood or commune. */
  x_coordinates_precision: z.enum(['address', 'neighbourhood', 'commune']).nullable().default(null),
  ...provenance,
});

export const ServiceAtLocation = z.object({
  id,
  service_id: id,
  location_id: id,
  description: optText,
});

/** The communes a service covers, or "region" for the whole Brussels-Capital Region (HSDS service_area). */
export const ServiceArea = z.object({
  id,
  service_id: id,
  /** Gazetteer id of a commune, or "region". */
  name: z.string().trim().min(1),
  description: optText,
});

export const Phone = z.object({
  id,
  organization_id: id.nullable().default(null),
  service_id: id.nullable().default(null),
  number: z.string().regex(/^\+?[\d ]{3,20}$/, 'digits and spaces only, e.g. "0800 99 340"'),
  type: z.enum(['voice', 'text', 'fax', 'hotline']).default('voice'),
  description: optText,
  /** Languages spoken on this number. */
  languages: z.array(langCode).default([]),
  ...provenance,
});

export const Weekday = z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);

/**
 * Opening hours (HSDS schedule, RRULE-like): on the days of `byday`, from opens_at to closes_at in
 * Europe/Brussels time. closes_at earlier than (or equal to) opens_at means overnight: open until that time the next
 * day (a night shelter 20:00-08:00). valid_from/valid_to bound the schedule, as dates or yearly "--MM-DD"
 * (the winter plan from --11-15 to --03-31 wraps the new year). `x_always_open` is 24/7 for the days given.
 */
export const Schedule = z.object({
  id,
  service_id: id.nullable().default(null),
  service_at_location_id: id.nullable().default(null),
  freq: z.literal('WEEKLY').default('WEEKLY'),
  byday: z.array(Weekday).min(1).default(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']),
  opens_at: time.nullable().default(null),
  closes_at: time.nullable().default(null),
  x_always_open: z.boolean().default(false),
  valid_from: dayOrMonthDay.nullable().default(null),
  valid_to: dayOrMonthDay.nullable().default(null),
  description: optText,
  ...provenance,
});

export const Language = z.object({
  id,
  service_id: id,
  code: langCode,
  name: optText,
});

/** A taxonomy term (the needs and target groups of directory/taxonomy). */
export const TaxonomyTerm = z.object({
  id,
  term: z.string().trim().min(1),
  description: optText,
  taxonomy: z.string().default('infoline'),
  /** "need" (what the person looks for) or "group" (who the service is for). */
  x_kind: z.enum(['need', 'group']),
});

/** Links a service to a taxonomy term (HSDS 3 attribute). */
export const Attribute = z.object({
  id,
  link_id: id,
  link_type: z.literal('service').default('service'),
  taxonomy_term_id: id,
});

/** The number of places a service has (HSDS 3 service_capacity); live free places are in the capacity API. */
export const ServiceCapacity = z.object({
  id,
  service_id: id,
  unit: z.enum(['bed', 'place', 'room', 'person', 'household']).default('place'),
  maximum: z.number().int().min(0).nullable().default(null),
  description: optText,
  ...provenance,
});

/** The tables of a dataset, in the order they are imported (parents before children). */
export const TABLES = {
  organizations: Organization,
  services: Service,
  locations: Location,
  service_at_locations: ServiceAtLocation,
  service_areas: ServiceArea,
  phones: Phone,
  schedules: Schedule,
  languages: Language,
  taxonomy_terms: TaxonomyTerm,
  attributes: Attribute,
  service_capacities: ServiceCapacity,
} as const;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

export type Organization = z.infer<typeof Organization>;
export type Service = z.infer<typeof Service>;
export type Location = z.infer<typeof Location>;
export type ServiceAtLocation = z.infer<typeof ServiceAtLocation>;
export type ServiceArea = z.infer<typeof ServiceArea>;
export type Phone = z.infer<typeof Phone>;
export type Schedule = z.infer<typeof Schedule>;
export type Language = z.infer<typeof Language>;
export type TaxonomyTerm = z.infer<typeof TaxonomyTerm>;
export type Attribute = z.infer<typeof Attribute>;
export type ServiceCapacity = z.infer<typeof ServiceCapacity>;

/** A whole directory: one array per table. */
export interface Dataset {
  organizations: Organization[];
  services: Service[];
  locations: Location[];
  service_at_locations: ServiceAtLocation[];
  service_areas: ServiceArea[];
  phones: Phone[];
  schedules: Schedule[];
  languages: Language[];
  taxonomy_terms: TaxonomyTerm[];
  attributes: Attribute[];
  service_capacities: ServiceCapacity[];
}

/** An empty dataset. */
export function emptyDataset(): Dataset {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Dataset;
}
