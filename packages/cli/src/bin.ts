#!/usr/bin/env node
// The `ferry` executable: runs the CLI and exits with its code, even if a driver left a handle open.

import { main } from './cli/cli-main.js';

const code = await main(process.argv.slice(2));
process.exit(code);
