import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

describe('config', () => {
  describe('loadConfig', () => {
    it('should run the embedded mode with no variables set', () => {
      const c = loadConfig({});
      expect(c.http.port).toBe(3978);
      expect(c.db.url).toBeUndefined();
      expect(c.db.dataDir).toMatch(/data$/);
      expect(c.embeddings.provider).toBe('offline');
      expect(c.knowledge.ingestOnStart).toBe(true);
    });

    it('should name the variable to fix when a value is invalid', () => {
      expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
      expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
      expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
      expect(() => loadConfig({ INGEST_ON_START: 'maybe' })).toThrow(/INGEST_ON_START/);
    });

    it('should ask for the key a neural provider needs', () => {
      expect(() => loadConfig({ EMBEDDINGS_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
      expect(() => loadConfig({ EMBEDDINGS_PROVIDER: 'transformers' })).toThrow(/EMBEDDINGS_MODEL/);
      expect(() => loadConfig({ EMBEDDINGS_PROVIDER: 'nonsense' })).toThrow(/EMBEDDINGS_PROVIDER/);
    });

    it('should treat empty variables as unset and parse booleans', () => {
      const c = loadConfig({ DATABASE_URL: '', INGEST_ON_START: 'false', PORT: '8080' });
      expect(c.db.url).toBeUndefined();
      expect(c.knowledge.ingestOnStart).toBe(false);
      expect(c.http.port).toBe(8080);
    });
  });
});
