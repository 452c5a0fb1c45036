/**
 * Indexes the knowledge cards like the plans: one document per card (kind "card"), one chunk per language
 * (heading = the card's title, text = its answer and the ways people ask it), embedded and full-text indexed.
 * Incremental by content hash: an unchanged card is skipped, a removed one is dropped.
 */
import { createHash } from 'node:crypto';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { embedPassages } from '../embeddings/offline-embeddings.js';
import type { Lexicon } from '../embeddings/lexicon.js';
import { conceptsOf, type IngestRow } from '../ingest/ingest.js';
import type { PgKnowledgeStore } from '../knowledge-store.js';
import type { Chunk } from '../types.js';
import { cardIndexText, loadCards, type Card } from './load-cards.js';

/** Version of how a card becomes chunks: bump when cardChunks changes. */
export const CARD_CHUNKER = 'cards-v2';

/** Document id of a card in the index. */
export const cardDocumentId = (cardId: string) => `card:${cardId}`;

/** The card id of an indexed card document id. */
export const cardIdOf = (documentId: string) => (documentId.startsWith('card:') ? documentId.slice(5) : undefined);

/** One chunk per language; line numbers are those of the card's first citation (cards have no lines of their own). */
export function cardChunks(card: Card, lexicon: Lexicon): Array<Chunk & { concepts: string[]; lang: Lang }> {
  const first = card.citations[0]!;
  return SUPPORTED_LANGS.map((lang, ordinal) => {
    const t = card.text[lang];
    const text = `${t.body}\n${t.questions.join('\n')}`;
    return {
      documentId: cardDocumentId(card.id),
      ordinal,
      headings: [t.title],
      text,
      lineFrom: first.lines[0],
      lineTo: first.lines[1],
      lang,
      concepts: conceptsOf(lexicon, cardIndexText(card, lang), lang),
    };
  });
}

/** Indexes new and changed cards, drops removed ones; returns a row per change for the ingest summary. */
export async function ingestCards(deps: {
  store: PgKnowledgeStore;
  embeddings: EmbeddingsInterface;
  lexicon: Lexicon;
  cards?: Map<string, Card>;
}): Promise<IngestRow[]> {
  const { store, embeddings, lexicon } = deps;
  const cards = deps.cards ?? loadCards();
  const states = await store.documentStates('card');
  const rows: IngestRow[] = [];
  const work = [...cards.values()].filter((c) => states.get(cardDocumentId(c.id))?.hash !== hashOf(c));
  const write = async () => {
    for (const card of work) {
      const t0 = performance.now();
      const chunks = cardChunks(card, lexicon);
      // Each translation is embedded in its own language, so its words map onto the lexicon's concepts.
      const vectors = await embedPassages(embeddings, chunks.map((c) => ({ text: `${c.headings.join('\n')}\n${c.text}`, lang: c.lang })));
      await store.replaceDocument(
        {
          kind: 'card',
          id: cardDocumentId(card.id), file: `knowledge/cards/data/${card.id}.json`, title: card.text.en.title,
          shortTitle: card.text.en.title, organisation: 'Information line knowledge card', year: 2026,
          scope: 'brussels-region', lang: 'en', programmatic: card.foreseen,
        },
        hashOf(card), CARD_CHUNKER, chunks, vectors,
      );
      const isNew = !states.has(cardDocumentId(card.id));
      rows.push({ document: cardDocumentId(card.id), status: isNew ? 'new' : 'changed', chunks: chunks.length, seconds: (performance.now() - t0) / 1000 });
    }
  };
  // Like the plans: many vectors at once are faster to index after the load than row by row.
  if (work.length * SUPPORTED_LANGS.length >= 150) await store.bulkLoad(write);
  else await write();
  const removed = await store.deleteDocumentsExcept([...cards.keys()].map(cardDocumentId), 'card');
  if (removed) rows.push({ document: `${removed} card(s)`, status: 'removed', chunks: 0, seconds: 0 });
  return rows;
}

/** Content hash of a card as indexed (its JSON and the chunker version). */
function hashOf(card: Card): string {
  return createHash('sha256').update(CARD_CHUNKER).update(JSON.stringify(card)).digest('hex').slice(0, 16);
}

/** Whether some card is new, changed or removed since the last indexing. */
export async function cardsAreStale(store: PgKnowledgeStore, cards = loadCards()): Promise<boolean> {
  const states = await store.documentStates('card');
  if (states.size !== cards.size) return true;
  return [...cards.values()].some((c) => states.get(cardDocumentId(c.id))?.hash !== hashOf(c));
}
