import { Writable } from "node:stream";
import { trace } from "@opentelemetry/api";
import { pino } from "pino";
import type { DestinationStream, Logger as PinoLogger } from "pino";
import PinoPretty from "pino-pretty";

/** The logger every SpreadOps module takes: a pino logger writing JSON lines. */
export type Logger = PinoLogger;

/** Log levels a service may be configured with. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines are rendered: `auto` is pretty on a terminal and JSON otherwise. */
export const LOG_FORMATS = ["auto", "json", "pretty"] as const;
/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Decides pretty printing from the configured format and whether stdout is a terminal. */
export function shouldPrettyPrint(format: LogFormat, stdoutIsTty: boolean): boolean {
  return format === "pretty" || (format === "auto" && stdoutIsTty);
}

/**
 * Paths pino censors in every log line. Top-level keys and one level down; a secret buried deeper
 * must be named by the caller through {@link LoggerOptions.redactPaths}.
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
];

/**
 * Masks an IB account number so that logs identify it without disclosing it: the letter prefix
 * (which says the account type, e.g. `DU` for paper) stays, the digits become a fixed `****` and
 * only the last `visible` characters remain, e.g. `DU1234567` → `DU****567`. The mask has a fixed
 * width so it does not give the length away.
 */
export function redactAccount(account: string, visible = 3): string {
  const trimmed = account.trim();
  const prefix = /^[A-Za-z]*/.exec(trimmed)?.[0] ?? "";
  const rest = trimmed.slice(prefix.length);
  // Too short to show anything without showing nearly everything.
  if (rest.length <= visible + 1) return `${prefix}****`;
  return `${prefix}****${rest.slice(-visible)}`;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Service name, bound to every line as `service`. */
  readonly service: string;
  /** Minimum level; default `info`. */
  readonly level?: LogLevel;
  /** Human-readable lines through pino-pretty instead of JSON. */
  readonly pretty?: boolean;
  /** Colours in pretty mode; default off, because a captured stream is rarely a terminal. */
  readonly colorize?: boolean;
  /** Where lines go; default stdout. Tests pass a stream that collects lines. */
  readonly destination?: DestinationStream | NodeJS.WritableStream;
  /** Extra pino redact paths, added to {@link DEFAULT_REDACT_PATHS}. */
  readonly redactPaths?: readonly string[];
  /** Add `traceId`/`spanId` of the active OpenTelemetry span to each line; default true. */
  readonly traceContext?: boolean;
}

/**
 * Creates the service's root logger: JSON lines with ISO time and a string `level`, `service`
 * bound, secrets redacted, account numbers masked (any `account` field) and the active trace id
 * on each line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const traceContext = options.traceContext ?? true;
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? "info",
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...DEFAULT_REDACT_PATHS, ...(options.redactPaths ?? [])], censor: "[REDACTED]" },
    serializers: {
      account: (value: unknown) => (typeof value === "string" ? redactAccount(value) : value),
      err: pino.stdSerializers.err,
    },
    ...(traceContext
      ? {
          mixin: () => {
            const span = trace.getActiveSpan();
            if (span === undefined) return {};
            const { traceId, spanId } = span.spanContext();
            return { traceId, spanId };
          },
        }
      : {}),
  };
  if (options.pretty === true) {
    const pretty = PinoPretty({
      colorize: options.colorize ?? false,
      sync: true,
      ignore: "pid,hostname",
      ...(options.destination === undefined ? {} : { destination: asWritable(options.destination) }),
    });
    return pino(pinoOptions, pretty);
  }
  return options.destination === undefined
    ? pino(pinoOptions)
    : pino(pinoOptions, options.destination);
}

// pino-pretty pipes into its destination, so a bare `{ write }` has to become a real stream.
function asWritable(destination: DestinationStream | NodeJS.WritableStream): NodeJS.WritableStream {
  if ("on" in destination) return destination;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      destination.write(chunk.toString());
      callback();
    },
  });
}

/** Ids a log line can carry; each becomes a field of the same name. */
export interface LogIds {
  readonly strategy?: string;
  readonly trade?: string;
  readonly order?: string | number;
  readonly traceId?: string;
  /** Masked by the logger's `account` serializer. */
  readonly account?: string;
  readonly component?: string;
}

/**
 * A child logger with the given ids bound, so every line about one strategy, trade or order can
 * be found by that id. Undefined ids are left out.
 */
export function childLogger(logger: Logger, ids: LogIds): Logger {
  const bindings: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(ids) as [string, string | number | undefined][]) {
    if (value !== undefined) bindings[key] = value;
  }
  return logger.child(bindings);
}
