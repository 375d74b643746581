// Test-only: a pino destination that keeps each JSON line as an object.
import { createLogger } from "../logger.js";
import type { Logger, LoggerOptions } from "../logger.js";

/** A logger whose lines are kept in memory for assertions. */
export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
}

/** A JSON logger at `debug` writing into {@link CapturedLogger.lines}. */
export function captureLogger(options: Partial<LoggerOptions> = {}): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: "test",
    level: "debug",
    ...options,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines };
}
