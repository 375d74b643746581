import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type {
  EvaluateRequest,
  EvaluateResponse,
  StrategyService,
  ValidateStrategyRequest,
  ValidateStrategyResponse,
  WatchEvaluationsRequest,
  WatchEvaluationsResponse,
} from "@spreadops/api";
import { FieldViolationSchema, ValidateStrategyResponseSchema, WatchEvaluationsResponseSchema } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import { EvaluationFeed } from "./evaluation-feed.js";
import type { StrategyEvaluator } from "./evaluator.js";
import { validateSpec } from "./validation.js";

/** Collaborators of the {@link StrategyServiceHandler}. */
export interface StrategyServiceDeps {
  readonly evaluator: StrategyEvaluator;
  /** Where non-dry-run evaluations are kept for WatchEvaluations; default a feed of its own. */
  readonly feed?: EvaluationFeed;
}

/** A Strategy reference as the controller sends it: "namespace/name". */
const STRATEGY_REF = /^[^\s/]+\/[^\s/]+$/;

/**
 * The Connect StrategyService: ValidateStrategy lists every violation (for the controller's
 * Invalid phase); Evaluate fails with InvalidArgument naming the first one, then runs the
 * evaluator with the call's cancellation, and records a successful non-dry-run result in the
 * feed that WatchEvaluations streams.
 */
export class StrategyServiceHandler implements ServiceImpl<typeof StrategyService> {
  readonly #evaluator: StrategyEvaluator;
  readonly #feed: EvaluationFeed;

  constructor(deps: StrategyServiceDeps) {
    this.#evaluator = deps.evaluator;
    this.#feed = deps.feed ?? new EvaluationFeed();
  }

  async evaluate(request: EvaluateRequest, context: HandlerContext): Promise<EvaluateResponse> {
    const response = await this.#evaluator.evaluate(request, { signal: context.signal });
    // Dry runs are what-ifs (they ignore `paused` and the window): never shown as the strategy's state.
    if (!request.dryRun) this.#feed.record(request.strategyRef, response);
    return response;
  }

  validateStrategy(request: ValidateStrategyRequest): ValidateStrategyResponse {
    const violations = validateSpec(request.spec);
    return create(ValidateStrategyResponseSchema, {
      valid: violations.length === 0,
      violations: violations.map((v) => create(FieldViolationSchema, { field: v.field, message: v.message })),
    });
  }

  async *watchEvaluations(request: WatchEvaluationsRequest, context: HandlerContext): AsyncGenerator<WatchEvaluationsResponse, void, undefined> {
    if (request.strategyRef !== "" && !STRATEGY_REF.test(request.strategyRef)) {
      throw invalidArgument("strategy_ref", 'empty (every strategy) or "namespace/name"', request.strategyRef);
    }
    for await (const entry of this.#feed.watch(request.strategyRef, context.signal)) {
      yield create(WatchEvaluationsResponseSchema, { strategyRef: entry.strategyRef, initial: entry.initial, evaluation: entry.evaluation });
    }
  }
}
