/**
 * The question-answering turn of the conversation brain: language (given, detected, or the conversation's),
 * what the person needs and where (taxonomy, gazetteer, "now"/"tonight"), a knowledge card when one answers,
 * directory services, plan passages, composition. Channels (/api/ask, the bot, SMS, voice) call this and render it.
 */
import type { Logger } from '../logger.js';
import type { Lexicon } from '../knowledge/embeddings/lexicon.js';
import { queryLanguages } from '../knowledge/embeddings/featurize.js';
import type { Card } from '../knowledge/cards/load-cards.js';
import type { DocumentMeta, Passage, Retriever } from '../knowledge/types.js';
import type { DirectorySearch, ServiceHit } from '../directory/directory-search.js';
import { composeAnswer, type Source } from './compose-answer.js';
import { composeCard, composeServices } from './compose-services.js';
import { chooseCard, type CardChoice } from './choose-card.js';
import type { ConversationRepository } from './conversation.repository.js';
import { detectLanguage } from './detect-language.js';
import { tFor } from './i18n.js';
import type { Lang } from './languages.js';
import { whenAsked } from './when-words.js';
import { detectSafety, safetyReply, type SafetyAlert } from './safety.js';
import { ageGroups } from './age-groups.js';
import { pictogramUrl, summarize, type ServiceSummary } from './service-summary.js';

export interface AskRequest {
  text: string;
  lang?: Lang;
  conversationId?: string;
  channel?: string;
  /** The previous question of this conversation (from AskResponse.context), for follow-ups like "and for women?". */
  context?: AskContext;
}

/** What a follow-up builds on: the question so far (the person's words, kept only in conversation state). */
export interface AskContext {
  question: string;
}

/** Longest question kept as context (a chain of follow-ups does not grow without end). */
const CONTEXT_MAX_CHARS = 400;
/** A follow-up is short: "and for women?", "closer to Anderlecht?", "is it open now?". */
const FOLLOW_UP_MAX_WORDS = 10;

/** The /api/ask response (DESIGN.md section 7). */
export interface AskResponse {
  lang: Lang;
  intent: 'question' | 'service' | 'safety';
  answer: string;
  sources: Source[];
  services: ServiceSummary[];
  /** Set when a life may be at risk: what was recognised and the emergency numbers the answer gives. */
  safety?: { kind: SafetyAlert['kind']; priority: SafetyAlert['priority']; numbers: string[] };
  /** The knowledge card the answer rests on, if any. */
  card?: { id: string; title: string; pictogram: string };
  escalate: boolean;
  /** To pass back with the next question of the conversation (follow-ups). */
  context: AskContext;
  /** True when this answer read the question as a follow-up of the previous one. */
  followUp?: boolean;
}

/** What the brain needs to understand needs and places (directory/taxonomy.ts, directory/gazetteer.ts). */
export interface NeedsUnderstanding {
  needs(text: string, lang?: Lang): string[];
  groups(text: string, lang?: Lang): string[];
  label(id: string, lang: Lang): string | undefined;
}
export interface PlaceUnderstanding {
  /** The first place named in the text, with coordinates and the commune it is in. */
  placeIn(text: string): { name: string; lat: number; lon: number; commune: string; isCommune: boolean } | undefined;
}

/** The directory side of answering: optional so a knowledge-only service still works (and old tests). */
export interface DirectoryDeps {
  taxonomy: NeedsUnderstanding;
  places: PlaceUnderstanding;
  search: Pick<DirectorySearch, 'search' | 'getMany'>;
  cards: Map<string, Card>;
  documents: Map<string, Pick<DocumentMeta, 'shortTitle'>>;
  /** How many services an answer lists. */
  listed?: number;
}

export interface AskDeps {
  retriever: Retriever;
  lexicon: Lexicon;
  conversations: ConversationRepository;
  logger: Logger;
  minScore: number;
  /** Keeps the concepts that say what a question is about (drops those most passages mention). */
  informative?: (concepts: string[]) => string[];
  directory?: DirectoryDeps;
  clock?: () => Date;
}

export class AskService {
  constructor(private readonly deps: AskDeps) {}

