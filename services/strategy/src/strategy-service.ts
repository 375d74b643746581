import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { EvaluateRequest, EvaluateResponse, StrategyService, ValidateStrategyRequest, ValidateStrategyResponse } from "@spreadops/api";
import { FieldViolationSchema, ValidateStrategyResponseSchema } from "@spreadops/api";
import type { StrategyEvaluator } from "./evaluator.js";
import { validateSpec } from "./validation.js";

/** Collaborators of the {@link StrategyServiceHandler}. */
export interface StrategyServiceDeps {
  readonly evaluator: StrategyEvaluator;
}

/**
 * The Connect StrategyService: ValidateStrategy lists every violation (for the controller's
 * Invalid phase); Evaluate fails with InvalidArgument naming the first one, then runs the
 * evaluator with the call's cancellation.
 */
export class StrategyServiceHandler implements ServiceImpl<typeof StrategyService> {
  constructor(private readonly deps: StrategyServiceDeps) {}

  evaluate(request: EvaluateRequest, context: HandlerContext): Promise<EvaluateResponse> {
    return this.deps.evaluator.evaluate(request, { signal: context.signal });
  }

  validateStrategy(request: ValidateStrategyRequest): ValidateStrategyResponse {
    const violations = validateSpec(request.spec);
    return create(ValidateStrategyResponseSchema, {
      valid: violations.length === 0,
      violations: violations.map((v) => create(FieldViolationSchema, { field: v.field, message: v.message })),
    });
  }
}
