#!/usr/bin/env node
// The `ferry` executable: runs the CLI and exits with its code, even if a driver left a handle open.
// The young generation is kept small before the CLI's modules load (see cli/young-generation.ts);
// each command lets it grow again when its own work starts.

import { keepYoungGenerationSmall } from './cli/young-generation.js';

keepYoungGenerationSmall();
const { main } = await import('./cli/cli-main.js');
const code = await main(process.argv.slice(2));
process.exit(code);
