/**
 * The simulator's operator endpoints: stats, faults, the simulated clock and reset, as plain
 * HTTP handlers for the runtime's `buildServer({ http })` (routed by exact path).
 *
 * @packageDocumentation
 */

import { DURATION_FORM, parseDuration } from "@spreadops/runtime";
import type { HttpHandler, Logger } from "@spreadops/runtime";
import type { SimControl } from "../control.js";
import type { FaultInjector } from "../faults/fault-injector.js";
import { FaultRequestError, parseFaultRequest } from "../faults/fault-request.js";
import type { FaultRequest } from "../faults/fault-request.js";
import { DEFAULT_MAX_BODY_BYTES, jsonRoute } from "./http-json.js";
import type { JsonReply } from "./http-json.js";

/** Options for {@link createAdminHandlers}. */
export interface AdminOptions {
  /** Prepended to every path, e.g. `/admin`; default none. */
  readonly prefix?: string;
  /** Larger request bodies get 413; default 16 KiB. */
  readonly maxBodyBytes?: number;
}

/** Convenience paths: `POST /faults/<path>` with the fault's fields minus `kind`. */
export const FAULT_PATHS: Readonly<Record<string, FaultRequest["kind"]>> = {
  "connectivity-lost": "connectivityLost",
  farm: "farm",
  "restart-window": "restartWindow",
  "competing-session": "competingSession",
  "reject-orders": "rejectOrders",
  "slow-responses": "slowResponses",
  "drop-responses": "dropResponses",
};

const TIME_FORM = "an ISO 8601 time with a zone (e.g. 2026-11-02T14:30:00Z) or epoch milliseconds";
const ISO_WITH_ZONE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectBody(body: unknown, example: string): JsonObject {
  if (body === undefined) return {};
  if (!isObject(body)) throw new FaultRequestError("body", `a JSON object such as ${example}`, body);
  return body;
}

/** Epoch ms of a time given as ISO text with a zone (never the machine's zone) or epoch ms. */
function parseTime(field: string, value: unknown): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && ISO_WITH_ZONE_RE.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new FaultRequestError(field, TIME_FORM, value);
}

function parseDurationField(field: string, value: unknown): number {
  const ms = typeof value === "number" ? value : typeof value === "string" ? parseDuration(value) : undefined;
  if (ms === undefined || !Number.isSafeInteger(ms) || ms < 0) {
    throw new FaultRequestError(field, `milliseconds (a non-negative integer) or ${DURATION_FORM}`, value);
  }
  return ms;
}

function refuseUnknown(body: JsonObject, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new FaultRequestError(key, `no such field (allowed: ${allowed.join(", ")})`, body[key]);
  }
}

function clockView(ms: number): { simTimeMs: number; simTime: string } {
  return { simTimeMs: ms, simTime: new Date(ms).toISOString() };
}

/**
 * The admin endpoints, keyed by path for `buildServer({ http })`:
 *
 * - `GET /stats` — {@link SimStats} as JSON;
 * - `GET /faults` — active and scheduled faults;
 * - `POST /faults` — a fault request (see `parseFaultRequest`), applied now, or at `at` (ISO time
 *   with zone or epoch ms, simulated) or `after` (a duration from the simulated now);
 * - `POST /faults/<name>` — the same without `kind`, for each name in {@link FAULT_PATHS};
 * - `POST /faults/clear` — lifts every fault and schedule;
 * - `GET /clock`, `POST /clock` — `{"advanceTo": iso|epochMs}` or `{"advanceBy": "15m"}`;
 * - `POST /reset` — a fresh simulator from the seed, with no faults.
 *
 * Bad input gets 400 with `{error, field, expected, given}`, a wrong method 405, an oversized
 * body 413. Every mutation is logged with what was done.
 */
