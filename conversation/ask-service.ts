/**
 * The question-answering turn of the conversation brain: language (given, detected, or the conversation's),
 * retrieval, composition. Channels (/api/ask, the bot, SMS, voice) call this and render the result.
 */
import type { Logger } from '../logger.js';
import type { Lexicon } from '../knowledge/embeddings/lexicon.js';
import { queryLanguages } from '../knowledge/embeddings/featurize.js';
import type { Retriever } from '../knowledge/types.js';
import { composeAnswer, type Source } from './compose-answer.js';
import type { ConversationRepository } from './conversation.repository.js';
import { detectLanguage } from './detect-language.js';
import type { Lang } from './languages.js';

export interface AskRequest {
  text: string;
  lang?: Lang;
  conversationId?: string;
  channel?: string;
}

/** The /api/ask response (DESIGN.md section 7). */
export interface AskResponse {
  lang: Lang;
  intent: 'question';
  answer: string;
  sources: Source[];
  services: unknown[];
  escalate: boolean;
}

export interface AskDeps {
  retriever: Retriever;
  lexicon: Lexicon;
  conversations: ConversationRepository;
  logger: Logger;
  minScore: number;
  /** Keeps the concepts that say what a question is about (drops those most passages mention). */
  informative?: (concepts: string[]) => string[];
}

export class AskService {
  constructor(private readonly deps: AskDeps) {}

  /** Answers one question. Throws only when the database or index cannot be used. */
  async ask(req: AskRequest): Promise<AskResponse> {
    const started = performance.now();
    const { retriever, lexicon, conversations, logger } = this.deps;
    const prior = req.conversationId ? await conversations.language(req.conversationId) : undefined;
    const lang = req.lang ?? detectLanguage(req.text, { prior }).lang;
    const passages = await retriever.search(req.text, { lang, k: 5 });
    const all = [...new Set(lexicon.match(req.text, queryLanguages(lang)).map((m) => m.concept))];
    const concepts = this.deps.informative ? this.deps.informative(all) : all;
    const composed = composeAnswer(req.text, lang, passages, lexicon, concepts, { minScore: this.deps.minScore });
    if (req.conversationId) await conversations.touch(req.conversationId, req.channel ?? 'api', lang);
    logger.info(
      {
        stage: 'ask', conversationId: req.conversationId, lang, intent: 'question', answered: composed.answered,
        sources: composed.sources.length, topScore: passages[0]?.score, latencyMs: Math.round(performance.now() - started),
      },
      'answered',
    );
    return { lang, intent: 'question', answer: composed.answer, sources: composed.sources, services: [], escalate: composed.escalate };
  }
}
