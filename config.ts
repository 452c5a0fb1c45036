/**
 * Configuration: one zod schema over the environment, parsed once at start-up.
 * Nothing else in the code base reads process.env. Defaults run the embedded mode (PGlite in DATA_DIR).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  /** production | development | test: production refuses unsafe settings. */
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  /** HTTP port; 3978 as Bot Framework bots use. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Interface to listen on. */
  HOST: z.string().default('0.0.0.0'),
  /** Folder of the embedded PGlite database (used when DATABASE_URL is not set). */
  DATA_DIR: z.string().default('./data'),
  /** postgres://user:pass@host:5432/db — a PostgreSQL server with the pgvector extension instead of PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /** Maximum connections in the pg pool (server mode). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** trace | debug | info | warn | error | fatal | silent */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Embedding provider: offline (default, no download), ollama, openai, azure-openai, transformers. */
  EMBEDDINGS_PROVIDER: z.enum(['offline', 'ollama', 'openai', 'azure-openai', 'transformers']).default('offline'),
  /** Model name for a neural provider (e.g. nomic-embed-text, text-embedding-3-small, or a local path for transformers). */
  EMBEDDINGS_MODEL: z.string().optional(),
  /** Base URL of an Ollama server (ollama provider). */
  OLLAMA_BASE_URL: z.string().url().default('http://127.0.0.1:11434'),
  /** API key for openai / azure-openai. */
  OPENAI_API_KEY: z.string().optional(),
  /** Azure OpenAI: instance name, deployment and API version. */
  AZURE_OPENAI_API_INSTANCE_NAME: z.string().optional(),
  AZURE_OPENAI_API_DEPLOYMENT_NAME: z.string().optional(),
  AZURE_OPENAI_API_VERSION: z.string().default('2024-02-01'),
  /** Ingest the corpus on start when the index is empty or stale. */
  INGEST_ON_START: bool.default(true),
  /** Longest accepted question, in characters (SMS-sized messages are far shorter). */
  MAX_QUESTION_CHARS: z.coerce.number().int().min(100).max(100_000).default(2000),
  /** Minimum fused score below which the answer says it found nothing and offers a person. */
  ANSWER_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.1),
  /** Import directory/seed/directory.json on start when the directory is empty or the seed changed (false: operators manage it with npm run directory). */
  DIRECTORY_SEED_ON_START: bool.default(true),
  /** Free-places updates a shelter token may make per 10 minutes (the capacity API's rate limit). */
  CAPACITY_UPDATES_PER_10_MIN: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Bot Framework app id (Azure Bot registration); unset = local use (Emulator, local web chat) without JWT checks. */
  MicrosoftAppId: z.string().optional(),
  /** Bot Framework app password (client secret), with MicrosoftAppId for MultiTenant/SingleTenant apps. */
  MicrosoftAppPassword: z.string().optional(),
  /** MultiTenant, SingleTenant or UserAssignedMSI (managed identity). */
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** Tenant of a SingleTenant or UserAssignedMSI app. */
  MicrosoftAppTenantId: z.string().optional(),
  /** The line's own free number, said in answers when set (never hard-coded). */
  INFO_LINE_NUMBER: z.string().optional(),
  /** Public base URL of the app (https://...): makes pictogram links absolute for cloud chat channels. */
  PUBLIC_URL: z.url({ message: 'PUBLIC_URL must be an absolute URL such as https://infoline.example.be' }).optional(),
  /** Days street reports and hand-off requests are kept before they are deleted (privacy). */
  DISPATCH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Days an idle conversation's bot state (dialog, language, last question) is kept. */
  BOT_STATE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

export type Env = z.infer<typeof EnvSchema>;

/** The validated configuration, grouped per concern. */
export interface Config {
  env: Env['NODE_ENV'];
  http: { port: number; host: string; maxQuestionChars: number };
  db: { dataDir: string; url?: string; poolMax: number };
  log: { level: Env['LOG_LEVEL'] };
  embeddings: {
    provider: Env['EMBEDDINGS_PROVIDER'];
    model?: string;
    ollamaBaseUrl: string;
    openAIApiKey?: string;
    azure: { instance?: string; deployment?: string; apiVersion: string };
  };
  knowledge: { ingestOnStart: boolean; answerMinScore: number };
  directory: { seedOnStart: boolean; capacityUpdatesPer10Min: number };
  bot: { appId?: string; appPassword?: string; appType: Env['MicrosoftAppType']; tenantId?: string; stateRetentionDays: number };
  dispatch: { retentionDays: number };
  publicUrl?: string;
  infoLineNumber?: string;
}

