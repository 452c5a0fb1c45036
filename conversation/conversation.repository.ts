/** Conversation records: the language a conversation is held in, used as the prior for the next message. */
import type { Queryable } from '../db/database.js';
import { isLang, type Lang } from './languages.js';

export class ConversationRepository {
  constructor(private readonly db: Queryable) {}

  /** The conversation's language, if the conversation is known. */
  async language(id: string): Promise<Lang | undefined> {
    const { rows } = await this.db.query<{ lang: string }>('SELECT lang FROM conversations WHERE id = $1', [id]);
    const lang = rows[0]?.lang;
    return isLang(lang) ? lang : undefined;
  }

  /** Records the language of the latest turn. */
  async touch(id: string, channel: string, lang: Lang): Promise<void> {
    await this.db.query(
      `INSERT INTO conversations (id, channel, lang) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET lang = EXCLUDED.lang, updated_at = now()`,
      [id, channel, lang],
    );
  }
}
