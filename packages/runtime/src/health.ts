import type { HttpHandler, HttpResponse } from "./http-handler.js";

/**
 * What a readiness check may return: nothing or `true` for ready, `false` for not ready, or an
 * explicit result with a message. Throwing (or rejecting) means not ready, with the error's message.
 */
// void, not undefined: a check written as a block that just throws when unhealthy returns void.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type CheckOutcome = void | boolean | { readonly ok: boolean; readonly message?: string };

/** A readiness check; sync or async. */
export type ReadinessCheck = () => CheckOutcome | Promise<CheckOutcome>;

/** The outcome of one check, as reported by `/readyz`. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
  readonly durationMs: number;
}

/** The body of `/readyz`. */
export interface ReadinessReport {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

/** Options for {@link Readiness}. */
export interface ReadinessOptions {
  /** How long a check may take before it counts as failed; default 2000 ms. */
  readonly defaultTimeoutMs?: number;
}

interface RegisteredCheck {
  readonly name: string;
  readonly check: ReadinessCheck;
  readonly timeoutMs: number;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Readiness made of named checks (TWS connected, cache synced, …). All checks run concurrently on
 * every evaluation, each bounded by its timeout; the service is ready when all pass and it is not
 * shutting down.
 */
export class Readiness {
  readonly #checks: RegisteredCheck[] = [];
  readonly #defaultTimeoutMs: number;
  #shuttingDown = false;

  constructor(options: ReadinessOptions = {}) {
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? 2_000;
  }

  /** Adds a named check. Names must be unique so the failing one can be told apart. */
  add(name: string, check: ReadinessCheck, options: { timeoutMs?: number } = {}): this {
    if (this.#checks.some((c) => c.name === name)) throw new Error(`readiness check ${name} already exists`);
    this.#checks.push({ name, check, timeoutMs: options.timeoutMs ?? this.#defaultTimeoutMs });
    return this;
  }

  /** From now on report not ready, so load balancers stop sending new work during shutdown. */
  setShuttingDown(): void {
    this.#shuttingDown = true;
  }

  /** Runs every check and reports each one. */
  async evaluate(): Promise<ReadinessReport> {
    const checks = await Promise.all(this.#checks.map((c) => runCheck(c)));
    if (this.#shuttingDown) {
      checks.push({ name: "shutdown", ok: false, message: "shutting down", durationMs: 0 });
    }
    return { ok: checks.every((c) => c.ok), checks };
  }
}

async function runCheck(registered: RegisteredCheck): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      resolve({
        name: registered.name,
        ok: false,
        message: `timed out after ${registered.timeoutMs} ms`,
        durationMs: Math.round(performance.now() - started),
      });
    }, registered.timeoutMs);
  });
  const run = (async (): Promise<CheckResult> => {
    try {
      const outcome = await registered.check();
      const durationMs = Math.round(performance.now() - started);
      if (outcome === undefined || outcome === true) return { name: registered.name, ok: true, message: "ok", durationMs };
      if (outcome === false) return { name: registered.name, ok: false, message: "not ready", durationMs };
      return {
        name: registered.name,
        ok: outcome.ok,
        message: outcome.message ?? (outcome.ok ? "ok" : "not ready"),
        durationMs,
      };
    } catch (error) {
      return {
        name: registered.name,
        ok: false,
        message: describeError(error),
        durationMs: Math.round(performance.now() - started),
      };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sendJson(res: HttpResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify(body));
}

/** `GET /healthz`: liveness, 200 as long as the process can answer at all. */
export function livenessHandler(): HttpHandler {
  return (_req, res) => {
    sendJson(res, 200, { ok: true });
  };
}

/** `GET /readyz`: 200 when every check passes, 503 otherwise; the body lists every check. */
export function readinessHandler(readiness: Readiness): HttpHandler {
  return (_req, res) => {
    readiness.evaluate().then(
      (report) => {
        sendJson(res, report.ok ? 200 : 503, report);
      },
      (error: unknown) => {
        sendJson(res, 503, { ok: false, checks: [{ name: "readiness", ok: false, message: describeError(error), durationMs: 0 }] });
      },
    );
  };
}
