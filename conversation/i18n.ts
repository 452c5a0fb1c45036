/**
 * i18next with the project's locales, loaded once, no network. locales/<lang>/translation.json holds the shared
 * strings; every other locales/<lang>/<feature>.json (report.json, intake.json, ...) is merged under the key
 * <feature> so each feature keeps its strings in its own file: t('report.where') reads report.json's "where".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type TFunction } from 'i18next';
import { SUPPORTED_LANGS, type Lang } from './languages.js';

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');

/** Reads every locale file (throws naming the file when one is missing or broken). */
export function loadResources(dir = LOCALES_DIR): Record<string, { translation: Record<string, unknown> }> {
  const out: Record<string, { translation: Record<string, unknown> }> = {};
  for (const lang of SUPPORTED_LANGS) {
    const translation = readLocaleFile(join(dir, lang, 'translation.json'));
    const langDir = join(dir, lang);
    const features = existsSync(langDir) ? readdirSync(langDir).filter((f) => f.endsWith('.json') && f !== 'translation.json').sort() : [];
    for (const f of features) {
      const feature = f.slice(0, -'.json'.length);
      if (feature in translation) throw new Error(`Locale file ${join(langDir, f)} clashes with the key "${feature}" of translation.json`);
      translation[feature] = readLocaleFile(join(langDir, f));
    }
    out[lang] = { translation };
  }
  return out;
}

function readLocaleFile(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`Locale file ${file} cannot be read: ${(err as Error).message}`);
  }
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
