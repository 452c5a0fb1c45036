/**
 * Complaint guidance (Masterplan measure 32, 004_cb8e911b77208c6d l.4780-4818): which of the three levels applies,
 * which body handles it, what to write, and a draft the person can copy, in their language and in French or Dutch.
 *
 * The three levels, from the plan (l.4797-4807):
 *   1. "intern": the service itself (l.4799; each recognised centre explains its complaint procedure, l.4953-4957);
 *   2. "op sectorniveau bij Vivalis, de CoCof, de VGC, de GOB als administratie die toeziet op de naleving van de
 *      regelgeving voor de sector" (l.4801-4804);
 *   3. "op gewestelijk niveau bij de gewestelijke bemiddelingsdienst (Ombuds.brussels)" (l.4806-4807).
 * The dispatching and referral services help people find their way (l.4809-4811); the line explains the procedure
 * (l.3346-3348). What each level-2 body is comes only from the plan and the directory: CoCof = Franse
 * Gemeenschapscommissie (l.792), VGC = Vlaamse GemeenschapsCommissie (l.846) and the Dutch-language network
 * (directory org-vgc, 001_c1465b57ccda06e5 l.5-7), GOB = Gewestelijke Overheidsdienst Brussel (directory org-gob),
 * Vivalis funds the emergency places with the Region (l.2671-2673). Neither says which authority recognises which
 * service, so the body is named only when the directory record says so; otherwise a person from the line tells.
 *
 * Everything here is pure except createFindService / createBodyContact, which only read the directory tables.
 */
import type { Queryable } from '../db/database.js';
import { tFor } from './i18n.js';
import type { Lang } from './languages.js';

export type ComplaintLevel = 1 | 2 | 3;
/** What the person answered to "already complained?". */
export type PriorComplaint = 'none' | 'service' | 'administration';
export type SectorBody = 'vivalis' | 'cocof' | 'vgc' | 'gob';
/** Who handles the complaint; 'unknown' = a level-2 body the directory does not name for this service. */
export type ComplaintBody = 'service' | SectorBody | 'ombuds' | 'unknown';
export type OfficialLang = 'fr' | 'nl';

/** What a directory lookup of the named service returns. */
export interface FoundService {
  id: string;
  name: string;
  organization?: string;
  /** The recognising authority the directory names for the service (one of the four bodies, or other text). */
  recognisedBy?: SectorBody | string;
}

export const SECTOR_BODIES: readonly SectorBody[] = ['vivalis', 'cocof', 'vgc', 'gob'];

/** Directory entries of the complaint bodies (directory/seed/directory.json). */
export const BODY_SERVICE_IDS: Record<Exclude<ComplaintBody, 'unknown'>, string> = {
  service: 'svc-complaints-level-1',
  vivalis: 'svc-vivalis-complaints',
  cocof: 'svc-cocof-complaints',
  vgc: 'svc-vgc-complaints',
  gob: 'svc-gob-complaints',
  ombuds: 'svc-ombuds-brussels-complaints',
};

/** Proper names, the same in every language. */
export const BODY_NAMES: Record<SectorBody | 'ombuds', string> = {
  vivalis: 'Vivalis', cocof: 'CoCof', vgc: 'VGC', gob: 'GOB', ombuds: 'Ombuds.brussels',
};

/** No complaint yet: the service itself; the service did not answer or solve it: level 2; level 2 did not: level 3. */
export function levelFor(prior: PriorComplaint): ComplaintLevel {
  return prior === 'none' ? 1 : prior === 'service' ? 2 : 3;
}

/** The body for a level; for level 2, the one the directory names for the service, else 'unknown'. */
export function bodyFor(level: ComplaintLevel, recognisedBy?: string): ComplaintBody {
  if (level === 1) return 'service';
  if (level === 3) return 'ombuds';
  return sectorBodyOf(recognisedBy) ?? 'unknown';
}

const BODY_PATTERNS: Record<SectorBody, RegExp> = {
  vivalis: /\bvivalis\b/i,
  cocof: /\bcocof\b|french community commission|franse gemeenschapscommissie|commission communautaire fran[cç]aise/i,
  vgc: /\bvgc\b|flemish community commission|vlaamse gemeenschapscommissie/i,
  gob: /\bgob\b|brussels regional public service|gewestelijke overheidsdienst/i,
};

