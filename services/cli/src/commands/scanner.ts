import { readFileSync } from "node:fs";
import { toJsonString } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { Direction, FilterSetSchema, ScanResultSchema, SpreadKindSelection, SpreadSettingsSchema, UnderlyingStatsSchema } from "@spreadops/api";
import type { FilterSet, SpreadSettings, UnderlyingStats } from "@spreadops/api";
import { ConfigError, duration, helpRequested, option, parseConfig, renderHelp, runService, toConnectError } from "@spreadops/runtime";
import type { SpreadScanEngine } from "@spreadops/scanner";
import { defaultEngine, formatScanResult, modelOptions, offlineScan, parseChainJson, parseProtoJson, scannerDefinition, type ModelConfig } from "@spreadops/scanner";
import { z } from "zod";
import type { Command, CommandIo } from "../command.js";
import { ExitCode } from "../command.js";

const KINDS = {
  auto: SpreadKindSelection.AUTO,
  "bull-put": SpreadKindSelection.BULL_PUT,
  "bear-call": SpreadKindSelection.BEAR_CALL,
  "bull-call": SpreadKindSelection.BULL_CALL,
  "bear-put": SpreadKindSelection.BEAR_PUT,
} as const;
const DIRECTIONS = { bullish: Direction.BULLISH, bearish: Direction.BEARISH } as const;

/** `spreadops scanner scan`'s options: flags only (an offline scan is a one-off, not a deployment). */
export function scanOptions() {
  return {
    chain: option({ type: z.string().min(1), flag: "--chain", description: "Chain file: an OptionChain (or a GetOptionChainResponse) in proto JSON; see docs/scanner.md." }),
    filters: option({ type: z.string().min(1).optional(), flag: "--filters", description: "FilterSet as proto JSON, inline ('{...}') or a file name; unset = no filters." }),
    settings: option({ type: z.string().min(1).optional(), flag: "--settings", description: "SpreadSettings as proto JSON, inline ('{...}') or a file name." }),
    kind: option({ type: z.enum(Object.keys(KINDS) as [keyof typeof KINDS, ...(keyof typeof KINDS)[]]).optional(), flag: "--kind", description: "Spread kind; overrides the settings' kind (one of the two is required)." }),
    direction: option({ type: z.enum(["bullish", "bearish"]).optional(), flag: "--direction", description: "Direction for --kind auto; overrides the settings' direction." }),
    topK: option({ type: z.number().int().min(1).max(500).optional(), flag: "--top-k", description: "How many candidates to print; overrides the settings' top_k (default 10)." }),
    ivPercentile: option({ type: z.number().min(0).max(100).optional(), flag: "--iv-percentile", description: "The underlying's IV percentile, 0-100 (AUTO and min_iv_percentile need it; nothing is fetched offline)." }),
    ivRank: option({ type: z.number().min(0).max(100).optional(), flag: "--iv-rank", description: "The underlying's IV rank, 0-100 (min_iv_rank needs it)." }),
    timeout: option({ type: duration({ min: "10ms" }), flag: "--timeout", default: "30s", description: "Stop the scan after this long (DeadlineExceeded)." }),
    json: option({ type: z.boolean(), flag: "--json", default: false, description: "Print the ScanResult as proto JSON instead of a table." }),
    ...modelOptions,
  };
}

/** What the scanner command reads and runs with; tests pass fakes. */
export interface ScannerCommandDeps {
  /** Default: the scanner's built-in engine. */
  readonly engine?: (model: ModelConfig) => SpreadScanEngine;
  /** Reads a text file; default `fs.readFileSync(path, "utf8")`. */
  readonly readText?: (path: string) => string;
}

const SERVE_NOTE =
  "Sub-commands: serve (the default) runs the ScannerService; `scan --chain FILE` scans a chain file offline (see `spreadops scanner scan --help`).";

/**
 * `spreadops scanner [serve]`: the scanner service in this process (`--help` lists every
 * option); `spreadops scanner scan --chain FILE …`: an offline scan of a chain file, printed as
 * a table or (`--json`) proto JSON.
 */
