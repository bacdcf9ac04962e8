// Renders a starter config as a commented `ferry.config.ts` (a plain default export, so it loads in an
// empty folder with nothing installed beside the CLI) or as JSON (which cannot hold comments).

import type { StarterConfig } from './starter-config.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return JSON.stringify(value);
}

function comment(lines: readonly string[] | undefined, pad: string): string[] {
  return (lines ?? []).map((line) => `${pad}// ${line}`);
}

function extra(lines: readonly string[] | undefined, pad: string): string[] {
  return (lines ?? []).map((line) => `${pad}${line.startsWith('//') ? line : `// ${line}`}`);
}

function renderValue(starter: StarterConfig, value: unknown, path: string, depth: number): string {
  if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(', ')}]`;
  if (typeof value !== 'object' || value === null) return literal(value);
  const entries = Object.entries(value);
  const flat = entries.every(
    ([k, v]) => typeof v !== 'object' && starter.notes[`${path}/${k}`] === undefined,
  );
  if (flat && starter.extras[path] === undefined)
    return `{ ${entries.map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }`;
  const pad = '  '.repeat(depth + 1);
  const lines: string[] = [];
  for (const [key, inner] of entries) {
    const at = `${path}/${key}`;
    lines.push(...comment(starter.notes[at], pad));
    const name = IDENTIFIER.test(key) ? key : literal(key);
    lines.push(`${pad}${name}: ${renderValue(starter, inner, at, depth + 1)},`);
  }
  lines.push(...extra(starter.extras[path], pad));
  return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
}

/**
 * The config as a TypeScript module with a comment above each section, the environment variables it
 * names in its header, and optional keys commented out. `title` is the header's first line.
 */
export function renderTsConfig(starter: StarterConfig, title: string): string {
  const header = [
    title,
    'Written by `ferry init`; edit freely. Every key is checked when a command loads this file.',
    'Secrets are never written here: { env: "NAME" } is read from the environment variable NAME.',
    ...(starter.env.length === 0 ? [] : ['Set before running:']),
    ...starter.env.map((e) => `  ${e.name}: ${e.holds}`),
    'Then: ferry discover, ferry assess, ferry check, ferry plan, ferry run, ferry verify.',
    "Types in an editor: npm install @ferry/cli, then `import type { FerryCodeConfig } from '@ferry/cli'`",
    'and end the object with `satisfies FerryCodeConfig`.',
  ];
  return `${comment(header, '').join('\n')}\n\nexport default ${renderValue(starter, starter.config, '', 0)};\n`;
}

/** The config as JSON (no comments: JSON has none; `ferry init` prints the notes instead). */
export function renderJsonConfig(starter: StarterConfig): string {
  return `${JSON.stringify(starter.config, null, 2)}\n`;
}
