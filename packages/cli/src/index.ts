// @ferry/cli: the `ferry` command, usable programmatically (`main`) and the config types a
// `ferry.config.ts` imports.

export { main } from './cli/cli-main.js';
export type { CliIo } from './cli/cli-main.js';
export type {
  FerryConfig,
  SourceConfig,
  TargetConfig,
  StateConfig,
  UsersConfig,
  EnvRef,
} from './config/config-types.js';
export type { ConfigHooks, FerryCodeConfig } from './config/config-hooks.js';
export { loadConfig, validateConfig, configPath } from './config/load-config.js';
export type { LoadedConfig } from './config/load-config.js';
export { configSchema } from './config/config-schema.js';
export { ExitCode } from './output/exit-codes.js';
export type { ExitCodeValue } from './output/exit-codes.js';
