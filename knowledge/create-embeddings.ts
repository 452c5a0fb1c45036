/**
 * Embedding provider from configuration. The offline embedder is the default and needs nothing; neural providers
 * plug in through LangChain's Embeddings interface and are compared with the same `npm run eval`.
 * Their packages are optional (not installed by default): the error says which one to add.
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Config } from '../config.js';
import type { Lexicon } from './embeddings/lexicon.js';
import { OfflineEmbeddings } from './embeddings/offline-embeddings.js';

/** An embedder with the name and size the store records. */
export type NamedEmbeddings = EmbeddingsInterface & { model: string; dims?: number };

async function optionalImport<T>(pkg: string, provider: string): Promise<T> {
  try {
    return (await import(pkg)) as T;
  } catch {
    throw new Error(`EMBEDDINGS_PROVIDER=${provider} needs the package ${pkg}: run \`npm install ${pkg}\`.`);
  }
}

type Ctor = new (fields: Record<string, unknown>) => EmbeddingsInterface;

/** Creates the configured embedder. */
export async function createEmbeddings(cfg: Config['embeddings'], lexicon: Lexicon): Promise<NamedEmbeddings> {
  switch (cfg.provider) {
    case 'offline':
      return new OfflineEmbeddings({ lexicon });
    case 'ollama': {
      const { OllamaEmbeddings } = await optionalImport<{ OllamaEmbeddings: Ctor }>('@langchain/ollama', cfg.provider);
      const model = cfg.model ?? 'nomic-embed-text';
      return Object.assign(new OllamaEmbeddings({ model, baseUrl: cfg.ollamaBaseUrl }), { model: `ollama:${model}` });
    }
    case 'openai': {
      const { OpenAIEmbeddings } = await optionalImport<{ OpenAIEmbeddings: Ctor }>('@langchain/openai', cfg.provider);
      const model = cfg.model ?? 'text-embedding-3-small';
      return Object.assign(new OpenAIEmbeddings({ model, apiKey: cfg.openAIApiKey }), { model: `openai:${model}` });
    }
    case 'azure-openai': {
      const { AzureOpenAIEmbeddings } = await optionalImport<{ AzureOpenAIEmbeddings: Ctor }>('@langchain/openai', cfg.provider);
      const e = new AzureOpenAIEmbeddings({
        azureOpenAIApiKey: cfg.openAIApiKey,
        azureOpenAIApiInstanceName: cfg.azure.instance,
        azureOpenAIApiDeploymentName: cfg.azure.deployment,
        azureOpenAIApiVersion: cfg.azure.apiVersion,
      });
      return Object.assign(e, { model: `azure:${cfg.azure.deployment}` });
    }
    case 'transformers': {
      // A local model folder only: nothing is downloaded at run time.
      const mod = await optionalImport<{ HuggingFaceTransformersEmbeddings: Ctor }>(
        '@langchain/community/embeddings/huggingface_transformers',
        cfg.provider,
      );
      const e = new mod.HuggingFaceTransformersEmbeddings({ model: cfg.model, pretrainedOptions: { local_files_only: true } });
      return Object.assign(e, { model: `transformers:${cfg.model}` });
    }
  }
}
