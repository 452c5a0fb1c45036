/**
 * Retention, enforced: street reports and hand-off requests past their delete date, and conversations (bot state
 * and the conversation's language record) idle longer than the configured days are deleted. main() runs it at start
 * and every hour; operators can run it with `npm run retention`.
 */
import type { Database } from '../db/database.js';

export interface RetentionDeps {
  db: Database;
  reports: { purgeExpired(now: Date): Promise<number> };
  handoffs: { purgeExpired(now: Date): Promise<number> };
  /** Days an idle conversation's state is kept. */
  stateRetentionDays: number;
}

export interface RetentionSummary {
  reports: number;
  handoffs: number;
  botState: number;
  conversations: number;
}

export async function purgeExpired(deps: RetentionDeps, now = new Date()): Promise<RetentionSummary> {
  const cutoff = new Date(now.getTime() - deps.stateRetentionDays * 86_400_000);
  const reports = await deps.reports.purgeExpired(now);
  const handoffs = await deps.handoffs.purgeExpired(now);
  const state = await deps.db.query('DELETE FROM bot_state WHERE updated_at < $1 RETURNING key', [cutoff]);
  const convs = await deps.db.query('DELETE FROM conversations WHERE updated_at < $1 RETURNING id', [cutoff]);
  return { reports, handoffs, botState: state.rows.length, conversations: convs.rows.length };
}
