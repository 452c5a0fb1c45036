/**
 * A local Direct Line 3.0 service, as the Bot Framework Emulator and Azure Direct Line provide it, so the web chat
 * page works with no cloud account. The page speaks the client side of Direct Line (tokens, conversations,
 * activities with a watermark); the bot is reached over HTTP at its /api/messages endpoint and replies through the
 * Bot Connector endpoints (/v3/conversations/:id/activities) at the serviceUrl this service puts on each activity.
 *
 * Memory is bounded: conversations expire after an idle hour, there is a maximum of conversations (the least
 * recently used goes first) and of activities kept per conversation (the oldest go first; watermarks stay ordered).
 * Nothing here logs message text.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** An activity as Direct Line and the Bot Connector exchange it (only the fields this service reads are typed). */
export interface DlActivity {
  type: string;
  id?: string;
  timestamp?: string;
  channelId?: string;
  serviceUrl?: string;
  from?: { id: string; name?: string; role?: string };
  recipient?: { id: string; name?: string; role?: string };
  conversation?: { id: string };
  replyToId?: string;
  text?: string;
  locale?: string;
  [field: string]: unknown;
}

export interface LocalDirectLineOptions {
  /** The bot's activity endpoint: an absolute URL, or a path on this server ("/api/messages"). */
  botEndpoint: string;
  /** Base URL the bot replies to; default: this server as the request reached it on its own socket. */
  serviceUrl?: string;
  /** When set, starting a conversation needs `Authorization: Bearer <secret>` (as Azure's Direct Line secret). */
  secret?: string;
  /** channelId put on activities sent to the bot (Azure Direct Line uses "directline"). */
  channelId?: string;
  bot?: { id: string; name: string };
  /** Longest message text accepted from the page (characters). */
  maxTextChars?: number;
  /** Largest activity accepted from the page, as JSON (bytes). */
  maxActivityBytes?: number;
  /** Activities kept per conversation. */
  maxActivities?: number;
  /** Conversations kept at once. */
  maxConversations?: number;
  /** A conversation with no activity for this long is dropped (ms). */
  idleMs?: number;
  /** Lifetime of a token (seconds); refreshing extends it. */
  tokenSeconds?: number;
  /** How long to wait for the bot to accept an activity (ms). */
  botTimeoutMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** HTTP client, for tests. */
  fetch?: typeof fetch;
}

/** A refusal with an HTTP status and a code (the routes turn it into `{ error: { code, message } }`). */
export class DirectLineError extends Error {
  constructor(readonly status: number, readonly code: string, readonly params: Record<string, unknown> = {}) {
    super(code);
  }
}

interface Conversation {
  id: string;
  token: string;
  tokenExpires: number;
  /** The token before the last refresh: valid until it expires, so a poll already under way is not refused. */
  previous?: { token: string; expires: number };
  user: { id: string; name?: string };
  locale?: string;
  serviceUrl?: string;
  started: boolean;
  lastActive: number;
  /** Next watermark (sequence number of the next activity). */
  seq: number;
  activities: Array<{ seq: number; activity: DlActivity }>;
}

export interface TokenInfo {
  conversationId: string;
  token: string;
  expires_in: number;
}

const USER_ID = /^[A-Za-z0-9_:.@-]{1,64}$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

