/** The languages the line supports (DESIGN.md section 5): Brussels' main languages among people on the street. */
export const SUPPORTED_LANGS = ['nl', 'fr', 'en', 'ar', 'es', 'pt', 'ro', 'pl', 'bg', 'tr', 'ru', 'uk'] as const;

export type Lang = (typeof SUPPORTED_LANGS)[number];

/** Languages written right-to-left (for rendering). */
export const RTL_LANGS: ReadonlySet<Lang> = new Set<Lang>(['ar']);

/** Type guard for a supported language code. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (SUPPORTED_LANGS as readonly string[]).includes(value);
}
