export { CoreScanEngine, type CoreScanEngineOptions } from "./engine.js";
export { DEFAULT_CREDIT_THRESHOLD, resolveKinds, type KindResolution } from "./kind-choice.js";
