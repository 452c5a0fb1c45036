/**
 * Picks the knowledge card that answers a question, if one does: retrieval finds the cards whose text is close
 * to the question (in any of their 12 languages), the taxonomy says which needs and groups the question names, and
 * a card wins when both agree well enough. A card for a group the question did not mention (women, families) loses
 * to the general one, so "where can I sleep tonight" gets the general card and "… with my two kids" the family one.
 */
import type { Card } from '../knowledge/cards/load-cards.js';
import { cardIdOf } from '../knowledge/cards/ingest-cards.js';
import type { Passage } from '../knowledge/types.js';
import { STOPWORDS, tokenize } from '../knowledge/embeddings/text.js';
import type { Lang } from './languages.js';

export interface CardChoice {
  card: Card;
  score: number;
  passage?: Passage;
}

export interface ChooseCardInput {
  /** Card passages from retrieval, best first (several languages of one card may come up). */
  passages: Passage[];
  cards: Map<string, Card>;
  needs: string[];
  groups: string[];
  /** Informative lexicon concepts of the question. */
  concepts: string[];
  /** The question itself and its language: compared with the ways people ask the card. */
  question?: string;
  lang?: Lang;
  /** Below this a card is not taken. */
  minScore?: number;
  /** Below this a card is not taken when the question names none of its needs or groups (topic overlap only). */
  minTopicScore?: number;
}

/** Content words of a text (no stopwords), for comparing a question with a card's example questions. */
function words(text: string): Set<string> {
  return new Set(tokenize(text).filter((w) => w.length > 1 && !STOPWORDS.has(w)));
}

/** How close the question is to the closest of the card's example questions (Jaccard of content words). */
function closeness(question: Set<string>, examples: string[]): number {
  let best = 0;
  for (const e of examples) {
    const w = words(e);
    let shared = 0;
    for (const x of w) if (question.has(x)) shared++;
    const union = question.size + w.size - shared;
    if (union) best = Math.max(best, shared / union);
  }
  return best;
}

/** The best card for the question, or undefined when none answers it well enough. */
export function chooseCard(input: ChooseCardInput): CardChoice | undefined {
  const { cards, needs, groups, concepts } = input;
  const minScore = input.minScore ?? 0.3;
  const minTopic = input.minTopicScore ?? 0.7;
  const qWords = input.question ? words(input.question) : new Set<string>();
  const best = new Map<string, CardChoice & { threshold: number }>();
  const consider = (card: Card, base: number, passage?: Passage) => {
    const needHits = card.categories.filter((c) => needs.includes(c)).length;
    const groupHits = card.groups.filter((g) => groups.includes(g) || needs.includes(g)).length;
    const otherGroups = card.groups.length - groupHits;
    const sharesConcept = passage ? passage.concepts.some((c) => concepts.includes(c)) : false;
    if (!needHits && !groupHits && !sharesConcept) return;
    // The card's main need matters most: "complain about my shelter" is about complaints, not shelter.
    const main = needs.length && card.categories[0] === needs[0] ? 0.15 : 0;
    // Asked almost as one of the card's own example questions: strong evidence.
    const asked = input.lang && qWords.size ? 0.4 * closeness(qWords, card.text[input.lang].questions) : 0;
    const score = base + asked + 0.25 * Math.min(needHits, 2) + main + 0.3 * groupHits - 0.25 * otherGroups;
    const threshold = needHits || groupHits ? minScore : Math.max(minScore, minTopic);
    const prev = best.get(card.id);
    if (!prev || score > prev.score) best.set(card.id, { card, score, threshold, passage: passage ?? prev?.passage });
  };
  input.passages.forEach((p, rank) => {
    const id = cardIdOf(p.documentId);
    const card = id ? cards.get(id) : undefined;
    // Similarity plus a small bonus for the top retrieval ranks.
    if (card) consider(card, p.score + 0.1 / (1 + rank), p);
  });
  // Cards retrieval missed but whose main need or group the question names ("douche?", "I'm 16").
  for (const card of cards.values()) {
    if (best.has(card.id)) continue;
    if (needs.includes(card.categories[0]!) || card.groups.some((g) => groups.includes(g))) consider(card, 0);
  }
  const ranked = [...best.values()].filter((c) => c.score >= c.threshold).sort((a, b) => b.score - a.score);
  const top = ranked[0];
  return top ? { card: top.card, score: top.score, passage: top.passage } : undefined;
}
