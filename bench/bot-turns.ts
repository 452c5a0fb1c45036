/**
 * Bot turn latency through POST /api/messages, as a channel posts activities: from the POST until the app answers
 * it (CloudAdapter sends the turn's replies to the connector first, so this includes them). A local connector
 * endpoint stands in for the Emulator / Azure Bot Service. Three kinds of turns: questions (brain + rendering),
 * report dialog steps, and commands/menu turns.
 */
import { tFor } from '../conversation/i18n.js';
import { SUPPORTED_LANGS, type Lang } from '../conversation/languages.js';
import { progressBar } from '../scripts/cli.js';
import { startConnector } from '../eval/bot/client.js';

export interface TurnStats {
  name: string;
  latencies: number[];
  errors: number;
}

let seq = 0;

/** Runs `conversations` scripted conversations (cycling through the 12 languages) and returns latencies per kind. */
export async function benchBotTurns(appBase: string, questions: Array<{ lang: string; text: string }>, conversations: number): Promise<TurnStats[]> {
  const connector = await startConnector();
  const serviceUrl = connector.base;
  const stats: Record<'question' | 'report step' | 'menu/command', TurnStats> = {
    question: { name: 'question', latencies: [], errors: 0 },
    'report step': { name: 'report step', latencies: [], errors: 0 },
    'menu/command': { name: 'menu/command', latencies: [], errors: 0 },
  };
  const turn = async (kind: keyof typeof stats, conversation: string, lang: Lang, text: string) => {
    const body = {
      type: 'message', id: `b-${++seq}`, channelId: 'emulator', serviceUrl, text, locale: lang, timestamp: new Date().toISOString(),
      from: { id: `u-${conversation}` }, recipient: { id: 'bot' }, conversation: { id: conversation },
    };
    const t = performance.now();
    const res = await fetch(`${appBase}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    stats[kind].latencies.push(performance.now() - t);
    if (res.status !== 200) stats[kind].errors++;
  };
  const bar = progressBar('bot turns   ', conversations);
  try {
    for (let i = 0; i < conversations; i++) {
      const lang = SUPPORTED_LANGS[i % SUPPORTED_LANGS.length]!;
      const t = tFor(lang);
      const conv = `bench-${Date.now()}-${i}`;
      const inLang = questions.filter((q) => q.lang === lang);
      const q = (inLang.length ? inLang : questions)[i % Math.max(1, inLang.length || questions.length)]!;
      await turn('menu/command', conv, lang, t('language.name'));
      await turn('question', conv, lang, q.text);
      await turn('menu/command', conv, lang, t('bot.menu.report'));
      for (const answer of ['Gare du Midi', t('report.choice.now'), 'red coat, beard', t('report.choice.sleeping'), t('report.choice.help_no'), t('report.choice.no_thanks'), t('report.choice.consent_yes')]) {
        await turn('report step', conv, lang, answer);
      }
      await turn('menu/command', conv, lang, t('bot.menu.person'));
      bar.update(i + 1);
    }
  } finally {
    bar.stop();
    await connector.close();
  }
  return Object.values(stats);
}
