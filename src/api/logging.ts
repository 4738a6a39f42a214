/**
 * The API's logger: pino with request ids, redaction of credentials and personal fields, and a
 * destination that masks identity/card/phone numbers anywhere in a line (messages, URLs, error texts),
 * so that no log line ever holds a full number, whatever the caller logged.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { maskField, maskPersonalData, maskText } from './masking.ts';

export type LoggerSetting =
  | boolean
  | Logger
  | (LoggerOptions & {
      /** where lines go (default stdout); tests pass a stream to capture them */
      stream?: DestinationStream;
    });

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
  const { stream, ...options } = setting === true ? ({} as { stream?: DestinationStream }) : setting;
  return pino(
    {
      level: 'info',
      ...options,
      redact,
    },
    maskingDestination(stream ?? pino.destination(1)),
  );
}
