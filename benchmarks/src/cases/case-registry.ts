// Every case by name.

import type { CaseName } from '../bench-config.js';
import type { BenchCase } from './case-types.js';
import {
  ferryCopyCase,
  ferryCopyP2Case,
  ferryResumeCase,
  ferryUpsertCase,
  ferryWorkersCase,
} from './ferry-cases.js';
import { pgloaderDefaultCase, pgloaderTunedCase } from './pgloader-case.js';
import { psqlCopyCase } from './psql-copy.js';
import { handCopyCase, naiveKnexCase } from './script-cases.js';

const CASES: Readonly<Record<CaseName, BenchCase>> = {
  'psql-copy': psqlCopyCase,
  'pgloader-default': pgloaderDefaultCase,
  'pgloader-tuned': pgloaderTunedCase,
  'naive-knex': naiveKnexCase,
  'hand-copy': handCopyCase,
  'ferry-copy': ferryCopyCase,
  'ferry-copy-p2': ferryCopyP2Case,
  'ferry-upsert': ferryUpsertCase,
  'ferry-resume': ferryResumeCase,
  'ferry-workers-1': ferryWorkersCase(1),
  'ferry-workers-2': ferryWorkersCase(2),
  'ferry-workers-4': ferryWorkersCase(4),
};

/** The case called `name`. */
export function caseByName(name: CaseName): BenchCase {
  return CASES[name];
}
