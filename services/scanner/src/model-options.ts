import { z } from "zod";
import { option, type ConfigOf } from "@spreadops/runtime";

/**
 * The probability model's market inputs, shared by the service and offline scans. Probability of
 * profit and expected value use a lognormal model with drift r − q; a chain carries neither rate,
 * so they are configured here (per-underlying dividend yields are not modelled yet).
 */
export const modelOptions = {
  riskFreeRate: option({
    type: z.number().min(-0.05).max(0.25),
    env: "SPREADOPS_SCANNER_RISK_FREE_RATE",
    flag: "--risk-free-rate",
    default: 0.04,
    description: "Risk-free rate r, continuously compounded per year, for probability of profit and expected value.",
  }),
  dividendYield: option({
    type: z.number().min(0).max(0.25),
    env: "SPREADOPS_SCANNER_DIVIDEND_YIELD",
    flag: "--dividend-yield",
    default: 0,
    description: "Dividend yield q, continuously compounded per year, applied to every underlying.",
  }),
};

/** The model settings from parsed options. */
export type ModelConfig = ConfigOf<typeof modelOptions>;
