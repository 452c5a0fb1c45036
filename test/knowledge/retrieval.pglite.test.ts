import { openTestKnowledge } from '../helpers/kb.js';
import { retrievalSuite } from './retrieval-suite.js';

retrievalSuite('embedded PGlite', openTestKnowledge);