export function createAdminHandlers(
  control: SimControl,
  injector: FaultInjector,
  logger: Logger,
  options: AdminOptions = {},
): Record<string, HttpHandler> {
  const log = logger.child({ component: "sim-admin" });
  const prefix = options.prefix ?? "";
  const routeOptions = { logger: log, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES };
  const faultsView = (): { active: unknown; scheduled: unknown } => ({
    active: injector.active(),
    scheduled: injector.scheduled().map((s) => ({ kind: s.kind, atMs: s.atMs, at: new Date(s.atMs).toISOString() })),
  });

  /** Applies or schedules a fault from a body whose `kind` is already set. */
  const postFault = (body: JsonObject): JsonReply => {
    const { at, after, ...rest } = body;
    if (at !== undefined && after !== undefined) {
      throw new FaultRequestError("after", "either at or after, not both", after);
    }
    const fault = parseFaultRequest(rest);
    const now = control.now();
    const atMs = at !== undefined ? parseTime("at", at) : after !== undefined ? now + parseDurationField("after", after) : undefined;
    if (atMs === undefined || atMs <= now) {
      injector.apply(fault);
      log.info({ fault }, "admin: fault applied");
      return { status: 200, body: { applied: fault, ...faultsView() } };
    }
    injector.schedule(fault, atMs);
    log.info({ fault, atMs, at: new Date(atMs).toISOString() }, "admin: fault scheduled");
    return { status: 202, body: { pending: fault, atMs, at: new Date(atMs).toISOString(), ...faultsView() } };
  };

  const handlers: Record<string, HttpHandler> = {
    "/stats": jsonRoute(`${prefix}/stats`, { GET: () => ({ status: 200, body: control.stats() }) }, routeOptions),

    "/faults": jsonRoute(
      `${prefix}/faults`,
      {
        GET: () => ({ status: 200, body: faultsView() }),
        POST: (body) => postFault(objectBody(body, '{"kind":"connectivityLost","durationMs":"30s"}')),
      },
      routeOptions,
    ),

    "/faults/clear": jsonRoute(
      `${prefix}/faults/clear`,
      {
        POST: () => {
          const lifted = injector.active().map((f) => f.kind);
          const cancelled = injector.scheduled().length;
          injector.clear();
          log.info({ lifted, cancelled }, "admin: faults cleared");
          return { status: 200, body: { cleared: lifted, cancelledSchedules: cancelled, ...faultsView() } };
        },
      },
      routeOptions,
    ),

    "/clock": jsonRoute(
      `${prefix}/clock`,
      {
        GET: () => ({ status: 200, body: clockView(control.now()) }),
        POST: (raw) => {
          const body = objectBody(raw, '{"advanceBy":"15m"} or {"advanceTo":"2026-11-02T14:30:00Z"}');
          refuseUnknown(body, ["advanceTo", "advanceBy"]);
          const before = control.now();
          let target: number;
          if (body.advanceTo !== undefined && body.advanceBy !== undefined) {
            throw new FaultRequestError("advanceBy", "either advanceTo or advanceBy, not both", body.advanceBy);
          } else if (body.advanceTo !== undefined) {
            target = parseTime("advanceTo", body.advanceTo);
            if (target < before) {
              throw new FaultRequestError(
                "advanceTo",
                `a time not before the simulated now (${new Date(before).toISOString()}); the clock never goes back`,
                body.advanceTo,
              );
            }
          } else if (body.advanceBy !== undefined) {
            target = before + parseDurationField("advanceBy", body.advanceBy);
          } else {
            throw new FaultRequestError("advanceBy", `advanceBy (${DURATION_FORM}) or advanceTo (${TIME_FORM})`, undefined);
          }
          control.advanceClockTo(target);
          const now = control.now();
          // The server ticks the injector from its market loop; ticking here too (idempotent)
          // makes faults due inside the jump take effect even if that loop has not run yet.
          injector.tick(now);
          log.info({ fromMs: before, toMs: now, to: new Date(now).toISOString() }, "admin: clock advanced");
          return { status: 200, body: { ...clockView(now), advancedByMs: now - before } };
        },
      },
      routeOptions,
    ),

    "/reset": jsonRoute(
      `${prefix}/reset`,
      {
        POST: () => {
          control.reset();
          // After the reset: the fresh simulator gets the baseline (accepting, no delays) and
          // the restore notices have nobody to reach.
          injector.clear();
          log.info({ simTimeMs: control.now() }, "admin: simulator reset");
          return { status: 200, body: { reset: true, ...clockView(control.now()) } };
        },
      },
      routeOptions,
    ),
  };

  for (const [path, kind] of Object.entries(FAULT_PATHS)) {
    const full = `/faults/${path}`;
    handlers[full] = jsonRoute(
      `${prefix}${full}`,
      {
        POST: (raw) => {
          const body = objectBody(raw, "{}");
          if (body.kind !== undefined && body.kind !== kind) {
            throw new FaultRequestError("kind", `${kind} (or nothing) on ${full}`, body.kind);
          }
          return postFault({ ...body, kind });
        },
      },
      routeOptions,
    );
  }

  if (prefix === "") return handlers;
  return Object.fromEntries(Object.entries(handlers).map(([path, handler]) => [`${prefix}${path}`, handler]));
}

