/** Knowledge cards in pgvector: one chunk per language, each embedded in its language; incremental re-indexing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardDocumentId, ingestCards } from '../../knowledge/cards/ingest-cards.js';
import type { Card } from '../../knowledge/cards/load-cards.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Database } from '../../db/database.js';
import { openTestKnowledge } from '../helpers/kb.js';

describe('knowledge cards index', () => {
  let kb: KnowledgeBase;
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => ({ kb, db, close } = await openTestKnowledge()));
  afterAll(async () => close?.());

  it('should store one chunk per language for every card', async () => {
    const { rows } = await db.query<{ n: number; langs: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT c.lang)::int AS langs FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.kind = 'card'`,
    );
    expect(rows[0]).toEqual({ n: kb.cards.size * 12, langs: 12 });
  });

  it.each([
    ['ar', 'أين يمكنني أن أستحم وأغتسل؟', 'shower-wash'],
    ['ru', 'где можно поесть бесплатно', 'eat-today'],
    ['tr', 'barınak hakkında nasıl şikayet ederim', 'complain'],
    ['uk', 'мені 16 і я сам на вулиці', 'minor-alone'],
  ] as const)('should find the right card for a %s question in its own language', async (lang, text, card) => {
    const hits = await kb.retriever.search(text, { lang, k: 5, kinds: ['card'] });
    const top = hits.slice(0, 3).map((h) => h.documentId);
    expect(top.some((d) => d.startsWith(cardDocumentId(card))), top.join(', ')).toBe(true);
    expect(hits.every((h) => h.kind === 'card')).toBe(true);
  });

  it('should map every translation onto the lexicon concepts of its own language', async () => {
    // Embedded as Dutch, an Arabic or Russian translation would carry no concept at all.
    const { rows } = await db.query<{ lang: string; empty: number; n: number }>(
      `SELECT c.lang, count(*) FILTER (WHERE cardinality(c.concepts) = 0)::int AS empty, count(*)::int AS n
         FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.kind = 'card' GROUP BY c.lang ORDER BY c.lang`,
    );
    expect(rows).toHaveLength(12);
    for (const r of rows) expect(r.empty / r.n, r.lang).toBeLessThan(0.1);
    const eat = await db.query<{ lang: string; concepts: string[] }>(
      `SELECT lang, concepts FROM chunks WHERE document_id = 'card:eat-today' ORDER BY lang`,
    );
    for (const r of eat.rows) expect(r.concepts, r.lang).toContain('basic-needs.food-aid');
  });

  it('should keep card chunks out of plan searches', async () => {
    const hits = await kb.retriever.search('waar kan ik vannacht slapen', { lang: 'nl', k: 10 });
    expect(hits.every((h) => h.kind === 'plan')).toBe(true);
  });

  it('should re-index only a changed card and drop a removed one', async () => {
    const cards = new Map(kb.cards);
    const changed: Card = structuredClone(cards.get('eat-today')!);
    changed.text.en.body = `${changed.text.en.body} (updated)`;
    cards.set('eat-today', changed);
    cards.delete('laundry-luggage');
    const rows = await ingestCards({ store: kb.store, embeddings: kb.embeddings, lexicon: kb.lexicon, cards });
    expect(rows.map((r) => [r.document, r.status])).toEqual([['card:eat-today', 'changed'], ['1 card(s)', 'removed']]);
    const again = await ingestCards({ store: kb.store, embeddings: kb.embeddings, lexicon: kb.lexicon, cards });
    expect(again).toEqual([]);
    const { rows: left } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents WHERE id = 'card:laundry-luggage'`);
    expect(left[0]!.n).toBe(0);
  });
});
