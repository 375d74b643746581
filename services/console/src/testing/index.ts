// Test-only helpers of the console's tests.
export * from "./fake-upstreams.js";
export * from "./fixtures.js";
export * from "./harness.js";
