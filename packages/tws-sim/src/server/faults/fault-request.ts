/**
 * The faults an operator can inject, and the validator for their JSON form (admin HTTP, config).
 *
 * @packageDocumentation
 */

import { DURATION_FORM, parseDuration } from "@spreadops/runtime";
import type { Farm } from "../control.js";
import { ExchangeTimeZone } from "../../market/time-zone.js";

/** "Connectivity between IB and TWS" lost (1100), restored after `durationMs` or on clear (1101/1102). */
export interface ConnectivityLostFault {
  readonly kind: "connectivityLost";
  /** Simulated ms until restored; absent = until cleared. */
  readonly durationMs?: number;
  /** On restore: true → 1101 (subscriptions dropped), false (default) → 1102 (kept). */
  readonly dataLost?: boolean;
}

/** A data farm's status set to `ok`, and back to its previous status after `durationMs`. */
export interface FarmFault {
  readonly kind: "farm";
  readonly farm: Farm;
  readonly ok: boolean;
  readonly durationMs?: number;
}

/** A daily schedule for {@link RestartWindowFault}: a wall-clock time in an IANA zone. */
export interface DailyTime {
  /** `HH:MM`, 24-hour. */
  readonly at: string;
  /** IANA zone; default `America/New_York`. */
  readonly timeZone?: string;
}

/**
 * TWS's restart: every client disconnected and new connections refused for `durationMs`.
 * Without `daily` the window opens now; with it, every day at `daily.at` in `daily.timeZone`.
 */
export interface RestartWindowFault {
  readonly kind: "restartWindow";
  readonly durationMs: number;
  readonly daily?: DailyTime;
}

/** Another live session takes the market data (10197). */
export interface CompetingSessionFault {
  readonly kind: "competingSession";
  readonly durationMs?: number;
}

/** The next `count` orders are rejected (201) with `reason`. */
export interface RejectOrdersFault {
  readonly kind: "rejectOrders";
  readonly reason: string;
  readonly count: number;
}

/** Every server message delayed by `delayMs` (0 = off). */
export interface SlowResponsesFault {
  readonly kind: "slowResponses";
  readonly delayMs: number;
  readonly durationMs?: number;
}

/** This fraction (0..1) of responses dropped (0 = off). */
export interface DropResponsesFault {
  readonly kind: "dropResponses";
  readonly fraction: number;
  readonly durationMs?: number;
}

/** Any fault the injector understands, discriminated by `kind`. */
export type FaultRequest =
  | ConnectivityLostFault
  | FarmFault
  | RestartWindowFault
  | CompetingSessionFault
  | RejectOrdersFault
  | SlowResponsesFault
  | DropResponsesFault;

/** The fault kinds, in the order documented. */
export const FAULT_KINDS = [
  "connectivityLost",
  "farm",
  "restartWindow",
  "competingSession",
  "rejectOrders",
  "slowResponses",
  "dropResponses",
] as const satisfies readonly FaultRequest["kind"][];

/** The farms a `farm` fault may name. */
export const FARMS = ["marketData", "historical", "secDef"] as const satisfies readonly Farm[];

/** A fault request that does not validate; names the field, the expected form and the value given. */
export class FaultRequestError extends Error {
  override readonly name = "FaultRequestError";
  /** Dotted path of the field, e.g. `daily.at`; empty for the whole body. */
  readonly field: string;
  readonly expected: string;
  /** The value given, as JSON text (shortened). */
  readonly given: string;

  constructor(field: string, expected: string, value: unknown) {
    const given = describeValue(value);
    super(`invalid ${field === "" ? "fault request" : field}: expected ${expected}, got ${given}`);
    this.field = field;
    this.expected = expected;
    this.given = given;
  }
}

const MAX_GIVEN_CHARS = 120;

/** JSON text of a value for error messages, shortened; `undefined` reads as "nothing". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    // JSON.stringify gives undefined (typed string) for functions and symbols.
    text = typeof value === "function" || typeof value === "symbol" ? typeof value : JSON.stringify(value);
  } catch {
    text = typeof value === "bigint" ? `${value}n` : "an unserialisable value";
  }
  return text.length > MAX_GIVEN_CHARS ? `${text.slice(0, MAX_GIVEN_CHARS)}…` : text;
}

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const KIND_FORM = `one of ${FAULT_KINDS.join(", ")}`;
const MS_FORM = `milliseconds (a positive integer) or ${DURATION_FORM}`;
const MS_OR_ZERO_FORM = `milliseconds (a non-negative integer) or ${DURATION_FORM}`;
const TIME_OF_DAY_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Reads the fields of one object, refusing fields it does not know. */
class Reader {
  readonly #obj: Json;
  readonly #prefix: string;

