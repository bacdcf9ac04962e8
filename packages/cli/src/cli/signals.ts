// Ctrl-C handling: the first SIGINT (or SIGTERM) aborts the command's signal, so a run rolls back its
// open transaction and keeps its checkpoints; a second one exits at once with 130.

/** An AbortController wired to SIGINT/SIGTERM, with a dispose to unhook it. */
export function abortOnSignals(onFirst: (signal: NodeJS.Signals) => void): {
  readonly signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    onFirst(name);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