/** Raised when the environment is invalid; its message lists what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Supports Docker/Kubernetes secrets: X_FILE=/run/secrets/x sets X from the file's content. */
function withFileSecrets(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...source };
  for (const [key, value] of Object.entries(source)) {
    const base = key.slice(0, -5);
    // Only our own variables: the environment holds other tools' *_FILE variables too.
    if (key.endsWith('_FILE') && value && base in EnvSchema.shape) {
      try {
        out[base] = readFileSync(value, 'utf8').trim();
      } catch (err) {
        throw new ConfigError(`Invalid configuration: ${key} points to ${value}, which cannot be read (${(err as NodeJS.ErrnoException).code}).`);
      }
    }
  }
  // An empty variable means "not set", as in most .env files.
  for (const [key, value] of Object.entries(out)) if (value === '') delete out[key];
  return out;
}

/** Parses and checks the environment; throws ConfigError naming every variable to fix. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(withFileSecrets(source));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration. Set these environment variables:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if ((e.EMBEDDINGS_PROVIDER === 'openai' || e.EMBEDDINGS_PROVIDER === 'azure-openai') && !e.OPENAI_API_KEY)
    problems.push(`  - OPENAI_API_KEY: required when EMBEDDINGS_PROVIDER=${e.EMBEDDINGS_PROVIDER}`);
  if (e.EMBEDDINGS_PROVIDER === 'azure-openai' && (!e.AZURE_OPENAI_API_INSTANCE_NAME || !e.AZURE_OPENAI_API_DEPLOYMENT_NAME))
    problems.push('  - AZURE_OPENAI_API_INSTANCE_NAME and AZURE_OPENAI_API_DEPLOYMENT_NAME: required for azure-openai');
  if (e.EMBEDDINGS_PROVIDER === 'transformers' && !e.EMBEDDINGS_MODEL)
    problems.push('  - EMBEDDINGS_MODEL: a local model folder is required for EMBEDDINGS_PROVIDER=transformers');
  if (e.MicrosoftAppId && e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword)
    problems.push('  - MicrosoftAppPassword: required with MicrosoftAppId (or set MicrosoftAppType=UserAssignedMSI for a managed identity)');
  if (e.MicrosoftAppType !== 'MultiTenant' && !e.MicrosoftAppTenantId)
    problems.push(`  - MicrosoftAppTenantId: required when MicrosoftAppType=${e.MicrosoftAppType}`);
  if (problems.length) throw new ConfigError(`Invalid configuration. Set these environment variables:\n${problems.join('\n')}`);
  return {
    env: e.NODE_ENV,
    http: { port: e.PORT, host: e.HOST, maxQuestionChars: e.MAX_QUESTION_CHARS },
    db: { dataDir: resolve(e.DATA_DIR), url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    log: { level: e.LOG_LEVEL },
    embeddings: {
      provider: e.EMBEDDINGS_PROVIDER,
      model: e.EMBEDDINGS_MODEL,
      ollamaBaseUrl: e.OLLAMA_BASE_URL,
      openAIApiKey: e.OPENAI_API_KEY,
      azure: {
        instance: e.AZURE_OPENAI_API_INSTANCE_NAME,
        deployment: e.AZURE_OPENAI_API_DEPLOYMENT_NAME,
        apiVersion: e.AZURE_OPENAI_API_VERSION,
      },
    },
    knowledge: { ingestOnStart: e.INGEST_ON_START, answerMinScore: e.ANSWER_MIN_SCORE },
    directory: { seedOnStart: e.DIRECTORY_SEED_ON_START, capacityUpdatesPer10Min: e.CAPACITY_UPDATES_PER_10_MIN },
    bot: { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appType: e.MicrosoftAppType, tenantId: e.MicrosoftAppTenantId, stateRetentionDays: e.BOT_STATE_RETENTION_DAYS },
    dispatch: { retentionDays: e.DISPATCH_RETENTION_DAYS },
    publicUrl: e.PUBLIC_URL,
    infoLineNumber: e.INFO_LINE_NUMBER,
  };
}
