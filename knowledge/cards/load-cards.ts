/**
 * Knowledge cards: short, curated answers to what people ask most, one JSON file per card in
 * knowledge/cards/data/, each in all 12 languages and citing the plan passages it rests on.
 * They are indexed in pgvector like the plans (one chunk per language) and preferred over raw passages.
 *
 * @example
 *   const cards = loadCards();
 *   cards.get('sleep-tonight')?.text.fr.body;
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';

export const CARDS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** The numbers of ../shared/public-facts.md: the only phone numbers a card may give beyond the plans (which give none). */
export const PUBLIC_NUMBERS = [
  '112', '101', '1813', '0800 32 123', '1712', '0800 30 030', '102', '103', '116 000', '0800 99 340',
] as const;

const CardText = z.object({
  title: z.string().trim().min(2).max(70),
  /** The answer: plain language, short enough for a small screen or two SMS. */
  body: z.string().trim().min(40).max(600),
  /** How people ask it (indexed with the card so questions find it). */
  questions: z.array(z.string().trim().min(3)).min(1).max(8),
});

const Citation = z.object({
  document: z.string().regex(/^\d{3}_[0-9a-f]{16}$/, 'a corpus document id such as 004_cb8e911b77208c6d'),
  lines: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
  /** Words copied from those lines (checked against the corpus). */
  quote: z.string().trim().min(15).max(400),
});

export const CardSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{3,60}$/),
  /** Taxonomy needs the card answers (directory/taxonomy); the first gives the pictogram. */
  categories: z.array(z.string()).min(1),
  /** Taxonomy groups the card is specifically for (women, families, …). */
  groups: z.array(z.string()).default([]),
  /** True when the card mostly describes what the plan foresees rather than what exists now. */
  foreseen: z.boolean(),
  /** Public numbers the text gives (must be in PUBLIC_NUMBERS). */
  phones: z.array(z.enum(PUBLIC_NUMBERS)).default([]),
  citations: z.array(Citation).min(1),
  /** Directory services the answer lists first (ids of directory/seed), e.g. the three complaint levels. */
  services: z.array(z.string()).default([]),
  text: z.object(Object.fromEntries(SUPPORTED_LANGS.map((l) => [l, CardText])) as Record<Lang, typeof CardText>),
});

export type Card = z.infer<typeof CardSchema>;
export type CardCitation = z.infer<typeof Citation>;

/** Reads and checks every card file; throws naming the file and field of the first problem. */
export function loadCards(dir = CARDS_DIR): Map<string, Card> {
  const cards = new Map<string, Card>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`Card ${path} is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = CardSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`Card ${path}: ${issue.path.join('.')}: ${issue.message}`);
    }
    if (`${parsed.data.id}.json` !== file) throw new Error(`Card ${path}: id "${parsed.data.id}" must match the file name`);
    cards.set(parsed.data.id, parsed.data);
  }
  return cards;
}

/** Letters and digits only, lower case: compares a quote with PDF text regardless of line breaks and hyphenation. */
export function squash(text: string): string {
  return text.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The text a card indexes for one language: title, body and the ways people ask. */
export function cardIndexText(card: Card, lang: Lang): string {
  const t = card.text[lang];
  return `${t.title}\n${t.body}\n${t.questions.join('\n')}`;
}
