import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { SUPPORTED_LANGS } from '../conversation/languages.js';
import { loadResources } from '../conversation/i18n.js';

type Tree = { [key: string]: string | Tree };

const localesDir = fileURLToPath(new URL('../locales/', import.meta.url));

// translation.json plus every feature file (report.json, ...) as the app loads them.
const resources = loadResources(localesDir);
function load(lang: string): Tree {
  return resources[lang]!.translation as Tree;
}

/** Flattens a resource to dotted key -> value; non-string leaves are kept as-is so they fail the string checks. */
function flatten(tree: Tree, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value, path, out);
    else out.set(path, value);
  }
  return out;
}

function placeholders(value: string): string[] {
  return [...value.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

/** True when a string has nothing to translate: only placeholders, digits, punctuation and spaces. */
function onlyPlaceholdersOrNumbers(value: string): boolean {
  return value.replace(/\{\{[^}]*\}\}/g, '').replace(/[\d\s\p{P}\p{S}]/gu, '') === '';
}

const en = flatten(load('en'));
const others = SUPPORTED_LANGS.filter((lang) => lang !== 'en');

describe('locales', () => {
  it('English resource has only non-empty strings', () => {
    for (const [key, value] of en) {
      expect(typeof value, `en: ${key}`).toBe('string');
      expect((value as string).trim(), `en: ${key}`).not.toBe('');
    }
  });

  describe.each(others)('%s', (lang) => {
    const tr = flatten(load(lang));

    it('has exactly the same keys as English', () => {
      const missing = [...en.keys()].filter((k) => !tr.has(k));
      const extra = [...tr.keys()].filter((k) => !en.has(k));
      expect({ missing, extra }, `${lang}: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`).toEqual({
        missing: [],
        extra: [],
      });
    });

    it('has no empty or non-string values', () => {
      const bad = [...tr].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, `${lang}: empty or non-string values`).toEqual([]);
    });

    it('keeps the same {{placeholders}} as English', () => {
      const bad: string[] = [];
      for (const [key, enValue] of en) {
        const value = tr.get(key);
        if (typeof value !== 'string' || typeof enValue !== 'string') continue;
        const want = placeholders(enValue);
        const got = placeholders(value);
        if (JSON.stringify(want) !== JSON.stringify(got)) bad.push(`${key}: want ${want.join(',')} got ${got.join(',')}`);
      }
      expect(bad, `${lang}: placeholder mismatches`).toEqual([]);
    });

    it('translates every string (no value copied from English)', () => {
      const copied = [...en]
        .filter(([key, enValue]) => typeof enValue === 'string' && !onlyPlaceholdersOrNumbers(enValue) && tr.get(key) === enValue)
        .map(([key]) => key);
      expect(copied, `${lang}: values identical to English`).toEqual([]);
    });
  });
});
