export * from "./store/types.js";
export * from "./crd/types.js";
