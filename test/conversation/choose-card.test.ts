/** Choosing the knowledge card that answers a question: retrieval and taxonomy must agree. */
import { describe, expect, it } from 'vitest';
import { chooseCard } from '../../conversation/choose-card.js';
import { SUPPORTED_LANGS } from '../../conversation/languages.js';
import type { Card } from '../../knowledge/cards/load-cards.js';
import type { Passage } from '../../knowledge/types.js';

function card(id: string, categories: string[], groups: string[] = []): Card {
  const text = Object.fromEntries(SUPPORTED_LANGS.map((l) => [l, { title: id, body: `${id} body`.padEnd(50, '.'), questions: [id] }]));
  return {
    id, categories, groups, foreseen: false, phones: [], services: [],
    citations: [{ document: '004_cb8e911b77208c6d', lines: [1, 2], quote: 'quote of fifteen chars' }],
    text: text as Card['text'],
  };
}
function passage(cardId: string, score: number, concepts: string[] = []): Passage {
  return {
    kind: 'card', chunkId: '1', documentId: `card:${cardId}`, title: cardId, shortTitle: cardId, organisation: 'x', year: 2026,
    scope: 'brussels-region', programmatic: false, headings: [], lineFrom: 1, lineTo: 2, lang: 'en', text: '', concepts, score, fused: 0,
  };
}
const cards = new Map([
  ['sleep-tonight', card('sleep-tonight', ['emergency-shelter', 'night-shelter'])],
  ['sleep-tonight-family', card('sleep-tonight-family', ['emergency-shelter', 'night-shelter'], ['families'])],
  ['complain', card('complain', ['complaints'])],
  ['eat-today', card('eat-today', ['food'])],
]);

describe('chooseCard', () => {
  it('should take the family card when the question names children', () => {
    const c = chooseCard({ passages: [passage('sleep-tonight', 0.5), passage('sleep-tonight-family', 0.45)], cards, needs: ['night-shelter'], groups: ['families'], concepts: [] });
    expect(c?.card.id).toBe('sleep-tonight-family');
  });

  it('should take the general card when no group is named', () => {
    const c = chooseCard({ passages: [passage('sleep-tonight-family', 0.5), passage('sleep-tonight', 0.45)], cards, needs: ['night-shelter'], groups: [], concepts: [] });
    expect(c?.card.id).toBe('sleep-tonight');
  });

  it('should follow the main need: complaining about a shelter is a complaint', () => {
    const c = chooseCard({ passages: [passage('sleep-tonight', 0.4), passage('complain', 0.4)], cards, needs: ['complaints', 'emergency-shelter'], groups: [], concepts: [] });
    expect(c?.card.id).toBe('complain');
  });

  it('should find a card by need alone when retrieval missed it', () => {
    expect(chooseCard({ passages: [], cards, needs: ['food'], groups: [], concepts: [] })?.card.id).toBe('eat-today');
  });

  it('should take no card when neither need nor topic agrees', () => {
    expect(chooseCard({ passages: [passage('eat-today', 0.9)], cards, needs: [], groups: [], concepts: ['x'] })).toBeUndefined();
    expect(chooseCard({ passages: [passage('eat-today', 0.05, ['basic-needs.meals'])], cards, needs: [], groups: [], concepts: ['basic-needs.meals'] })).toBeUndefined();
  });

  it('should accept a card on a shared topic with a good retrieval score', () => {
    const c = chooseCard({ passages: [passage('eat-today', 0.6, ['basic-needs.meals'])], cards, needs: [], groups: [], concepts: ['basic-needs.meals'] });
    expect(c?.card.id).toBe('eat-today');
  });
});
