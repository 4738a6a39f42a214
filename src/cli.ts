/**
 * `huxin <command>` — the command line, thin over the same services the API uses.
 * Every command takes `--db LOCATION` (default HUXIN_DB, else ./data/huxin.db): a SQLite file or a
 * `postgres://` URL (src/store/open.ts), and creates or migrates the database when needed. Exit status 0 on success, 1 on failure, 2 when the command was used wrongly, with
 * the reason on stderr (INTERFACES.md).
 *
 * The arguments are parsed strictly against the command's spec (cli/commands.ts) before anything else:
 * `--help` and `--version` answer from the spec alone, and a usage error is one line and exit 2 — neither
 * loads a command's code, opens the database or changes anything. Command modules (and the database
 * driver) are imported only once the arguments are known to be right, so `huxin --version` starts fast.
 */
import { readFileSync } from 'node:fs';
import type { Store } from './store/store.ts';
import { CliError, HelpRequested, parseCommandArgs, stringOption, type ParsedArgs } from './cli/args.ts';
import { COMMAND_SPECS, commandHelp, mainHelp, type CommandSpec } from './cli/commands.ts';
import type { CliIo } from './cli/import.ts';

export type Command = (args: ParsedArgs, ctx: CommandContext) => Promise<number>;

export interface CommandContext {
  readonly io: CliIo;
  /** where the database is: a file path or a postgres:// URL (--db, else HUXIN_DB, else ./data/huxin.db) */
  readonly location: string;
  /** the store over `location`, opened on first use and closed when the command ends (`serve` opens its own) */
  store(): Promise<Store>;
  /** the wall clock, read here at the edge and passed inward as data */
  now(): Date;
}

/** Each command's code, loaded when it runs. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: async () => {
    const { importCommand } = await import('./cli/import.ts');
    return (args, ctx) => importCommand(args, ctx.location, ctx.io, ctx.now().toISOString());
  },
  serve: async () => (await import('./cli/serve.ts')).serveCommand,
  recompute: async () => (await import('./cli/recompute.ts')).recomputeCommand,
  backup: async () => (await import('./cli/backup.ts')).backupCommand,
  restore: async () => (await import('./cli/backup.ts')).restoreCommand,
  worker: async () => (await import('./cli/worker.ts')).workerCommand,
  db: async () => (await import('./cli/db.ts')).dbCommand,
  report: async () => (await import('./cli/report.ts')).reportCommand,
  nightly: async () => (await import('./cli/report.ts')).nightlyCommand,
  case: async () => (await import('./cli/enforcement.ts')).caseCommand,
  blacklist: async () => (await import('./cli/enforcement.ts')).blacklistCommand,
  params: async () => (await import('./cli/params.ts')).paramsCommand,
  notices: async () => (await import('./cli/notices.ts')).noticesCommand,
  token: async () => {
    const { tokenCommand } = await import('./cli/token.ts');
    return async (args, ctx) => {
      return tokenCommand(args.raw, { store: await ctx.store(), stdout: ctx.io.stdout, stderr: ctx.io.stderr, now: () => ctx.now().toISOString() });
    };
  },
};

const EXTRA_SPECS: Record<string, CommandSpec> = {};

/** Adds a command (with what it accepts, for the strict parser and its help). */
export function registerCommand(name: string, command: Command, spec: CommandSpec = { summary: name }): void {
  COMMANDS[name] = async () => command;
  EXTRA_SPECS[name] = spec;
}

const specOf = (name: string): CommandSpec | undefined => COMMAND_SPECS[name] ?? EXTRA_SPECS[name];

export function version(): string {
  // package.json is one level above both src/cli.ts and the compiled dist/cli.js
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** `now`: the clock (tests fix it; a command's "today" is its Asia/Shanghai date). */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }, now: () => Date = () => new Date()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    // `huxin help report`, `huxin help case pack`: the same as `huxin report --help`
    const about = name === 'help' && rest[0] ? specOf(rest[0]) : undefined;
    const sub = about?.subcommands && rest[1] && rest[1] in about.subcommands ? rest[1] : undefined;
    io.stdout.write(about ? commandHelp(rest[0]!, sub, about) : mainHelp(version()));
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`huxin ${version()}\n`);
    return 0;
  }
  if (!name) {
    io.stderr.write(mainHelp(version()));
    return 2;
  }
  const spec = specOf(name);
  if (!spec) {
    io.stderr.write(name.startsWith('-') ? `huxin: 选项 ${name} 应写在命令之后（用 huxin --help 查看用法）\n` : `huxin: 未知命令 (unknown command)“${name}”（用 huxin --help 查看全部命令）\n`);
    return 2;
  }

  let args: ParsedArgs;
  try {
    args = parseFor(name, rest, spec);
  } catch (err) {
    if (err instanceof HelpRequested) {
      const sub = spec.subcommands && rest[0] && rest[0] in spec.subcommands ? rest[0] : undefined;
      io.stdout.write(commandHelp(name, sub, spec));
      return 0;
    }
    if (err instanceof CliError) {
      io.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }

  let store: Promise<Store> | undefined;
  try {
    const [command, { defaultLocation, openStore }] = await Promise.all([COMMANDS[name]!(), import('./store/open.ts')]);
    const location = stringOption(args, 'db') ?? defaultLocation();
    const ctx: CommandContext = {
      io,
      location,
      store: () => (store ??= openStore(location)),
      now,
    };
    return await command(args, ctx);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`错误 (error): ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    if (name !== 'serve') {
      if (store) await (await store.catch(() => null))?.close();
    }
  }
}


/** A command with subcommands takes its first word as the subcommand, then that subcommand's arguments. */
function parseFor(name: string, rest: readonly string[], spec: CommandSpec): ParsedArgs {
  if (!spec.subcommands) return parseCommandArgs(name, rest, spec);
  const sub = rest[0];
  if (sub === undefined || sub.startsWith('-')) {
    if (rest.includes('--help') || rest.includes('-h')) throw new HelpRequested();
    throw new CliError(`huxin ${name}: 缺少子命令（${Object.keys(spec.subcommands).join('|')}；用 huxin ${name} --help 查看用法）`);
  }
  const subSpec = spec.subcommands[sub];
  if (!subSpec) {
    if (rest.includes('--help') || rest.includes('-h')) throw new HelpRequested();
    throw new CliError(`huxin ${name}: 未知子命令“${sub}”（可选 ${Object.keys(spec.subcommands).join('|')}；用 huxin ${name} --help 查看用法）`);
  }
  return parseCommandArgs(`${name} ${sub}`, rest, subSpec, 1);
}
