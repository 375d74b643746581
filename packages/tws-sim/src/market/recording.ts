/**
 * The recording file format: JSON Lines, UTF-8. Line 1 is a {@link RecordingHeader}; every other
 * line is one {@link RecordingEvent} stamped with the simulated time `t` (epoch ms, the market's
 * `now()`) at which the client saw it. Events are in the order they happened; several may share
 * a `t`. Readers must reject an unknown `format` or a `version` they do not know and skip event
 * types they do not know (so new event types are a compatible change). Specified in
 * docs/simulator-market.md.
 *
 * @packageDocumentation
 */

import type {
  Bar,
  Contract,
  ExpirationEvent,
  MarketErrorReason,
  OptionChain,
  OptionComputation,
  OptionParameters,
  Quote,
  ScanRow,
  Settlement,
  StockContract,
} from "./market-source.js";

/** The `format` value of a recording header. */
export const RECORDING_FORMAT = "spreadops-tws-sim-recording";
/** The format version this code writes and reads. */
export const RECORDING_VERSION = 1;

/** Line 1 of a recording. */
export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: typeof RECORDING_VERSION;
  /** Seed of the recorded synthetic market; null when unknown (e.g. re-recording a replay). */
  readonly seed: number | null;
  /** The market's time when recording began, epoch ms. */
  readonly start: number;
  /** The universe. */
  readonly stocks: readonly StockContract[];
  /** Free-form provenance (settings, tool versions…); ignored by replay. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A failed request, replayed as the same MarketDataError. */
export interface RecordedError {
  readonly reason: MarketErrorReason;
  readonly message: string;
}

/** One recorded observation. `t` is the market's now() when it was observed. */
export type RecordingEvent =
  /** The market was advanced to `t`; `version` is the market's version afterwards. */
  | { readonly t: number; readonly type: "advance"; readonly version: number }
  /** A contract definition (written once per conId, before any event that names it). */
  | { readonly t: number; readonly type: "contract"; readonly contract: Contract }
  /** A contract lookup and the conIds it returned. */
  | { readonly t: number; readonly type: "find"; readonly query: unknown; readonly conIds: readonly number[] }
  /** A quote as the client saw it; null when the contract had none (expired). Written on change. */
  | { readonly t: number; readonly type: "quote"; readonly conId: number; readonly quote: Quote | null }
  /** Model greeks as the client saw them; null when none. Written on change. */
  | { readonly t: number; readonly type: "greeks"; readonly conId: number; readonly computation: OptionComputation | null }
  /** reqSecDefOptParams data. */
  | { readonly t: number; readonly type: "optionParameters"; readonly symbol: string; readonly value: OptionParameters | null }
  /** A listed chain. */
  | { readonly t: number; readonly type: "chain"; readonly symbol: string; readonly value: OptionChain | null }
  /** Historical bars for a request (as given by the client), or the error it got. */
  | { readonly t: number; readonly type: "bars"; readonly conId: number; readonly request: unknown; readonly bars?: readonly Bar[]; readonly error?: RecordedError }
  /** A scan and its rows, or the error it got. */
  | { readonly t: number; readonly type: "scan"; readonly filter: unknown; readonly rows?: readonly ScanRow[]; readonly error?: RecordedError }
  /** An option's settlement as asked for; null while it had none. */
  | { readonly t: number; readonly type: "settlement"; readonly conId: number; readonly value: Settlement | null }
  /** Options expired. */
  | { readonly t: number; readonly type: "expiration"; readonly event: ExpirationEvent };

/** A parsed recording. */
export interface Recording {
  readonly header: RecordingHeader;
  readonly events: readonly RecordingEvent[];
}

const EVENT_TYPES: ReadonlySet<string> = new Set([
  "advance", "contract", "find", "quote", "greeks", "optionParameters", "chain", "bars", "scan", "settlement", "expiration",
]);

/**
 * JSON with object keys sorted at every level and undefined members dropped: equal values give
 * equal text, so it serves as a lookup key for requests.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

/** The header line (with its newline). */
export function formatHeader(header: RecordingHeader): string {
  return `${JSON.stringify(header)}\n`;
}

/** An event line (with its newline). */
export function formatEvent(event: RecordingEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** A whole recording as text. */
export function formatRecording(recording: Recording): string {
  return formatHeader(recording.header) + recording.events.map(formatEvent).join("");
}

/** A malformed recording. */
export class RecordingFormatError extends Error {
  /** 1-based line number, when the problem is on a line. */
  readonly line: number | undefined;

  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = "RecordingFormatError";
    this.line = line;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Parses a recording from its lines (blank lines are ignored). Events of unknown types are
 * skipped; a missing or foreign header, an unknown version or a malformed line is an error.
 * @throws RecordingFormatError
 */
export function parseRecording(input: string | Iterable<string>): Recording {
  const lines = typeof input === "string" ? input.split("\n") : input;
  let header: RecordingHeader | undefined;
  const events: RecordingEvent[] = [];
  let lineNumber = 0;
  for (const raw of lines) {
    lineNumber++;
    const line = raw.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error: unknown) {
      throw new RecordingFormatError(`not JSON (${error instanceof Error ? error.message : String(error)})`, lineNumber);
    }
    if (!isRecord(value)) throw new RecordingFormatError("not a JSON object", lineNumber);
    if (header === undefined) {
      header = parseHeader(value, lineNumber);
      continue;
    }
    if (typeof value.t !== "number" || !Number.isFinite(value.t)) throw new RecordingFormatError("event without a numeric t", lineNumber);
    if (typeof value.type !== "string") throw new RecordingFormatError("event without a type", lineNumber);
    if (!EVENT_TYPES.has(value.type)) continue;
    events.push(value as unknown as RecordingEvent);
  }
  if (header === undefined) throw new RecordingFormatError("empty recording: no header line");
  return { header, events };
}

function parseHeader(value: Record<string, unknown>, line: number): RecordingHeader {
  if (value.format !== RECORDING_FORMAT) throw new RecordingFormatError(`not a ${RECORDING_FORMAT} file (format ${JSON.stringify(value.format)})`, line);
  if (value.version !== RECORDING_VERSION) throw new RecordingFormatError(`unsupported version ${JSON.stringify(value.version)} (this reader knows ${RECORDING_VERSION})`, line);
  if (typeof value.start !== "number" || !Array.isArray(value.stocks)) throw new RecordingFormatError("header needs a numeric start and a stocks array", line);
  if (value.seed !== null && typeof value.seed !== "number") throw new RecordingFormatError("header seed must be a number or null", line);
  return value as unknown as RecordingHeader;
}
