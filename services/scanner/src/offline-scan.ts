import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { create, fromJson } from "@bufbuild/protobuf";
import type { JsonValue } from "@bufbuild/protobuf";
import type { FilterSet, OptionChain, ScanResult, SpreadSettings, UnderlyingStats } from "@spreadops/api";
import { OptionChainSchema, ScanSpreadsRequestSchema } from "@spreadops/api";
import type { SpreadScanEngine } from "./engine-port.js";
import { validateScanSpreads } from "./validation/index.js";

/**
 * Parses proto JSON (camelCase or snake_case names, enums by name or number, NaN as "NaN") into
 * a message; `what` names the input in the error. Unknown fields are refused, so a typo in a
 * filter name is not silently ignored.
 */
export function parseProtoJson<D extends DescMessage>(schema: D, text: string, what: string): MessageShape<D> {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new Error(`${what}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  try {
    return fromJson(schema, json);
  } catch (error) {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * A chain file: an `OptionChain` in proto JSON, or a saved `GetOptionChainResponse` (an object
 * with a `chain` member), so a chain fetched with curl can be replayed as is.
 */
export function parseChainJson(text: string, what = "chain file"): OptionChain {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const inner = typeof json === "object" && json !== null && "chain" in json && !("rowCount" in json) && !("row_count" in json) ? json.chain : json;
  return parseProtoJson(OptionChainSchema, JSON.stringify(inner), what);
}

/** One offline scan: a chain read from a file with filters and settings, no gateway. */
export interface OfflineScanInput {
  readonly chain: OptionChain;
  readonly filters?: FilterSet | undefined;
  readonly settings: SpreadSettings | undefined;
  readonly underlying?: UnderlyingStats | undefined;
  /** Epoch ms after which the engine stops; unset = none. */
  readonly deadlineMs?: number | undefined;
}

/**
 * Validates the scan exactly as ScanSpreads with an inline chain would (same InvalidArgument
 * naming the field), then runs the engine. Errors are the ConnectErrors / DomainErrors the
 * service would answer with; IV stats are never fetched here, so AUTO needs them given.
 */
export function offlineScan(engine: SpreadScanEngine, input: OfflineScanInput): ScanResult {
  const request = create(ScanSpreadsRequestSchema, {
    chainSource: { case: "chain", value: input.chain },
    ...(input.filters === undefined ? {} : { filters: input.filters }),
    ...(input.settings === undefined ? {} : { settings: input.settings }),
    ...(input.underlying === undefined ? {} : { underlying: input.underlying }),
  });
  validateScanSpreads(request);
  return engine.scan({
    chain: input.chain,
    filters: input.filters,
    settings: input.settings,
    underlying: input.underlying,
    ...(input.deadlineMs === undefined ? {} : { deadlineMs: input.deadlineMs }),
  });
}