/** One of the four bodies when the text names exactly one ("VGC", "Franse Gemeenschapscommissie", ...). */
export function sectorBodyOf(text: string | undefined): SectorBody | undefined {
  if (!text) return undefined;
  const named = SECTOR_BODIES.filter((b) => BODY_PATTERNS[b].test(text));
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The recognising authority a directory description states: a sentence that speaks of recognition and names one
 * body ("The 19 Brussels local service centres with a Flemish recognition, supported by the VGC." -> vgc).
 * Funding or subsidies alone do not count: they do not say who oversees the service.
 */
export function recognisedByFromText(text: string | null | undefined): SectorBody | undefined {
  if (!text) return undefined;
  for (const sentence of text.split(/(?<=[.;!?])\s+/)) {
    if (!/recogni(?:[sz]|tion)|erkend|erkenning|agr[ée]|reconnu/i.test(sentence)) continue;
    const body = sectorBodyOf(sentence);
    if (body) return body;
  }
  return undefined;
}

/** Whether a French or Dutch copy must be offered: not when the person writes in one of the two. */
export function needsOfficialDraft(lang: Lang): boolean {
  return lang !== 'fr' && lang !== 'nl';
}

/** Quotation marks per language, around the person's own words. */
const QUOTES: Record<Lang, [string, string]> = {
  nl: ['“', '”'], fr: ['« ', ' »'], en: ['“', '”'], ar: ['«', '»'], es: ['«', '»'], pt: ['«', '»'],
  ro: ['„', '”'], pl: ['„', '”'], bg: ['„', '“'], tr: ['“', '”'], ru: ['«', '»'], uk: ['«', '»'],
};

export function quote(lang: Lang, text: string): string {
  const [open, close] = QUOTES[lang];
  return `${open}${text}${close}`;
}

/** What the person told the dialog. */
export interface ComplaintFacts {
  /** The service: the directory name when it was found, else the person's words. */
  service: string;
  what: string;
  when: string;
}

export interface DraftOptions {
  level: ComplaintLevel;
  body: ComplaintBody;
  /** SMS and voice: no greeting line, to keep the draft in few messages. */
  compact?: boolean;
}

/** Who the draft is addressed to, in `lang`. */
function addressee(lang: Lang, service: string, body: ComplaintBody): string {
  const t = tFor(lang);
  if (body === 'service') return t('complaint.draft_to_service', { service });
  if (body === 'ombuds') return t('complaint.draft_to_ombuds');
  if (body === 'unknown') return t('complaint.draft_to_sector');
  return t('complaint.draft_to', { body: BODY_NAMES[body] });
}

/**
 * The draft letter in `lang` (the person's language, or French/Dutch for the official copy): a fixed template
 * with the person's own words quoted as written (free text is never translated).
 */
export function draftText(lang: Lang, facts: ComplaintFacts, opts: DraftOptions): string {
  const t = tFor(lang);
  const service = facts.service.trim() || t('complaint.service_unknown');
  const when = facts.when.trim() ? quote(lang, facts.when.trim()) : t('complaint.when_unknown');
  const lines = [
    t('complaint.draft_subject', { service }),
    addressee(lang, service, opts.body),
    ...(opts.compact ? [] : [t('complaint.draft_greeting')]),
    t('complaint.draft_facts', { service, when, what: quote(lang, facts.what.trim()) }),
    ...(opts.level === 2 ? [t('complaint.draft_prior_2')] : opts.level === 3 ? [t('complaint.draft_prior_3')] : []),
    t('complaint.draft_request'),
    t('complaint.draft_sign'),
  ];
  return lines.join('\n');
}

/** The guidance for the level and body, in the person's language (one string per message). */
export function guidanceText(lang: Lang, level: ComplaintLevel, body: ComplaintBody, found?: FoundService, serviceText = ''): string[] {
  const t = tFor(lang);
  const service = found?.name ?? (serviceText.trim() || t('complaint.service_unknown'));
  if (level === 1) return [`${t('complaint.level1')} ${t('complaint.level1_next')}`];
  if (level === 3) return [t('complaint.level3')];
  if (body !== 'unknown' && body !== 'service' && body !== 'ombuds') {
    return [t('complaint.level2_known', { service, body: BODY_NAMES[body] })];
  }
  const bodies = SECTOR_BODIES.map((b) => `- ${t(`complaint.body_${b}`)}`).join('\n');
  const who = found?.recognisedBy
    ? t('complaint.level2_other', { service, authority: found.recognisedBy })
    : t('complaint.level2_who', { service });
  // Which body is for a person from the line to tell (the plan: dispatching helps people find their way, l.4809-4811).
  return [`${t('complaint.level2_unknown')}\n${bodies}`, `${who} ${t('answer.offer_person')}`];
}

/** What to write and keep. */
export function checklistText(lang: Lang): string {
  return tFor(lang)('complaint.checklist');
}

/** Contact details the directory has for a service (empty when none are on file). */
export interface BodyContact {
  phones: string[];
  email?: string;
  website?: string;
  address?: string;
}

export function hasContact(c: BodyContact | undefined): c is BodyContact {
  return !!c && (c.phones.length > 0 || !!c.email || !!c.website || !!c.address);
}

/** "Contact of X: ..." or "... not on file" plus the offer of a person from the line. */
export function contactText(lang: Lang, name: string, contact: BodyContact | undefined): string {
  const t = tFor(lang);
  if (!hasContact(contact)) return `${t('complaint.contact_not_on_file', { body: name })} ${t('answer.offer_person')}`;
  const parts = [...contact.phones, contact.email, contact.website, contact.address].filter((p): p is string => !!p);
  return `${t('complaint.contact_on_file', { body: name, contact: parts.join(', ') })} ${t('complaint.line_helps')}`;
}

/** The name to show for the body that handles the complaint. */
export function bodyDisplayName(lang: Lang, body: ComplaintBody, serviceName: string): string {
  if (body === 'service') return serviceName;
  if (body === 'unknown') return tFor(lang)('complaint.sector_body');
  return BODY_NAMES[body];
}

// ---- directory lookups (the composition root wires these into the dialog) ----

// translate() pairs for the SQL side of fold(); both strings have the same length.
const ACCENTS_FROM = 'àáâäãåèéêëìíîïòóôöõùúûüçñýÿ';
const ACCENTS_TO = 'aaaaaaeeeeiiiiooooouuuucnyy';

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Words too common to name a service on their own (the df weighting handles the rest). */
const STOP = new Set([
  'the', 'and', 'for', 'with', 'from', 'les', 'des', 'une', 'est', 'pas', 'que', 'qui', 'pour', 'avec', 'dans', 'sur',
  'het', 'een', 'van', 'voor', 'met', 'die', 'dat', 'bij', 'los', 'las', 'del', 'con', 'por', 'para', 'dos', 'das',
  'com', 'pentru', 'din', 'sau', 'nie', 'dla', 'ich', 'ile', 'bir', 'ben', 'was', 'not', 'they', 'ils', 'elle', 'zij',
  // Kinds of place and the city: they say what a service is, not which one.
  'centre', 'center', 'centrum', 'centro', 'centru', 'service', 'services', 'dienst', 'diensten', 'servicio', 'servico',
  'serviciu', 'maison', 'huis', 'home', 'accueil', 'opvang', 'shelter', 'asbl', 'vzw', 'projet', 'project', 'brussel',
  'bruxelles', 'brussels', 'team', 'equipe',
]);

function queryWords(text: string): string[] {
  const words = fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => [...w].length >= 3 && !STOP.has(w));
  return [...new Set(words)].slice(0, 12);
}

