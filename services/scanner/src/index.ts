export type { ScanInput, SpreadScanEngine } from "./engine-port.js";
