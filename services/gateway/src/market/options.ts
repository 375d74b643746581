import { z } from "zod";
import { duration, option, type ConfigOf } from "@spreadops/runtime";
import type { MarketDataOptions } from "./market-data-service.js";

const PREFIX = "SPREADOPS_GATEWAY_";

/** The market-data area's budgets as service options (spread into the gateway's options). */
export const marketDataOptions = {
  mdLineLimit: option({
    type: z.number().int().min(1).max(10_000),
    env: `${PREFIX}MD_LINE_LIMIT`,
    flag: "--md-line-limit",
    default: 100,
    description: "Market-data lines the gateway may hold at once (the account's limit; lowered at run time after error 101).",
  }),
  mdIdleLineTtl: option({
    type: duration({ min: "1s" }),
    env: `${PREFIX}MD_IDLE_LINE_TTL`,
    flag: "--md-idle-line-ttl",
    default: "5m",
    description: "How long a released line stays subscribed (warm, evictable) before it is cancelled at TWS.",
  }),
  mdSnapshotsPerSecond: option({
    type: z.number().int().min(1).max(100),
    env: `${PREFIX}MD_SNAPSHOTS_PER_SECOND`,
    flag: "--md-snapshots-per-second",
    default: 90,
    description: "Snapshot requests per second (IB refuses more than 100).",
  }),
  chainTtl: option({
    type: duration({ min: "1s" }),
    env: `${PREFIX}CHAIN_TTL`,
    flag: "--chain-ttl",
    default: "60s",
    description: "How long cached option quotes serve later chain requests.",
  }),
  chainMaxContracts: option({
    type: z.number().int().min(1).max(10_000),
    env: `${PREFIX}CHAIN_MAX_CONTRACTS`,
    flag: "--chain-max-contracts",
    default: 400,
    description: "Contracts one option-chain request may ask TWS for at most.",
  }),
  historicalMaxWait: option({
    type: duration({ min: "1s" }),
    env: `${PREFIX}HISTORICAL_MAX_WAIT`,
    flag: "--historical-max-wait",
    default: "60s",
    description: "Longest a historical request waits for IB's pacing before ResourceExhausted.",
  }),
};

/** The area's settings from parsed options. */
export function marketDataSettings(config: ConfigOf<typeof marketDataOptions>): MarketDataOptions {
  return {
    lineLimit: config.mdLineLimit,
    idleLineTtlMs: config.mdIdleLineTtl,
    snapshotsPerSecond: config.mdSnapshotsPerSecond,
    chainTtlMs: config.chainTtl,
    chainMaxContracts: config.chainMaxContracts,
    historicalMaxWaitMs: config.historicalMaxWait,
  };
}
