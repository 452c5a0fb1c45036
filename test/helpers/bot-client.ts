/** Test helper: the Bot Framework client of the evaluations (eval/bot/client.ts), for tests over /api/messages. */
export * from '../../eval/bot/client.js';