export function scannerCommand(version: string, deps: ScannerCommandDeps = {}): Command {
  const engine = deps.engine ?? defaultEngine;
  const readText = deps.readText ?? ((path: string) => readFileSync(path, "utf8"));
  return {
    name: "scanner",
    summary: "the spread scanner service (serve), or an offline scan of a chain file (scan --chain FILE)",
    run: (io) => {
      const [first, ...rest] = io.argv;
      if (first === "scan") return Promise.resolve(scanChainFile({ ...io, argv: rest }, engine, readText));
      const definition = scannerDefinition(version, { engine });
      return runService({ ...definition, summary: `${definition.summary ?? ""}\n${SERVE_NOTE}` }, { ...io, argv: first === "serve" ? rest : io.argv }, (service) => {
        service.logger.info({ address: service.address.url, gateway: service.config.gatewayUrl }, "scanner ready");
      });
    },
  };
}

/** Inline JSON when it looks like an object, else a file to read. */
function jsonArgument(value: string, readText: (path: string) => string): string {
  return value.trimStart().startsWith("{") ? value : readText(value);
}

/** Runs `scanner scan`; resolves to the exit code. */
export function scanChainFile(io: CommandIo, engine: (model: ModelConfig) => SpreadScanEngine, readText: (path: string) => string): number {
  const options = scanOptions();
  if (helpRequested(io.argv)) {
    io.stdout(renderHelp(options, {
      program: "spreadops scanner scan",
      summary: "Scans one option chain from a file, without a gateway, and prints the ranked candidates. Exit codes: 0 ok, 1 scan failed, 64 bad input, 78 bad flags.",
    }));
    return ExitCode.ok;
  }
  let config;
  try {
    config = parseConfig(options, { argv: io.argv, env: {} });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return ExitCode.config;
    }
    throw error;
  }
  let filters: FilterSet | undefined;
  let settings: SpreadSettings | undefined;
  let underlying: UnderlyingStats | undefined;
  let chain;
  try {
    chain = parseChainJson(readText(config.chain), `chain file ${config.chain}`);
    if (config.filters !== undefined) filters = parseProtoJson(FilterSetSchema, jsonArgument(config.filters, readText), "--filters");
    settings = config.settings === undefined ? undefined : parseProtoJson(SpreadSettingsSchema, jsonArgument(config.settings, readText), "--settings");
  } catch (error) {
    io.stderr(`spreadops scanner scan: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.usage;
  }
  if (config.kind !== undefined || config.direction !== undefined || config.topK !== undefined) {
    settings ??= parseProtoJson(SpreadSettingsSchema, "{}", "--settings");
    if (config.kind !== undefined) settings.kind = KINDS[config.kind];
    if (config.direction !== undefined) settings.direction = DIRECTIONS[config.direction];
    if (config.topK !== undefined) settings.topK = config.topK;
  }
  if (config.ivPercentile !== undefined || config.ivRank !== undefined) {
    underlying = parseProtoJson(UnderlyingStatsSchema, "{}", "underlying");
    if (config.ivPercentile !== undefined) underlying.ivPercentile = config.ivPercentile;
    if (config.ivRank !== undefined) underlying.ivRank = config.ivRank;
  }
  try {
    const result = offlineScan(engine(config), { chain, filters, settings, underlying, deadlineMs: Date.now() + config.timeout });
    io.stdout(config.json ? `${toJsonString(ScanResultSchema, result, { prettySpaces: 2 })}\n` : formatScanResult(result));
    return ExitCode.ok;
  } catch (error) {
    const { error: mapped, unexpected } = toConnectError(error);
    io.stderr(`spreadops scanner scan: ${unexpected && error instanceof Error ? error.message : mapped.rawMessage}\n`);
    return mapped.code === Code.InvalidArgument ? ExitCode.usage : ExitCode.failure;
  }
}
