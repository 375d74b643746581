import { describe, expect, it } from "vitest";

import { ExecutionStore, type ExecutionReport } from "./executions.js";
import type { ContractView } from "./order-types.js";

const contract = (symbol: string, secType: ContractView["secType"]): ContractView => ({
  conId: 1,
  symbol,
  secType,
  lastTradeDateOrContractMonth: "",
  strike: 0,
  right: "",
  multiplier: 1,
  exchange: "CBOE",
  primaryExchange: "",
  currency: "USD",
  localSymbol: "",
  tradingClass: "",
  comboLegs: [],
});

const exec = (execId: string, clientId: number, time: number, symbol: string, secType: ContractView["secType"], side: "BOT" | "SLD"): ExecutionReport => ({
  execId,
  orderId: 1,
  clientId,
  permId: 1,
  account: "DU1",
  contract: contract(symbol, secType),
  time,
  exchange: "CBOE",
  side,
  shares: 1,
  price: 1,
  cumQty: 1,
  avgPrice: 1,
  orderRef: "",
  liquidation: 0,
  lastLiquidity: 2,
  evRule: "",
  evMultiplier: 0,
  modelCode: "",
  comboLevel: false,
});

describe("execution filter (reqExecutions)", () => {
  const store = new ExecutionStore();
  store.add({ execution: exec("a", 1, 100, "SPY", "OPT", "BOT"), commissionReport: undefined });
  store.add({ execution: exec("b", 2, 200, "QQQ", "STK", "SLD"), commissionReport: undefined });
  store.add({ execution: exec("c", 1, 300, "SPY", "BAG", "BOT"), commissionReport: undefined });
  const ids = (filter: Parameters<ExecutionStore["list"]>[0]): string[] => store.list(filter).map((r) => r.execution.execId);

  it("empty fields and clientId 0 match everything", () => {
    expect(ids({ clientId: 0, account: "", symbol: "", secType: "", exchange: "", side: "" })).toEqual(["a", "b", "c"]);
  });

  it("filters by client, time, symbol, secType, exchange and side (BUY = BOT)", () => {
    expect(ids({ clientId: 1 })).toEqual(["a", "c"]);
    expect(ids({ since: 200 })).toEqual(["b", "c"]);
    expect(ids({ symbol: "spy", secType: "BAG" })).toEqual(["c"]);
    expect(ids({ side: "SELL" })).toEqual(["b"]);
    expect(ids({ side: "BOT", exchange: "cboe" })).toEqual(["a", "c"]);
    expect(ids({ account: "DU2" })).toEqual([]);
  });
});