export class LocalDirectLine {
  readonly opts: Required<Omit<LocalDirectLineOptions, 'serviceUrl' | 'secret'>> & Pick<LocalDirectLineOptions, 'serviceUrl' | 'secret'>;
  private readonly conversations = new Map<string, Conversation>();
  private readonly byToken = new Map<string, string>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(opts: LocalDirectLineOptions) {
    this.opts = {
      channelId: 'directline',
      bot: { id: 'infoline-bot', name: 'Information line' },
      maxTextChars: 2000,
      maxActivityBytes: 16_384,
      maxActivities: 200,
      maxConversations: 2000,
      idleMs: 60 * 60_000,
      tokenSeconds: 1800,
      botTimeoutMs: 15_000,
      now: Date.now,
      fetch: (...args) => fetch(...args),
      ...opts,
    };
    // A sweep a minute drops idle conversations even when nobody calls again; it never keeps the process alive.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** Stops the sweep timer. */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Number of conversations held (for tests and metrics). */
  get size(): number {
    return this.conversations.size;
  }

  /** True when the bearer credential may start conversations (the secret when one is set, anything otherwise). */
  mayStart(bearer: string | undefined): boolean {
    if (!this.opts.secret) return true;
    return !!bearer && safeEqual(bearer, this.opts.secret);
  }

  /**
   * A new conversation and its token (POST /tokens/generate): nothing is sent to the bot until the conversation is
   * started with the token.
   */
  generate(input: { user?: unknown; locale?: unknown } = {}): TokenInfo {
    this.sweep();
    while (this.conversations.size >= this.opts.maxConversations) this.evictOldest();
    const user = input.user as { id?: unknown; name?: unknown } | undefined;
    const userId = typeof user?.id === 'string' && USER_ID.test(user.id) ? user.id : `dl_${randomId(12)}`;
    const conv: Conversation = {
      id: randomId(18),
      token: randomId(32),
      tokenExpires: this.opts.now() + this.opts.tokenSeconds * 1000,
      user: { id: userId, name: typeof user?.name === 'string' ? user.name.slice(0, 64) : undefined },
      locale: validLocale(input.locale),
      started: false,
      lastActive: this.opts.now(),
      seq: 0,
      activities: [],
    };
    this.conversations.set(conv.id, conv);
    this.byToken.set(conv.token, conv.id);
    return this.tokenInfo(conv);
  }

  /**
   * Starts the conversation of a token (POST /conversations): the bot gets a conversationUpdate with the user
   * added, so its welcome appears. Starting twice only answers the conversation again.
   */
  async start(token: string, ctx: { serviceUrl: string; locale?: unknown }): Promise<TokenInfo & { created: boolean }> {
    const conv = this.byBearer(token);
    const created = !conv.started;
    if (created) {
      conv.started = true;
      conv.serviceUrl = this.opts.serviceUrl ?? ctx.serviceUrl;
      conv.locale = validLocale(ctx.locale) ?? conv.locale;
      await this.toBot(conv, {
        type: 'conversationUpdate',
        membersAdded: [{ id: this.opts.bot.id, name: this.opts.bot.name, role: 'bot' }, { id: conv.user.id, name: conv.user.name, role: 'user' }],
        ...(conv.locale ? { locale: conv.locale } : {}),
      }, false);
    }
    return { ...this.tokenInfo(conv), created };
  }

  /** True when the token is a live conversation's (so POST /conversations starts that one). */
  isToken(token: string): boolean {
    const id = this.byToken.get(token);
    return !!id && this.conversations.has(id);
  }

  /** The conversation's token and its remaining lifetime (GET /conversations/:id, after authorize). */
  info(conversationId: string): TokenInfo {
    return this.tokenInfo(this.live(conversationId));
  }

  /** A fresh token for the same conversation (POST /tokens/refresh); the old one works until it expires, as on Azure. */
  refresh(token: string): TokenInfo {
    const conv = this.byBearer(token);
    if (conv.previous) this.byToken.delete(conv.previous.token);
    conv.previous = { token: conv.token, expires: conv.tokenExpires };
    conv.token = randomId(32);
    conv.tokenExpires = this.opts.now() + this.opts.tokenSeconds * 1000;
    this.byToken.set(conv.token, conv.id);
    return this.tokenInfo(conv);
  }

  /** Checks that a token belongs to a conversation (403 otherwise, 404 when it expired or never existed). */
  authorize(conversationId: string, token: string | undefined): void {
    const conv = this.live(conversationId);
    const now = this.opts.now();
    const current = !!token && safeEqual(token, conv.token) && conv.tokenExpires > now;
    const previous = !!token && !!conv.previous && safeEqual(token, conv.previous.token) && conv.previous.expires > now;
    if (!current && !previous) throw new DirectLineError(403, 'dl_forbidden');
  }

  /**
   * An activity from the page (POST /conversations/:id/activities): checked, stored (the page sees its own
   * activities too, as with Azure), then sent to the bot. Resolves with its id once the bot accepted it.
   */
  async fromUser(conversationId: string, token: string | undefined, body: unknown, ctx: { serviceUrl: string }): Promise<{ id: string }> {
    this.authorize(conversationId, token);
    const conv = this.live(conversationId);
    const a = this.checkUserActivity(body);
    if (!conv.started) {
      // A client that posts before starting (allowed by Azure) still gets the welcome first.
      await this.start(conv.token, { serviceUrl: ctx.serviceUrl, locale: a.locale });
    }
    if (a.locale) conv.locale = a.locale;
    const stored = this.store(conv, {
      ...a,
      from: { id: conv.user.id, ...(conv.user.name ? { name: conv.user.name } : {}), role: 'user' },
    });
    await this.toBot(conv, stored, true);
    return { id: stored.id! };
  }

  /** An activity from the bot (the Bot Connector's POST /v3/conversations/:id/activities[/:replyToId]). */
  fromBot(conversationId: string, body: unknown, replyToId?: string): { id: string } {
    const conv = this.live(conversationId);
    const a = body as DlActivity | null;
    if (!a || typeof a !== 'object' || typeof a.type !== 'string' || !a.type) throw new DirectLineError(400, 'dl_bad_activity');
    const stored = this.store(conv, {
      ...a,
      from: a.from && typeof a.from.id === 'string' ? { ...a.from, role: 'bot' } : { id: this.opts.bot.id, name: this.opts.bot.name, role: 'bot' },
      recipient: { id: conv.user.id, role: 'user' },
      ...(replyToId && !a.replyToId ? { replyToId } : {}),
    });
    return { id: stored.id! };
  }

  /** The bot replaces one of its activities (TurnContext.updateActivity). */
  updateFromBot(conversationId: string, activityId: string, body: unknown): { id: string } {
    const conv = this.live(conversationId);
    const entry = conv.activities.find((e) => e.activity.id === activityId);
    if (!entry) throw new DirectLineError(404, 'dl_not_found');
    const a = body as DlActivity | null;
    if (!a || typeof a !== 'object' || typeof a.type !== 'string') throw new DirectLineError(400, 'dl_bad_activity');
    // An update is a new activity for the poller: moved to the end with a new watermark, same id.
    conv.activities = conv.activities.filter((e) => e !== entry);
    conv.activities.push({ seq: conv.seq++, activity: { ...entry.activity, ...a, id: activityId, conversation: { id: conv.id } } });
    return { id: activityId };
  }

  /** The bot deletes one of its activities (TurnContext.deleteActivity). */
  deleteFromBot(conversationId: string, activityId: string): void {
    const conv = this.live(conversationId);
    conv.activities = conv.activities.filter((e) => e.activity.id !== activityId);
  }

  /** The members of a conversation (the connector's GET /v3/conversations/:id/members). */
  members(conversationId: string): Array<{ id: string; name?: string; role: string }> {
    const conv = this.live(conversationId);
    return [{ id: this.opts.bot.id, name: this.opts.bot.name, role: 'bot' }, { ...conv.user, role: 'user' }];
  }

  /** Activities after a watermark (GET /conversations/:id/activities?watermark=N). */
  activities(conversationId: string, token: string | undefined, watermark: unknown): { activities: DlActivity[]; watermark: string } {
    this.authorize(conversationId, token);
    const conv = this.live(conversationId);
    const from = watermark === undefined || watermark === '' ? -1 : Number(watermark);
    if (!Number.isInteger(from) || from < -1) throw new DirectLineError(400, 'dl_bad_watermark');
    const list = conv.activities.filter((e) => e.seq > from);
    const last = conv.activities.length ? conv.activities[conv.activities.length - 1]!.seq : from;
    return { activities: list.map((e) => e.activity), watermark: String(Math.max(from, last)) };
  }

  /** Drops conversations idle for longer than idleMs. */
  sweep(): void {
    const limit = this.opts.now() - this.opts.idleMs;
    for (const conv of this.conversations.values()) if (conv.lastActive < limit) this.drop(conv);
  }

  private tokenInfo(conv: Conversation): TokenInfo {
    return { conversationId: conv.id, token: conv.token, expires_in: Math.max(0, Math.round((conv.tokenExpires - this.opts.now()) / 1000)) };
  }

  private byBearer(token: string | undefined): Conversation {
    const id = token ? this.byToken.get(token) : undefined;
    const conv = id ? this.conversations.get(id) : undefined;
    const expires = conv?.previous && token === conv.previous.token ? conv.previous.expires : conv?.tokenExpires;
    if (!conv || !expires || expires <= this.opts.now()) throw new DirectLineError(403, 'dl_forbidden');
    this.live(conv.id);
    return conv;
  }

  /** A conversation that has not expired, marked as active. */
  private live(conversationId: string): Conversation {
    const conv = this.conversations.get(conversationId);
    if (!conv) throw new DirectLineError(404, 'dl_not_found');
    if (conv.lastActive < this.opts.now() - this.opts.idleMs) {
      this.drop(conv);
      throw new DirectLineError(404, 'dl_not_found');
    }
    conv.lastActive = this.opts.now();
    // Map order is insertion order: re-inserting keeps the least recently used first, for eviction.
    this.conversations.delete(conv.id);
    this.conversations.set(conv.id, conv);
    return conv;
  }

  private drop(conv: Conversation): void {
    this.conversations.delete(conv.id);
    this.byToken.delete(conv.token);
    if (conv.previous) this.byToken.delete(conv.previous.token);
  }

  private evictOldest(): void {
    const first = this.conversations.values().next().value as Conversation | undefined;
    if (first) this.drop(first);
  }

  /** What the page may send: a message (text, entities, channelData, value) or an event; sizes checked. */
  private checkUserActivity(body: unknown): DlActivity & { locale?: string } {
    const a = body as Record<string, unknown> | null;
    if (!a || typeof a !== 'object' || Array.isArray(a)) throw new DirectLineError(400, 'dl_bad_activity');
    if (Buffer.byteLength(JSON.stringify(a)) > this.opts.maxActivityBytes) {
      throw new DirectLineError(413, 'dl_too_large', { max: Math.floor(this.opts.maxActivityBytes / 1024) });
    }
    if (a.type !== 'message' && a.type !== 'event' && a.type !== 'typing') throw new DirectLineError(400, 'dl_bad_activity');
    if (a.text !== undefined && typeof a.text !== 'string') throw new DirectLineError(400, 'dl_bad_activity');
    if (typeof a.text === 'string' && [...a.text].length > this.opts.maxTextChars) {
      throw new DirectLineError(413, 'dl_too_long', { max: this.opts.maxTextChars });
    }
    if (a.attachments !== undefined) throw new DirectLineError(400, 'dl_no_attachments');
    if (a.entities !== undefined && (!Array.isArray(a.entities) || a.entities.length > 10 || !a.entities.every(isEntity))) {
      throw new DirectLineError(400, 'dl_bad_activity');
    }
    if (a.channelData !== undefined && (typeof a.channelData !== 'object' || a.channelData === null || Array.isArray(a.channelData))) {
      throw new DirectLineError(400, 'dl_bad_activity');
    }
    if (a.type === 'event' && (typeof a.name !== 'string' || !a.name || a.name.length > 100)) throw new DirectLineError(400, 'dl_bad_activity');
    const out: DlActivity & { locale?: string } = { type: a.type };
    if (typeof a.text === 'string') {
      out.text = a.text;
      out.textFormat = 'plain';
    }
    const locale = validLocale(a.locale);
    if (locale) out.locale = locale;
    for (const k of ['entities', 'channelData', 'value', 'name'] as const) if (a[k] !== undefined) out[k] = a[k];
    return out;
  }

  /** Stores an activity with an Azure-style id ("<conversation>|0000007"), trimming the oldest beyond the limit. */
  private store(conv: Conversation, a: DlActivity): DlActivity {
    const seq = conv.seq++;
    const activity: DlActivity = {
      ...a,
      id: `${conv.id}|${String(seq).padStart(7, '0')}`,
      timestamp: new Date(this.opts.now()).toISOString(),
      channelId: this.opts.channelId,
      conversation: { id: conv.id },
    };
    conv.activities.push({ seq, activity });
    if (conv.activities.length > this.opts.maxActivities) conv.activities.splice(0, conv.activities.length - this.opts.maxActivities);
    return activity;
  }

  /**
   * Sends an activity to the bot as a channel would: the serviceUrl to reply to, the bot as recipient. Failures of
   * a user's message are the caller's (502/504, as Azure answers when the bot fails); a failed welcome is not.
   */
  private async toBot(conv: Conversation, a: DlActivity, mustArrive: boolean): Promise<void> {
    const activity: DlActivity = {
      id: a.id ?? `${conv.id}|${randomId(6)}`,
      timestamp: a.timestamp ?? new Date(this.opts.now()).toISOString(),
      ...a,
      channelId: this.opts.channelId,
      serviceUrl: conv.serviceUrl!,
      conversation: { id: conv.id },
      from: a.from ?? { id: conv.user.id, role: 'user' },
      recipient: { id: this.opts.bot.id, name: this.opts.bot.name, role: 'bot' },
    };
    const url = new URL(this.opts.botEndpoint, conv.serviceUrl).href;
    try {
      const res = await this.opts.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(this.opts.botTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 400 && mustArrive) throw new DirectLineError(502, 'dl_bot_error');
    } catch (err) {
      if (!mustArrive) return;
      if (err instanceof DirectLineError) throw err;
      throw new DirectLineError((err as Error).name === 'TimeoutError' ? 504 : 502, 'dl_bot_error');
    }
  }
}

function validLocale(v: unknown): string | undefined {
  return typeof v === 'string' && v.length <= 20 && LOCALE.test(v) ? v : undefined;
}

function isEntity(e: unknown): boolean {
  return !!e && typeof e === 'object' && !Array.isArray(e) && typeof (e as { type?: unknown }).type === 'string';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
