/** i18next with the project's locales (locales/<lang>/translation.json), loaded once, no network. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type TFunction } from 'i18next';
import { SUPPORTED_LANGS, type Lang } from './languages.js';

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');

/** Reads every locale file (throws naming the file when one is missing or broken). */
export function loadResources(dir = LOCALES_DIR): Record<string, { translation: Record<string, unknown> }> {
  const out: Record<string, { translation: Record<string, unknown> }> = {};
  for (const lang of SUPPORTED_LANGS) {
    const file = join(dir, lang, 'translation.json');
    try {
      out[lang] = { translation: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> };
    } catch (err) {
      throw new Error(`Locale file ${file} cannot be read: ${(err as Error).message}`);
    }
  }
  return out;
}

let instance: i18n | undefined;

/** The initialised i18next instance (synchronous: resources are bundled, no backend). */
export function getI18n(): i18n {
  if (instance) return instance;
  const inst = i18next.createInstance();
  void inst.init({
    resources: loadResources(),
    supportedLngs: [...SUPPORTED_LANGS],
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance = inst;
  return inst;
}

/** A translation function bound to a language. */
export function tFor(lang: Lang): TFunction {
  return getI18n().getFixedT(lang);
}