interface ServiceRow {
  id: string;
  name: string;
  organization_id: string;
  organization: string;
  haystack: string;
  service_description: string | null;
  organization_description: string | null;
}

/**
 * findService for the complaint dialog: the directory entry whose names (service, organisation, alternate names)
 * best match the words the person wrote. A word found in many entries counts little (1/number of entries), and at
 * least one distinctive word is needed (in at most 3 entries, or in the entries of at most 2 organisations), so
 * "the centre" alone finds nothing. When several services of one organisation match equally ("Samusocial"), the
 * organisation is returned (its id and name); when services of different organisations tie, nothing is.
 */
export function createFindService(db: Queryable): (text: string, lang: Lang) => Promise<FoundService | undefined> {
  return async (text: string) => {
    const words = queryWords(text);
    if (!words.length) return undefined;
    const haystack = `translate(lower(s.name || ' ' || coalesce(s.record->>'alternate_name', '') || ' ' || o.name || ' ' ||
      coalesce(o.record->>'alternate_name', '')), '${ACCENTS_FROM}', '${ACCENTS_TO}')`;
    const { rows } = await db.query<ServiceRow>(
      `SELECT s.id, s.name, o.id AS organization_id, o.name AS organization, ${haystack} AS haystack,
              s.record->>'description' AS service_description, o.record->>'description' AS organization_description
         FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id
        WHERE ${haystack} LIKE ANY($1::text[])
        ORDER BY s.id`,
      [words.map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)],
    );
    if (!rows.length) return undefined;
    const matching = new Map(words.map((w) => [w, rows.filter((r) => fold(r.haystack).includes(w))]));
    const distinctive = (w: string) => {
      const m = matching.get(w)!;
      return m.length > 0 && (m.length <= 3 || new Set(m.map((r) => r.organization_id)).size <= 2);
    };
    const scored = rows.map((r) => {
      const hits = words.filter((w) => matching.get(w)!.includes(r));
      return { r, score: hits.reduce((sum, w) => sum + 1 / matching.get(w)!.length, 0), distinctive: hits.some(distinctive) };
    }).filter((x) => x.distinctive);
    if (!scored.length) return undefined;
    const top = Math.max(...scored.map((x) => x.score));
    const best = scored.filter((x) => top - x.score < 1e-9).map((x) => x.r);
    const first = best[0]!;
    if (best.length === 1) {
      const recognisedBy = recognisedByFromText(first.service_description) ?? recognisedByFromText(first.organization_description);
      return { id: first.id, name: first.name, organization: first.organization, ...(recognisedBy ? { recognisedBy } : {}) };
    }
    if (best.every((r) => r.organization_id === first.organization_id)) {
      const recognisedBy = recognisedByFromText(first.organization_description);
      return { id: first.organization_id, name: first.organization, organization: first.organization, ...(recognisedBy ? { recognisedBy } : {}) };
    }
    return undefined;
  };
}

