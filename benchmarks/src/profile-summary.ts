// Summarises a V8 CPU profile (`--cpu-prof`, see run.ts --profile): self time per function and per
// file, the evidence behind the bottleneck notes in README.md.
// Usage: node --import tsx benchmarks/src/profile-summary.ts <file.cpuprofile> [top=25]

import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time (ms) per key, largest first. */
export function selfTimes(profile: CpuProfile, keyOf: (node: ProfileNode) => string): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined) return;
    const key = keyOf(node);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*?\/(packages|benchmarks|node_modules\/\.pnpm)\//, '$1/')
    .replace(/\/node_modules\//, '/');
}

const file = process.argv[2];
if (file !== undefined) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const top = Number(process.argv[3] ?? 25);
  const total = selfTimes(profile, () => 'all')[0]?.[1] ?? 0;
  const print = (title: string, rows: [string, number][]): void => {
    process.stdout.write(`\n${title} (total ${total.toFixed(0)} ms)\n`);
    for (const [key, ms] of rows.slice(0, top))
      process.stdout.write(
        `${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`,
      );
  };
  print(
    'self time by file',
    selfTimes(profile, (n) => shortUrl(n.callFrame.url) || `(${n.callFrame.functionName})`),
  );
  print(
    'self time by function',
    selfTimes(
      profile,
      (n) =>
        `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`,
    ),
  );
}
