/**
 * Strict argument parsing for `huxin` commands (node:util parseArgs, strict): an option the command does not
 * take, a missing value, a value given to a flag, a missing or extra argument — each is one Chinese line on
 * stderr and exit status 2, before anything is opened or written. The options come from the command's spec
 * (commands.ts), so a mistyped `--asof` can no longer be silently ignored.
 */
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { GLOBAL_OPTIONS, type CommandSpec } from './commands.ts';

export interface ParsedArgs {
  /** the arguments as given, less the global `--db PATH` (for commands that read their own options) */
  readonly raw: string[];
  readonly positionals: string[];
  /** string options by name; boolean options as `true` when given */
  readonly options: Map<string, string | true>;
}

/** A CLI failure with a message for stderr and an exit status (2: the command was used wrongly). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Thrown for `--help`: the caller prints the help for `words` and exits 0. */
export class HelpRequested extends Error {}

/**
 * Parses `argv` (what follows the command word) against `spec`. `leading` positionals (a subcommand word) are
 * kept in `positionals` ahead of the arguments. `words` names the command in messages ("report", "case list").
 */
export function parseCommandArgs(words: string, argv: readonly string[], spec: CommandSpec, leading = 0): ParsedArgs {
  const all = { ...(spec.options ?? {}), ...GLOBAL_OPTIONS };
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(all)) options[name] = name === 'help' ? { type: 'boolean', short: 'h' } : { type: o.type };
  const hint = `（用 huxin ${words} --help 查看用法）`;
  let parsed;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    // `--help` wins over a usage error elsewhere on the line: the user is asking how to write it
    if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested();
    throw new CliError(`huxin ${words}: ${translateParseError(e, Object.keys(all))}${hint}`);
  }
  if (parsed.values.help) throw new HelpRequested();

  const declared = spec.args ?? [];
  const given = parsed.positionals.slice(leading);
  if (given.length > declared.length) throw new CliError(`huxin ${words}: 多余的参数“${given[declared.length]}”${hint}`);
  const missing = declared.slice(given.length).find((a) => !a.startsWith('['));
  if (missing) throw new CliError(`huxin ${words}: 缺少参数 ${missing}${hint}`);

  const map = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (name === 'help' || value === undefined || value === false) continue;
    map.set(name, typeof value === 'string' ? value : true);
  }
  // raw: argv less the `--db PATH` / `--db=PATH` tokens (the value is the next argument unless inline)
  const skip = new Set<number>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind === 'option' && t.name === 'db') {
      skip.add(t.index);
      if (!t.inlineValue) skip.add(t.index + 1);
    }
  }
  return { raw: argv.filter((_, i) => !skip.has(i)), positionals: parsed.positionals, options: map };
}

/** node's parseArgs errors (English) as one Chinese clause. */
function translateParseError(e: unknown, known: readonly string[]): string {
  const err = e as { code?: string; message?: string };
  const message = err.message ?? String(e);
  const option = /'(-{1,2}[^'\s<]+)/.exec(message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = nearest(option.replace(/^-+/, ''), known);
      return `未知选项 ${option}${near ? `，是否想写 --${near}？` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return `选项 ${option} 不带取值`;
      if (/ambiguous/.test(message)) return `选项 ${option} 缺少取值（取值以 - 开头时写成 ${option}=取值）`;
      return `选项 ${option} 缺少取值`;
    default:
      return `无法解析参数: ${message.split('\n')[0]}`;
  }
}

/** The declared option closest to a mistyped one (`asof` → `as-of`), if close enough to be a typo. */
function nearest(typed: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = squash(name) === squash(typed) ? 0 : distance(name, typed);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(typed.length / 3)) ? best.name : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}