  constructor(obj: Json, prefix: string, allowed: readonly string[]) {
    this.#obj = obj;
    this.#prefix = prefix;
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        throw new FaultRequestError(this.path(key), `no such field (allowed: ${allowed.join(", ")})`, obj[key]);
      }
    }
  }

  path(key: string): string {
    return `${this.#prefix}${key}`;
  }

  raw(key: string): unknown {
    return this.#obj[key];
  }

  durationMs(key: string, opts: { allowZero: boolean }): number | undefined {
    const value = this.#obj[key];
    if (value === undefined) return undefined;
    const form = opts.allowZero ? MS_OR_ZERO_FORM : MS_FORM;
    const ms = typeof value === "number" ? value : typeof value === "string" ? parseDuration(value) : undefined;
    if (ms === undefined || !Number.isSafeInteger(ms) || ms < 0 || (!opts.allowZero && ms === 0)) {
      throw new FaultRequestError(this.path(key), form, value);
    }
    return ms;
  }

  requiredDurationMs(key: string, opts: { allowZero: boolean }): number {
    const ms = this.durationMs(key, opts);
    if (ms === undefined) throw new FaultRequestError(this.path(key), opts.allowZero ? MS_OR_ZERO_FORM : MS_FORM, undefined);
    return ms;
  }

  boolean(key: string): boolean | undefined {
    const value = this.#obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") throw new FaultRequestError(this.path(key), "true or false", value);
    return value;
  }

  requiredBoolean(key: string): boolean {
    const value = this.boolean(key);
    if (value === undefined) throw new FaultRequestError(this.path(key), "true or false", undefined);
    return value;
  }

  string(key: string, expected: string, ok: (s: string) => boolean): string | undefined {
    const value = this.#obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !ok(value)) throw new FaultRequestError(this.path(key), expected, value);
    return value;
  }

  requiredString(key: string, expected: string, ok: (s: string) => boolean): string {
    const value = this.string(key, expected, ok);
    if (value === undefined) throw new FaultRequestError(this.path(key), expected, undefined);
    return value;
  }

  requiredNumber(key: string, expected: string, ok: (n: number) => boolean): number {
    const value = this.#obj[key];
    if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
      throw new FaultRequestError(this.path(key), expected, value);
    }
    return value;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new ExchangeTimeZone(name);
    return true;
  } catch {
    return false;
  }
}

function withDuration<T extends object>(fault: T, durationMs: number | undefined): T & { durationMs?: number } {
  return durationMs === undefined ? fault : { ...fault, durationMs };
}

/**
 * Validates a fault request's JSON form, e.g. `{"kind":"connectivityLost","durationMs":"30s","dataLost":true}`.
 * Durations take milliseconds or duration text (`"30s"`, `"5m"`); unknown fields are refused so a
 * typo (`duration` for `durationMs`) does not silently mean "forever".
 *
 * @throws FaultRequestError naming the first bad field, the expected form and the value given.
 */
export function parseFaultRequest(json: unknown): FaultRequest {
  if (!isObject(json)) throw new FaultRequestError("", `a JSON object with a "kind" (${KIND_FORM})`, json);
  const kind = json.kind;
  switch (kind) {
    case "connectivityLost": {
      const r = new Reader(json, "", ["kind", "durationMs", "dataLost"]);
      const dataLost = r.boolean("dataLost");
      return withDuration(
        { kind, ...(dataLost === undefined ? {} : { dataLost }) },
        r.durationMs("durationMs", { allowZero: false }),
      );
    }
    case "farm": {
      const r = new Reader(json, "", ["kind", "farm", "ok", "durationMs"]);
      const farm = r.requiredString("farm", `one of ${FARMS.join(", ")}`, (s) => (FARMS as readonly string[]).includes(s));
      return withDuration(
        { kind, farm: farm as Farm, ok: r.requiredBoolean("ok") },
        r.durationMs("durationMs", { allowZero: false }),
      );
    }
    case "restartWindow": {
      const r = new Reader(json, "", ["kind", "durationMs", "daily"]);
      const durationMs = r.requiredDurationMs("durationMs", { allowZero: false });
      const daily = r.raw("daily");
      if (daily === undefined) return { kind, durationMs };
      if (!isObject(daily)) {
        throw new FaultRequestError("daily", 'an object such as {"at":"23:45","timeZone":"America/New_York"}', daily);
      }
      const d = new Reader(daily, "daily.", ["at", "timeZone"]);
      const at = d.requiredString("at", "a time of day HH:MM (24-hour), e.g. 23:45", (s) => TIME_OF_DAY_RE.test(s));
      const timeZone = d.string("timeZone", "an IANA time zone such as America/New_York", isTimeZone);
      if (durationMs >= 86_400_000) throw new FaultRequestError("durationMs", "less than a day for a daily window", json.durationMs);
      return { kind, durationMs, daily: { at, ...(timeZone === undefined ? {} : { timeZone }) } };
    }
    case "competingSession": {
      const r = new Reader(json, "", ["kind", "durationMs"]);
      return withDuration({ kind }, r.durationMs("durationMs", { allowZero: false }));
    }
    case "rejectOrders": {
      const r = new Reader(json, "", ["kind", "reason", "count"]);
      const reason = r.requiredString("reason", "a non-empty string", (s) => s.trim() !== "");
      const count = r.requiredNumber("count", "a positive integer", (n) => Number.isSafeInteger(n) && n > 0);
      return { kind, reason, count };
    }
    case "slowResponses": {
      const r = new Reader(json, "", ["kind", "delayMs", "durationMs"]);
      return withDuration(
        { kind, delayMs: r.requiredDurationMs("delayMs", { allowZero: true }) },
        r.durationMs("durationMs", { allowZero: false }),
      );
    }
    case "dropResponses": {
      const r = new Reader(json, "", ["kind", "fraction", "durationMs"]);
      const fraction = r.requiredNumber("fraction", "a number from 0 to 1", (n) => n >= 0 && n <= 1);
      return withDuration({ kind, fraction }, r.durationMs("durationMs", { allowZero: false }));
    }
    default:
      throw new FaultRequestError("kind", KIND_FORM, kind);
  }
}

/** The name a fault has in `FaultInjector.active()`: its kind, or `farm:<farm>` for farm faults. */
export function faultKey(fault: FaultRequest): string {
  return fault.kind === "farm" ? `farm:${fault.farm}` : fault.kind;
}
