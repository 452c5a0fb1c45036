/**
 * "Delete my data" (DESIGN.md section 6: a person can ask to have their data erased). For one conversation:
 * its hand-off requests and its language record are deleted; the street reports it made are kept, since they are about
 * someone else who may need help, but lose the reporter's contact and the link to the conversation. The bot deletes the
 * conversation's state itself (bot/infoline-bot.ts).
 */
import type { Queryable } from '../db/database.js';

export interface Erased {
  handoffs: number;
  reportsUnlinked: number;
  conversations: number;
}

export async function eraseConversation(db: Queryable, conversationId: string): Promise<Erased> {
  const h = await db.query('DELETE FROM handoff_requests WHERE conversation_id = $1 RETURNING id', [conversationId]);
  const r = await db.query('UPDATE street_reports SET contact = NULL, conversation_id = NULL WHERE conversation_id = $1 RETURNING id', [conversationId]);
  const c = await db.query('DELETE FROM conversations WHERE id = $1 RETURNING id', [conversationId]);
  return { handoffs: h.rows.length, reportsUnlinked: r.rows.length, conversations: c.rows.length };
}
