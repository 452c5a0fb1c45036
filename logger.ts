/**
 * Structured logs (pino) that trace without revealing: stage, ids, language, latency — never message text,
 * answers or phone numbers. The redact list is a safety net; callers log only such fields in the first place.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Field names that may hold what a person said or who they are; always censored. */
export const REDACTED_FIELDS = [
  'text', 'answer', 'question', 'body', 'Body', 'From', 'To', 'Caller', 'Called', 'phone', 'SpeechResult',
  'req.body', 'req.headers.authorization', 'req.headers.cookie', '*.text', '*.answer', '*.phone', '*.body',
];

/** Creates the process logger. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_FIELDS, censor: '[redacted]' }, base: { service: 'infoline' } },
    destination,
  );
}