  /** Answers one question. Throws only when the database or index cannot be used. */
  async ask(req: AskRequest): Promise<AskResponse> {
    const started = performance.now();
    const { retriever, lexicon, conversations, logger } = this.deps;
    const now = this.deps.clock?.() ?? new Date();
    const prior = req.conversationId ? await conversations.language(req.conversationId) : undefined;
    const lang = req.lang ?? detectLanguage(req.text, { prior }).lang;
    // Safety first, at every turn: a life at risk gets the emergency numbers and a priority hand-off before anything
    // else; the practical answer still follows ("my husband hits me, where can I go with my children").
    const alert = detectSafety(req.text, lang);
    if (alert) logger.warn({ stage: 'safety', conversationId: req.conversationId, lang, kind: alert.kind, priority: alert.priority }, 'safety interrupt');
    const dir = this.deps.directory;
    // "And for women?" after "where can I sleep tonight": read as the previous question plus the new words, with a
    // newly named place or time taking precedence over the earlier one.
    const followUp = !!req.context?.question && !!dir && this.isFollowUp(req.text, lang);
    const question = followUp ? `${req.context!.question} ${req.text}` : req.text;
    const all = [...new Set(lexicon.match(question, queryLanguages(lang)).map((m) => m.concept))];
    const concepts = this.deps.informative ? this.deps.informative(all) : all;
    const needs = dir?.taxonomy.needs(question, lang) ?? [];
    // Groups named ("with my kids", "sans papiers") and implied by an age ("I'm 16").
    const groups = dir ? [...new Set([...dir.taxonomy.groups(question, lang), ...ageGroups(question)])] : [];
    const [passages, cardPassages] = await Promise.all([
      retriever.search(question, { lang, k: 5 }),
      dir ? retriever.search(question, { lang, k: 12, kinds: ['card'] }) : Promise.resolve([] as Passage[]),
    ]);
    const choice = dir ? chooseCard({ passages: cardPassages, cards: dir.cards, needs, groups, concepts, question, lang }) : undefined;
    // A chosen card knows which needs it answers ("complain about my shelter" wants complaint bodies, not shelters).
    const wanted = choice ? choice.card.categories : needs;
    const place = dir?.places.placeIn(req.text) ?? (followUp ? dir?.places.placeIn(req.context!.question) : undefined);
    const open = whenAsked(req.text) ?? (followUp ? whenAsked(req.context!.question) : undefined);
    const limit = dir?.listed ?? 3;
    const found = dir && wanted.length
      ? await dir.search.search({
          needs: wanted, groups: [...groups, ...(choice?.card.groups ?? [])], commune: place?.commune,
          near: place && !place.isCommune ? place : undefined, open, at: now, limit,
        })
      : [];
    // The services a card names come first (the three complaint levels); the search fills the rest.
    const named = dir && choice ? await dir.search.getMany(choice.card.services, now) : [];
    const hits = [...named, ...found.filter((h) => !named.some((n) => n.id === h.id))].slice(0, limit);
    const composed = composeAnswer(question, lang, passages, lexicon, concepts, { minScore: this.deps.minScore });
    const answer = this.answerText(lang, composed.answer, composed.answered, choice, hits, place && !place.isCommune ? place.name : undefined, now);
    if (req.conversationId) await conversations.touch(req.conversationId, req.channel ?? 'api', lang);
    const escalate = !choice && !hits.length && composed.escalate;
    logger.info(
      {
        stage: 'ask', conversationId: req.conversationId, lang, intent: wanted.length ? 'service' : 'question', followUp,
        answered: composed.answered || !!choice, card: choice?.card.id, services: hits.length,
        sources: composed.sources.length, topScore: passages[0]?.score, latencyMs: Math.round(performance.now() - started),
      },
      'answered',
    );
    const urgent = alert ? safetyReply(alert, lang) : undefined;
    return {
      lang,
      intent: alert ? 'safety' : wanted.length ? 'service' : 'question',
      // Nothing found is not worth saying after an emergency message: the person is being put through anyway.
      answer: urgent ? (composed.answered || choice || hits.length ? `${urgent.text}\n\n${answer}` : urgent.text) : answer,
      sources: [...(choice ? cardSources(choice, lang) : []), ...composed.sources, ...hits.map(directorySource)],
      services: hits.map((h) => summarize(h, lang, now)),
      ...(choice ? { card: { id: choice.card.id, title: choice.card.text[lang].title, pictogram: pictogramUrl(choice.card.categories[0]!) } } : {}),
      ...(alert && urgent ? { safety: { kind: alert.kind, priority: alert.priority, numbers: urgent.numbers } } : {}),
      escalate: escalate || !!alert,
      context: { question: [...question].slice(-CONTEXT_MAX_CHARS).join('') },
      ...(followUp ? { followUp } : {}),
    };
  }

  /**
   * A short message that names no need of its own but a group, a place or a time ("and for women?", "closer to
   * Anderlecht?", "is it open now?") continues the previous question.
   */
  private isFollowUp(text: string, lang: Lang): boolean {
    const dir = this.deps.directory!;
    if ((text.match(/[\p{L}\p{N}]+/gu) ?? []).length > FOLLOW_UP_MAX_WORDS) return false;
    if (dir.taxonomy.needs(text, lang).length) return false;
    return dir.taxonomy.groups(text, lang).length > 0 || ageGroups(text).length > 0 || !!dir.places.placeIn(text) || !!whenAsked(text);
  }

  /** A card (preferred) or the plan passages, then the services, then the offer of a person. */
  private answerText(
    lang: Lang, planAnswer: string, planAnswered: boolean, choice: CardChoice | undefined, hits: ServiceHit[],
    placeName: string | undefined, now: Date,
  ): string {
    const dir = this.deps.directory;
    if (!dir || (!choice && !hits.length)) return planAnswer;
    const t = tFor(lang);
    const parts: string[] = [];
    if (choice) parts.push(composeCard(choice.card, lang, dir.documents));
    else if (planAnswered) parts.push(planAnswer.replace(`\n\n${t('answer.offer_person')}`, ''));
    if (hits.length) parts.push(composeServices(hits, { lang, labelOf: (id, l) => dir.taxonomy.label(id, l), placeName, now }));
    parts.push(t('answer.offer_person'));
    return parts.join('\n\n');
  }
}

function cardSources(choice: CardChoice, lang: Lang): Source[] {
  const { card } = choice;
  const card0: Source = {
    kind: 'card', document: card.id, title: card.text[lang].title,
    locator: card.citations.map((c) => `${c.document} lines ${c.lines[0]}-${c.lines[1]}`).join('; '),
    text: card.text[lang].body, score: Math.round(choice.score * 1000) / 1000,
  };
  const cited: Source[] = card.citations.map((c) => ({
    kind: 'plan', document: c.document, title: c.document, locator: `lines ${c.lines[0]}-${c.lines[1]}`, text: c.quote, score: 1,
  }));
  return [card0, ...cited];
}

function directorySource(h: ServiceHit): Source {
  return {
    kind: 'directory', document: h.id, title: h.name,
    locator: h.source.document ? `${h.source.document} lines ${h.source.lines ?? ''}`.trim() : h.source.kind,
    text: h.description, score: h.score,
  };
}
