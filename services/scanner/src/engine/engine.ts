import { create } from "@bufbuild/protobuf";
import { DurationSchema, type Duration } from "@bufbuild/protobuf/wkt";
import {
  FilterRejectionSchema,
  ScanDiagnosticsSchema,
  ScanResultSchema,
  UnderlyingStatsSchema,
  Direction,
  SpreadKindSelection,
  type ScanResult,
} from "@spreadops/api";
import {
  ScanDeadlineError,
  Scanner,
  scanChainProblem,
  scanConfigProblem,
  scanFiltersProblem,
  underlyingRejections,
  type ScanConfig,
} from "@spreadops/core";
import { DomainError, invalidArgument } from "@spreadops/runtime";
import type { ScanInput, SpreadScanEngine } from "../engine-port.js";
import { PROTO_KIND, resolveKinds } from "./kind-choice.js";
import { candidateToProto, filterIdToProto } from "./to-proto.js";
import { chainView, filtersFromProto, throwProblem, weightsFromProto } from "./to-core.js";

/** Options of {@link CoreScanEngine}. */
export interface CoreScanEngineOptions {
  /**
   * Risk-free rate r and dividend yield q (continuously compounded, per year) for the lognormal
   * POP / EV model, whose drift is the risk-neutral r − q. Default 0 each (drift 0) until the
   * service is given market rates.
   */
  readonly rate?: number;
  readonly dividendYield?: number;
  /** Epoch-ms clock for deadlines; default Date.now. */
  readonly now?: () => number;
  /** Monotonic ms clock for scan_duration; default performance.now. */
  readonly monotonicNow?: () => number;
}

const DEFAULT_TOP_K = 10;

/** A Duration from fractional ms (protobuf-es durationFromMs would put a fraction into nanos). */
function elapsed(ms: number): Duration {
  const nanosTotal = Math.max(0, Math.round(ms * 1e6));
  const seconds = Math.floor(nanosTotal / 1e9);
  return create(DurationSchema, { seconds: BigInt(seconds), nanos: nanosTotal - seconds * 1e9 });
}

/**
 * {@link SpreadScanEngine} over packages/core's typed-array {@link Scanner}: proto in, proto
 * out. One instance owns one Scanner's workspaces, reused across scans; scans are synchronous,
 * so one instance per worker thread is enough.
 */
export class CoreScanEngine implements SpreadScanEngine {
  private readonly scanner = new Scanner();
  private readonly drift: number;
  private readonly now: () => number;
  private readonly monotonicNow: () => number;

  constructor(options: CoreScanEngineOptions = {}) {
    this.drift = (options.rate ?? 0) - (options.dividendYield ?? 0);
    this.now = options.now ?? Date.now;
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
  }

  /** Scans one chain; see {@link SpreadScanEngine.scan} for the errors. */
  scan(input: ScanInput): ScanResult {
    const started = this.monotonicNow();
    const { chain, settings, underlying } = input;
    const filters = filtersFromProto(input.filters);
    throwProblem(scanFiltersProblem(filters));
    const view = chainView(chain);
    throwProblem(scanChainProblem(view));
    if (!(chain.multiplier > 0 && chain.multiplier < Infinity)) {
      throw invalidArgument("chain.multiplier", "a positive number (from contract details)", chain.multiplier);
    }
    const ivPercentile = underlying?.ivPercentile;
    const ivRank = underlying?.ivRank;
    const base = {
      underlyingSymbol: chain.underlyingSymbol,
      underlyingConId: chain.underlyingConId,
      underlyingPrice: chain.underlyingPrice,
      chainAsOf: chain.asOf,
      underlying: create(UnderlyingStatsSchema, {
        ivPercentile,
        ivRank,
        impliedVol: underlying?.impliedVol,
      }),
    };
    const rejectedBy = underlyingRejections(filters, ivPercentile, ivRank);
    const firstRejection = rejectedBy[0];
    if (firstRejection !== undefined) {
      // The underlying is out: no kind is needed (so AUTO's IV percentile is not either).
      return create(ScanResultSchema, {
        ...base,
        underlyingRejectedBy: rejectedBy.map(filterIdToProto),
        diagnostics: create(ScanDiagnosticsSchema, {
          rowsInChain: chain.rowCount,
          rejections: [create(FilterRejectionSchema, { filter: filterIdToProto(firstRejection), count: 1 })],
          scanDuration: elapsed(this.monotonicNow() - started),
        }),
      });
    }
    const { kinds, choice } = resolveKinds(
      settings?.kind ?? SpreadKindSelection.UNSPECIFIED,
      settings?.direction ?? Direction.UNSPECIFIED,
      settings?.creditWhenIvPercentileAbove,
      ivPercentile,
    );
    const config: ScanConfig = {
      kinds,
      filters,
      limitOffset: settings?.limitOffset ?? 0,
      topK: settings?.topK ?? DEFAULT_TOP_K,
      weights: weightsFromProto(settings?.weights),
      drift: this.drift,
      ivPercentile,
      ivRank,
      deadline: input.deadlineMs === undefined ? undefined : { atMs: input.deadlineMs, now: this.now },
    };
    throwProblem(scanConfigProblem(config));
    if (input.deadlineMs !== undefined && this.now() > input.deadlineMs) {
      throw new DomainError("deadline_exceeded", "scan stopped at its deadline before it started (0 pairs evaluated)");
    }
    let output;
    try {
      output = this.scanner.scan(view, config);
    } catch (error) {
      if (error instanceof ScanDeadlineError) throw new DomainError("deadline_exceeded", error.message, { cause: error });
      throw error;
    }
    const rejections = [];
    for (let id = 1; id < output.rejections.length; id++) {
      const count = output.rejections[id] ?? 0;
      if (count > 0) rejections.push(create(FilterRejectionSchema, { filter: filterIdToProto(id), count }));
    }
    return create(ScanResultSchema, {
      ...base,
      kinds: kinds.map((k) => PROTO_KIND[k]),
      kindChoice: choice,
      candidates: output.candidates.map((c) => candidateToProto(chain, c)),
      diagnostics: create(ScanDiagnosticsSchema, {
        rowsInChain: output.rowsInChain,
        rowsUsable: output.rowsUsable,
        pairsEvaluated: output.pairsEvaluated,
        pairsPassed: output.pairsPassed,
        rejections,
        scanDuration: elapsed(this.monotonicNow() - started),
      }),
    });
  }
}
