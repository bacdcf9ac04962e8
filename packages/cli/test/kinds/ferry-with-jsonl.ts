// The `ferry` executable with one more target kind, registered from this test folder exactly as
// src/kinds/kinds.ts registers the built-in ones; nothing else in src/ knows of it.

import { kinds } from '../../src/kinds/kinds.js';
import { jsonlTarget } from './jsonl-target/jsonl-target.js';

kinds.target(jsonlTarget);
await import('../../src/bin.js');
