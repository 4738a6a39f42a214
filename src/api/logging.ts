/**
 * The API's logger: pino with request ids, redaction of credentials and personal fields, and a
 * destination that masks identity/card/phone numbers anywhere in a line (messages, URLs, error texts),
 * so that no log line ever holds a full number, whatever the caller logged.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskField, maskPersonalData, maskText } from './masking.ts';

export type LoggerSetting =
  | boolean
  | Logger
  | (LoggerOptions & {
      /** where lines go (default stdout); tests pass a stream to capture them */
      stream?: DestinationStream;
      /** readable lines (pino-pretty) instead of JSON: for a person at a terminal, not for log collectors */
      pretty?: boolean;
    });

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const FORMATS = ['json', 'pretty'] as const;

/**
 * The server's logger settings from the environment: HUXIN_LOG_LEVEL (default info) and HUXIN_LOG_FORMAT
 * (json, the default: one JSON object a line for a log collector; pretty: readable lines). A value that is
 * not one of these is an error at start-up, not a silent default.
 */
export function loggerFromEnv(env: NodeJS.ProcessEnv = process.env): LoggerSetting {
  const level = env.HUXIN_LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!(LEVELS as readonly string[]).includes(level)) throw new Error(`HUXIN_LOG_LEVEL 应为 ${LEVELS.join('|')}，收到“${env.HUXIN_LOG_LEVEL}”`);
  const format = env.HUXIN_LOG_FORMAT?.trim().toLowerCase() || 'json';
  if (!(FORMATS as readonly string[]).includes(format)) throw new Error(`HUXIN_LOG_FORMAT 应为 ${FORMATS.join('|')}，收到“${env.HUXIN_LOG_FORMAT}”`);
  return { level, pretty: format === 'pretty' };
}

/** pino-pretty as a synchronous stream (no worker thread), loaded only when asked for. */
function prettyStream(target: DestinationStream | undefined): DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as (o: Record<string, unknown>) => DestinationStream;
  return pretty({
    sync: true,
    colorize: target === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l o',
    ignore: 'pid,hostname',
    ...(target ? { destination: target } : {}),
  });
}

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'idNumber',
  'bankCard',
  'payeeCard',
  'phone',
  '*.idNumber',
  '*.bankCard',
  '*.payeeCard',
  '*.phone',
  '*.*.idNumber',
  '*.*.bankCard',
  '*.*.payeeCard',
  '*.*.phone',
];

const SECRET_FIELDS = new Set(['authorization', 'cookie', 'token']);

/** Wraps a destination so every line written is masked (lines are pino's JSON; anything else as text). */
export function maskingDestination(target: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      let out: string;
      try {
        const parsed: unknown = JSON.parse(line);
        const { value, found } = maskPersonalData(parsed);
        out = found === 0 ? line : `${JSON.stringify(value)}\n`;
      } catch {
        out = maskText(line);
      }
      target.write(out);
    },
  };
}

function isLogger(value: unknown): value is Logger {
  return typeof value === 'object' && value !== null && typeof (value as Logger).child === 'function' && typeof (value as Logger).info === 'function';
}

/**
 * Builds the logger for buildServer. `false` gives a silent logger. A ready pino instance is wrapped in a
 * child with the same redaction; its own destination should be a `maskingDestination` for full masking.
 */
export function createApiLogger(setting: LoggerSetting | undefined): Logger {
  const redact = {
    paths: REDACT_PATHS,
    censor: (value: unknown, path: string[]) => {
      const field = path[path.length - 1];
      if (field && SECRET_FIELDS.has(field)) return '[已隐去]';
      return maskField(field, value);
    },
  };
  if (setting === undefined || setting === false) return pino({ level: 'silent' });
  if (isLogger(setting)) return setting.child({}, { redact });
  const { stream, pretty, ...options } = setting === true ? ({} as { stream?: DestinationStream; pretty?: boolean }) : setting;
  // masked first (on the JSON line), then formatted: a pretty line is as masked as a JSON one
  const target = pretty ? prettyStream(stream) : (stream ?? pino.destination(1));
  return pino(
    {
      level: 'info',
      // ISO 8601 times ("2026-11-28T02:00:00.000Z"), not epoch milliseconds
      timestamp: pino.stdTimeFunctions.isoTime,
      ...options,
      redact,
    },
    maskingDestination(target),
  );
}