/**
 * The contact details the directory has for a service (its own, else its organisation's) or for an organisation id
 * (what findService returns when only the organisation was named): phones, email, website and first address.
 */
export function createBodyContact(db: Queryable): (id: string) => Promise<BodyContact | undefined> {
  return async (id: string) => {
    const { rows } = await db.query<{ s: unknown; o: unknown; org_id: string; service_id: string | null }>(
      `SELECT s.record AS s, o.record AS o, o.id AS org_id, s.id AS service_id
         FROM dir_organizations o LEFT JOIN dir_services s ON s.organization_id = o.id AND s.id = $1
        WHERE s.id = $1 OR o.id = $1
        LIMIT 1`, [id]);
    const row = rows[0];
    if (!row) return undefined;
    const rec = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v ?? {}) as Record<string, unknown>;
    const s = rec(row.s);
    const o = rec(row.o);
    const phones = row.service_id
      ? await db.query<{ number: string }>(
        `SELECT number FROM dir_phones WHERE service_id = $1 OR (service_id IS NULL AND organization_id = $2) ORDER BY id`,
        [row.service_id, row.org_id])
      : await db.query<{ number: string }>(
        `SELECT number FROM dir_phones WHERE organization_id = $1 OR service_id IN (SELECT id FROM dir_services WHERE organization_id = $1)
          ORDER BY id`, [row.org_id]);
    const loc = await db.query<{ l: unknown }>(
      row.service_id
        ? `SELECT l.record AS l FROM dir_service_at_locations sal JOIN dir_locations l ON l.id = sal.location_id
            WHERE sal.service_id = $1 ORDER BY sal.id LIMIT 1`
        : `SELECT record AS l FROM dir_locations WHERE organization_id = $1 ORDER BY id LIMIT 1`,
      [row.service_id ?? row.org_id]);
    const l = loc.rows[0] ? rec(loc.rows[0].l) : undefined;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const street = l ? str(l.address_1) : undefined;
    const address = street ? [street, [str(l!.postal_code), str(l!.city)].filter(Boolean).join(' ')].filter(Boolean).join(', ') : undefined;
    const email = str(s.email) ?? str(o.email);
    const website = str(s.url) ?? str(o.website);
    return {
      phones: [...new Set(phones.rows.map((p) => p.number))],
      ...(email ? { email } : {}),
      ...(website ? { website } : {}),
      ...(address ? { address } : {}),
    };
  };
}
