import type { Logger } from "./logger.js";

/** Where termination signals come from: `process` in main, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Options for {@link Lifecycle}. */
export interface LifecycleOptions {
  readonly logger: Logger;
  /** How long one resource may take to close; default 10 s. */
  readonly defaultTimeoutMs?: number;
  /**
   * Ends the process: called with 0 (or 1 if something failed to close) after a signal-triggered
   * shutdown, and with 128 + signal number when a second signal forces the exit. Pass
   * `process.exit` in main; without it the library never ends the process.
   */
  readonly exit?: (code: number) => void;
}

/** How closing one resource went. */
export interface CloseResult {
  readonly name: string;
  readonly ok: boolean;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

/** How the whole shutdown went; resources appear in the order they were closed. */
export interface ShutdownReport {
  readonly reason: string;
  readonly ok: boolean;
  readonly results: readonly CloseResult[];
}

interface Resource {
  readonly name: string;
  readonly close: () => void | Promise<void>;
  readonly timeoutMs: number;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Orderly shutdown. Resources register as they are created (name + close function) and are closed
 * in reverse order, so what was started last (the server) stops first and what everything else
 * needs (tracing, connections) goes last. Every close is bounded by a timeout; a failing or
 * hanging close is logged and the next one still runs.
 */
export class Lifecycle {
  readonly #logger: Logger;
  readonly #defaultTimeoutMs: number;
  readonly #exit: ((code: number) => void) | undefined;
  readonly #resources: Resource[] = [];
  readonly #stopping = new AbortController();
  #shutdown: Promise<ShutdownReport> | undefined;

  constructor(options: LifecycleOptions) {
    this.#logger = options.logger.child({ component: "lifecycle" });
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
    this.#exit = options.exit;
  }

  /** True once shutdown has begun. */
  get shuttingDown(): boolean {
    return this.#shutdown !== undefined;
  }

  /**
   * Aborted when shutdown begins, before the first resource closes: for work that should wind
   * down while the server still drains (e.g. telling long-lived streams to reconnect elsewhere).
   */
  get stopping(): AbortSignal {
    return this.#stopping.signal;
  }

  /**
   * Registers a resource to close at shutdown. One registered after shutdown began (a slow start
   * racing a SIGTERM) is closed right away instead.
   */
  register(name: string, close: () => void | Promise<void>, options: { timeoutMs?: number } = {}): void {
    const resource = { name, close, timeoutMs: options.timeoutMs ?? this.#defaultTimeoutMs };
    if (this.#shutdown !== undefined) {
      void this.#closeOne(resource);
      return;
    }
    this.#resources.push(resource);
  }

  /**
   * Closes every resource, last registered first. Idempotent: later calls return the first
   * call's promise. Never rejects.
   */
  shutdown(reason = "requested"): Promise<ShutdownReport> {
    if (this.#shutdown === undefined) {
      this.#stopping.abort();
      this.#shutdown = this.#run(reason);
    }
    return this.#shutdown;
  }

  /**
   * Shuts down on the first SIGTERM/SIGINT and then calls `exit`; a second signal during
   * shutdown exits at once. Returns a function that removes the handlers.
   */
  handleSignals(source: SignalSource, signals: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"]): () => void {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.#shutdown !== undefined) {
        this.#logger.warn({ signal }, "second signal during shutdown, exiting now");
        this.#exit?.(128 + (SIGNAL_NUMBERS[signal] ?? 0));
        return;
      }
      this.#logger.info({ signal }, "shutting down");
      void this.shutdown(signal).then((report) => {
        this.#exit?.(report.ok ? 0 : 1);
      });
    };
    for (const signal of signals) source.on(signal, onSignal);
    return () => {
      for (const signal of signals) source.off(signal, onSignal);
    };
  }

  async #run(reason: string): Promise<ShutdownReport> {
    const started = performance.now();
    const results: CloseResult[] = [];
    // Resources registered while closing others are closed right away by register().
    for (const resource of [...this.#resources].reverse()) {
      results.push(await this.#closeOne(resource));
    }
    const ok = results.every((r) => r.ok);
    this.#logger.info(
      { reason, ok, durationMs: Math.round(performance.now() - started), failed: results.filter((r) => !r.ok).map((r) => r.name) },
      "shutdown complete",
    );
    return { reason, ok, results };
  }

  async #closeOne(resource: Resource): Promise<CloseResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CloseResult>((resolve) => {
      timer = setTimeout(() => {
        resolve({ name: resource.name, ok: false, timedOut: true, durationMs: elapsed(), error: `timed out after ${resource.timeoutMs} ms` });
      }, resource.timeoutMs);
    });
    const closing = Promise.resolve()
      .then(() => resource.close())
      .then(
        (): CloseResult => ({ name: resource.name, ok: true, timedOut: false, durationMs: elapsed() }),
        (error: unknown): CloseResult => ({ name: resource.name, ok: false, timedOut: false, durationMs: elapsed(), error: describe(error) }),
      );
    const result = await Promise.race([closing, timeout]);
    clearTimeout(timer);
    if (result.ok) {
      this.#logger.debug({ resource: resource.name, durationMs: result.durationMs }, "closed");
    } else {
      this.#logger.error({ resource: resource.name, durationMs: result.durationMs, error: result.error }, "close failed");
    }
    return result;
  }
}
