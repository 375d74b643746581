import { CoreScanEngine } from "./engine/index.js";
import type { SpreadScanEngine } from "./engine-port.js";
import type { ModelConfig } from "./model-options.js";

/**
 * The engine `main` and `spreadops scanner` run with: packages/core's typed-array scan behind
 * the port. One instance serves every call; scans are synchronous, so calls never interleave
 * inside it and its reused workspaces are safe.
 */
export function defaultEngine(model: ModelConfig): SpreadScanEngine {
  return new CoreScanEngine({ rate: model.riskFreeRate, dividendYield: model.dividendYield });
}
