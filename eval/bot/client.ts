/**
 * A small Bot Framework client for evaluations: posts activities to the real app's POST /api/messages as the
 * Emulator does, and a local connector endpoint (the activity's serviceUrl) records what the bot sends back.
 * CloudAdapter sends a turn's replies before it answers the POST, so `say` returns exactly that turn's replies.
 * Tests use it too (test/helpers/bot-client.ts re-exports it), so scripts need nothing from test/.
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BotReply {
  type: string;
  text?: string;
  speak?: string;
  inputHint?: string;
  locale?: string;
  replyToId?: string;
  attachments?: Array<{ contentType: string; content: { title?: string; subtitle?: string; images?: Array<{ url: string; alt?: string }> } }>;
  suggestedActions?: { actions: Array<{ type: string; title: string; value: string }> };
  channelData?: Record<string, unknown>;
}

export interface Connector {
  base: string;
  captured: Array<{ conversationId: string; body: BotReply }>;
  close: () => Promise<void>;
}

/**
 * Starts a loopback connector endpoint that records every activity the bot sends. onActivity runs before the
 * connector acknowledges an activity (while the bot waits for the acknowledgement).
 */
export async function startConnector(opts: { onActivity?: (body: BotReply) => Promise<void> } = {}): Promise<Connector> {
  const captured: Connector['captured'] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post(['/v3/conversations/:cid/activities', '/v3/conversations/:cid/activities/:aid'], async (req, res) => {
    captured.push({ conversationId: String(req.params.cid), body: req.body as BotReply });
    await opts.onActivity?.(req.body as BotReply);
    res.json({ id: `reply-${captured.length}` });
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    captured,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let seq = 0;

/** One turn as it happened: what was sent and what came back (for failure reports). */
export interface Turn {
  sent: string;
  replies: BotReply[];
}

/** One conversation with the bot on a channel. */
export class BotClient {
  /** Every turn of this conversation, in order. */
  readonly turns: Turn[] = [];

  constructor(
    private readonly appBase: string,
    private readonly connector: Connector,
    readonly conversationId: string,
    private readonly opts: { channelId?: string; locale?: string; userId?: string } = {},
  ) {}

  private activity(extra: Record<string, unknown>) {
    return {
      id: `act-${process.pid}-${++seq}`, channelId: this.opts.channelId ?? 'emulator', serviceUrl: this.connector.base,
      timestamp: new Date().toISOString(), locale: this.opts.locale,
      from: { id: this.opts.userId ?? 'user-1', name: 'User' }, recipient: { id: 'bot-1', name: 'Bot' },
      conversation: { id: this.conversationId }, ...extra,
    };
  }

  /** Posts an activity; returns the HTTP status and the messages the bot sent for it (typing left out). */
  async post(extra: Record<string, unknown>): Promise<{ status: number; replies: BotReply[] }> {
    const a = this.activity(extra);
    const res = await fetch(`${this.appBase}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
    await res.arrayBuffer();
    const replies = this.connector.captured
      .filter((c) => c.conversationId === this.conversationId && c.body.replyToId === a.id && c.body.type === 'message')
      .map((c) => c.body);
    this.turns.push({ sent: typeof extra.text === 'string' ? extra.text : `(${String(extra.type)})`, replies });
    return { status: res.status, replies };
  }

  /** Sends a text message; returns the bot's messages. */
  async say(text: string, extra: Record<string, unknown> = {}): Promise<BotReply[]> {
    const { status, replies } = await this.post({ type: 'message', text, ...extra });
    if (status !== 200) throw new Error(`POST /api/messages answered ${status} to "${text}"`);
    return replies;
  }

  /** The conversation starts: the user joins (the bot welcomes them). */
  async join(): Promise<BotReply[]> {
    const { status, replies } = await this.post({ type: 'conversationUpdate', membersAdded: [{ id: this.opts.userId ?? 'user-1' }, { id: 'bot-1' }] });
    if (status !== 200) throw new Error(`POST /api/messages answered ${status} to the join`);
    return replies;
  }
}

/** All the text of some replies, joined. */
export const textOf = (replies: BotReply[]) => replies.map((r) => r.text ?? '').join('\n');
