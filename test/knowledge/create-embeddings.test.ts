import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createEmbeddings } from '../../knowledge/create-embeddings.js';
import { defaultLexicon } from '../../knowledge/embeddings/lexicon.js';
import { OfflineEmbeddings } from '../../knowledge/embeddings/offline-embeddings.js';

describe('createEmbeddings', () => {
  it('should make the offline embedder by default', async () => {
    const e = await createEmbeddings(loadConfig({}).embeddings, defaultLexicon());
    expect(e).toBeInstanceOf(OfflineEmbeddings);
    expect(e.model).toMatch(/^offline-/);
  });

  it('should say which package to install for a neural provider that is not installed', async () => {
    const cfg = loadConfig({ EMBEDDINGS_PROVIDER: 'ollama' }).embeddings;
    await expect(createEmbeddings(cfg, defaultLexicon())).rejects.toThrow(/npm install @langchain\/ollama/);
  });
});
