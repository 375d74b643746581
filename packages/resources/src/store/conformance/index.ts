// The conformance suite imports vitest, so it is exported here and not from the package index.
export { resourceStoreConformance } from "./suite.js";
export type { ConformanceCapabilities, ConformanceTarget } from "./suite.js";
