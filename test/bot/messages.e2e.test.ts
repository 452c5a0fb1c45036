/**
 * POST /api/messages as the Bot Framework Emulator uses it: activities posted to the real app, replies captured by
 * a local connector endpoint at the activity's serviceUrl (where the Emulator or Azure Bot Service would receive them).
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../conversation/languages.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const locale = (lang: Lang) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as { bot: Record<string, string> };
const card = (id: string) => JSON.parse(readFileSync(join(ROOT, 'knowledge', 'cards', 'data', `${id}.json`), 'utf8')) as { text: Record<Lang, { body: string }> };

interface Captured { conversationId: string; body: { type: string; text?: string; speak?: string; inputHint?: string; replyToId?: string; locale?: string } }

/** A connector endpoint like the Emulator's: records every activity the bot sends. */
async function startConnector(): Promise<{ base: string; captured: Captured[]; server: Server }> {
  const captured: Captured[] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post(['/v3/conversations/:cid/activities', '/v3/conversations/:cid/activities/:aid'], (req, res) => {
    captured.push({ conversationId: String(req.params.cid), body: req.body as Captured['body'] });
    res.json({ id: `reply-${captured.length}` });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, captured, server };
}

function activity(serviceUrl: string, conversation: string, extra: Record<string, unknown>) {
  return {
    id: `act-${Math.random().toString(36).slice(2)}`, channelId: 'emulator', serviceUrl, timestamp: new Date().toISOString(),
    from: { id: 'user-1', name: 'User' }, recipient: { id: 'bot-1', name: 'Bot' }, conversation: { id: conversation }, ...extra,
  };
}

async function until<T>(fn: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for the bot reply');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('POST /api/messages (no app id, as with the Emulator)', () => {
  let app: TestApp;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  beforeAll(async () => {
    [app, connector] = await Promise.all([startTestApp(), startConnector()]);
  });
  afterAll(async () => {
    await app?.stop();
    await new Promise<void>((r) => (connector ? connector.server.close(() => r()) : r()));
  });

  const post = (body: unknown) => fetch(`${app.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('should answer a French message in French with the card, speak (SSML) and an input hint', async () => {
    const a = activity(connector.base, 'conv-fr', { type: 'message', text: 'je cherche une douche près de la gare du Midi', locale: 'fr-BE' });
    const res = await post(a);
    expect(res.status).toBe(200);
    const reply = await until(() => connector.captured.find((c) => c.conversationId === 'conv-fr' && c.body.type === 'message'));
    expect(reply.body.text).toContain(card('shower-wash').text.fr.body);
    expect(reply.body.replyToId).toBe(a.id);
    expect(reply.body.locale).toBe('fr');
    expect(reply.body.speak).toMatch(/^<speak version="1.0" [^>]*xml:lang="fr">[\s\S]+<\/speak>$/);
    expect(reply.body.inputHint).toBe('expectingInput');
  });

  it('should welcome a new member in the language of the channel', async () => {
    const res = await post(activity(connector.base, 'conv-welcome', {
      type: 'conversationUpdate', locale: 'nl-BE', membersAdded: [{ id: 'user-1', name: 'User' }, { id: 'bot-1', name: 'Bot' }],
    }));
    expect(res.status).toBe(200);
    const replies = await until(() => {
      const r = connector.captured.filter((c) => c.conversationId === 'conv-welcome');
      return r.length ? r : undefined;
    });
    expect(replies).toHaveLength(1); // the user, not the bot itself
    expect(replies[0]!.body.text).toBe(`${locale('nl').bot.welcome}\n${locale('nl').bot.choose_language}`);
    // The language choice as suggested actions: the 12 languages, each named in itself.
    const actions = (replies[0]!.body as { suggestedActions?: { actions: Array<{ title: string }> } }).suggestedActions?.actions ?? [];
    expect(actions.map((a) => a.title)).toEqual(['nl', 'fr', 'en', 'ar', 'es', 'pt', 'ro', 'pl', 'bg', 'tr', 'ru', 'uk'].map((l) => (JSON.parse(readFileSync(join(ROOT, 'locales', l, 'translation.json'), 'utf8')) as { language: { name: string } }).language.name));
  });

  it('should refuse a malformed activity with 400 and send nothing', async () => {
    const before = connector.captured.length;
    const res = await post({ text: 'no type, no conversation' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('activity_invalid');
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.captured.length).toBe(before);
  });
});

describe('POST /api/messages with an app id', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' } });
  });
  afterAll(async () => app?.stop());

  it('should refuse an activity without a Bot Framework token (401)', async () => {
    const res = await fetch(`${app.base}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity('http://127.0.0.1:9', 'conv-x', { type: 'message', text: 'hello', channelId: 'webchat' })),
    });
    expect(res.status).toBe(401);
  });

  it('should refuse a forged token (401)', async () => {
    const res = await fetch(`${app.base}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln' },
      body: JSON.stringify(activity('http://127.0.0.1:9', 'conv-y', { type: 'message', text: 'hello', channelId: 'webchat' })),
    });
    expect(res.status).toBe(401);
  });
});
