import { create } from "@bufbuild/protobuf";
import type { Code, HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { ErrorCode, ScannerService, ScanSpreadsRequest, ScanSpreadsResponse, ScanUniverseRequest, ScanUniverseResponse } from "@spreadops/api";
import { ErrorDetailSchema, ScanSpreadsResponseSchema, ScanUniverseResponseSchema } from "@spreadops/api";
import type { Logger } from "@spreadops/runtime";
import { toConnectError } from "@spreadops/runtime";
import { chainQueryFor } from "./chain-query.js";
import { inCompletionOrder } from "./completion-order.js";
import type { ScanJob, SpreadScanner } from "./spread-scanner.js";
import { validateScanSpreads, validateScanUniverse } from "./validation/index.js";

/** Collaborators of {@link ScannerServiceHandler}. */
export interface ScannerServiceDeps {
  readonly scanner: SpreadScanner;
  readonly logger: Logger;
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/** Service-level limits, from the scanner's options. */
export interface ScannerServiceOptions {
  /** Longest one underlying may take (fetch + scan), ms, when the call's own deadline is later or unset. */
  readonly scanTimeoutMs: number;
  /** ScanUniverse underlyings in flight when the request says 0. */
  readonly defaultConcurrency: number;
  /** Upper bound on a request's max_concurrency (the pod's CPU, the gateway's budget). */
  readonly maxConcurrency: number;
}

/**
 * The ScannerService: validation first (InvalidArgument naming the field), then one
 * {@link SpreadScanner} run per underlying. ScanUniverse runs targets concurrently within the
 * pod and streams each as it finishes; a failing target becomes an ErrorDetail and the rest go
 * on. Stateless: everything a call needs arrives with it or is fetched for it.
 */
export class ScannerServiceHandler implements ServiceImpl<typeof ScannerService> {
  private readonly now: () => number;

  constructor(
    private readonly deps: ScannerServiceDeps,
    private readonly options: ScannerServiceOptions,
  ) {
    this.now = deps.now ?? Date.now;
  }

  async scanSpreads(request: ScanSpreadsRequest, context: HandlerContext): Promise<ScanSpreadsResponse> {
    validateScanSpreads(request);
    const source = request.chainSource;
    const job: ScanJob = {
      symbol: source.case === "chain" ? source.value.underlyingSymbol : (source.value?.query?.underlyingSymbol ?? ""),
      source:
        source.case === "chain"
          ? { kind: "inline", chain: source.value }
          : { kind: "fetch", query: chainQueryFor(source.value?.query, "", request.filters, request.settings), maxAge: source.value?.maxAge },
      filters: request.filters,
      settings: request.settings,
      underlying: request.underlying,
    };
    const result = await this.deps.scanner.scan(job, { signal: context.signal, deadlineMs: this.deadline(context) });
    return create(ScanSpreadsResponseSchema, { result });
  }

  async *scanUniverse(request: ScanUniverseRequest, context: HandlerContext): AsyncGenerator<ScanUniverseResponse> {
    validateScanUniverse(request);
    const total = request.targets.length;
    const concurrency = Math.min(request.maxConcurrency === 0 ? this.options.defaultConcurrency : request.maxConcurrency, this.options.maxConcurrency);
    const jobs = request.targets.map((target): ScanJob => {
      const settings = target.settings ?? request.settings;
      return {
        symbol: target.symbol,
        source: { kind: "fetch", query: chainQueryFor(target.query, target.symbol, request.filters, settings), maxAge: request.maxAge },
        filters: request.filters,
        settings,
        underlying: target.underlying,
      };
    });
    let completed = 0;
    const run = (index: number, signal: AbortSignal) => {
      const job = jobs[index];
      if (job === undefined) throw new RangeError(`no target ${index}`);
      // Each target's own budget starts when it starts, capped by the call's deadline.
      return this.deps.scanner.scan(job, { signal, deadlineMs: this.deadline(context) });
    };
    for await (const settled of inCompletionOrder(total, concurrency, run, context.signal)) {
      completed++;
      const symbol = jobs[settled.index]?.symbol ?? "";
      const response = create(ScanUniverseResponseSchema, { targetIndex: settled.index, symbol, completed, total });
      if (settled.ok) {
        response.outcome = { case: "result", value: settled.value };
      } else {
        const { error, unexpected } = toConnectError(settled.error);
        if (unexpected) this.deps.logger.error({ err: settled.error, symbol }, "scan of one underlying failed unexpectedly");
        response.outcome = { case: "error", value: create(ErrorDetailSchema, { code: errorCodeOf(error.code), message: error.rawMessage }) };
      }
      yield response;
    }
  }

  /** When a scan must stop: the configured scan timeout from now, or the call's deadline if sooner. */
  private deadline(context: HandlerContext): number {
    const now = this.now();
    const own = now + this.options.scanTimeoutMs;
    const left = context.timeoutMs();
    return left === undefined ? own : Math.min(own, now + left);
  }
}

/** ErrorCode numbers equal Connect's Code values by contract (common.proto). */
function errorCodeOf(code: Code): ErrorCode {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- ErrorCode numbers equal Connect's Code values (docs/contracts.md)
  return code as number;
}
