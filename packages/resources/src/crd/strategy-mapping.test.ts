import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { reflect, isReflectMessage, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { ProposalSchema, SpreadKind, StrategySpecSchema, type Proposal } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../store/types.js";
import { tradeCrd } from "./crd-manifests.js";
import {
  CrFieldError,
  evaluateExitsRequestFor,
  fromStrategySpecProto,
  placeSpreadRequestFor,
  toStrategySpecProto,
  tradeNameFor,
  tradeSpecFromProposal,
  tradeSpecToProto,
} from "./strategy-mapping.js";
import { tradeObject } from "./test-fixtures.js";
import type { StrategyResource, StrategySpec, TradeResource } from "./types.js";
import { compileCrdValidator } from "./validate.js";

/** Every CR field set, each to a value that is not a proto default (0, false, ""). */
const FULL_SPEC: StrategySpec = {
  paused: true,
  mode: "live",
  universe: { symbols: ["SPY", "QQQ"], minPrice: 20, minAvgVolume: 1_000_000, minMarketCap: 10_000_000_000 },
  schedule: { scanInterval: "1h30m", timezone: "America/Chicago", window: { start: "09:45", end: "15:45" } },
  entry: [
    { indicator: "rsi", period: 14, above: 20, below: 30, direction: "bullish" },
    { indicator: "smaCross", fast: 20, slow: 50, period: 5, direction: "bullish" },
    { indicator: "atrMove", period: 14, multiple: 1.5, direction: "bullish" },
  ],
  spread: { kind: "bullCall", creditWhenIvPercentileAbove: 80, dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } },
  filters: {
    longDelta: { min: 0.05, max: 0.2 }, vega: { min: -0.5, max: 0.5 }, minVolume: 100, minOpenInterest: 500, maxBidAskSpread: 0.1,
    maxBidAskSpreadPercent: 10, minIvPercentile: 50, minIvRank: 40, thetaAbove: -0.05, maxGamma: 0.08, minProbabilityOfProfit: 0.6,
    minReturnOnRisk: 0.2, minCreditToWidth: 0.3, maxDebitToWidth: 0.5, minExpectedValue: 0.01,
  },
  risk: { maxOpenTrades: 5, maxRiskPerTrade: 500, maxDailyLoss: 1000, stopLossAtrMultiple: 2, takeProfitPercent: 50, exitAtDte: 7, roll: { enabled: true, atDte: 10 } },
  execution: { approval: "auto", limitOffset: 0.02, walk: { steps: 3, every: "20s" } },
  onDelete: "closeOpenTrades",
};

const isDuration = (desc: DescMessage): boolean => desc.typeName === "google.protobuf.Duration";

/** Every leaf field path of a message type (repeated messages contribute their fields once). */
function descriptorLeaves(desc: DescMessage, prefix = ""): string[] {
  return desc.fields.flatMap((field) => {
    const path = `${prefix}${field.localName}`;
    const nested = field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message") ? field.message : undefined;
    return nested === undefined || isDuration(nested) ? [path] : descriptorLeaves(nested, `${path}.`);
  });
}

/** The leaf paths set in a message (in any element of a repeated field). */
function setLeaves(message: ReflectMessage, prefix = "", out = new Set<string>()): Set<string> {
  for (const field of message.fields) {
    if (!message.isSet(field)) continue;
    const path = `${prefix}${field.localName}`;
    if (field.fieldKind === "message" && !isDuration(field.message)) {
      setLeaves(message.get(field), `${path}.`, out);
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      for (const item of message.get(field)) if (isReflectMessage(item)) setLeaves(item, `${path}.`, out);
    } else {
      out.add(path);
    }
  }
  return out;
}

describe("toStrategySpecProto", () => {
  it("reaches every field of the proto StrategySpec from some CR field (descriptor-driven)", () => {
    const proto = toStrategySpecProto(FULL_SPEC);
    const reached = setLeaves(reflect(StrategySpecSchema, proto));
    const unreached = descriptorLeaves(StrategySpecSchema).filter((path) => !reached.has(path));
    expect(unreached, "proto fields no CR field maps to: add them to the CRD schema and strategy-mapping.ts").toEqual([]);
    // The walk itself must see the nested messages, or the check above proves nothing.
    expect(descriptorLeaves(StrategySpecSchema)).toEqual(expect.arrayContaining(["filters.dte.min", "entry.multiple", "execution.walk.every", "risk.roll.atDte"]));
  });

  it("converts enums, durations and ranges to the proto's values", () => {
    const proto = toStrategySpecProto(FULL_SPEC);
    // Numbers from proto/spreadops/v1: TRADING_MODE_LIVE = 2, SPREAD_KIND_SELECTION_BULL_CALL = 4,
    // INDICATOR_SMA_CROSS = 4, DIRECTION_BULLISH = 1, APPROVAL_AUTO = 2.
    expect(proto.mode).toBe(2);
    expect(proto.spread?.kind).toBe(4);
    expect(proto.entry.map((rule) => rule.indicator)).toEqual([1, 4, 6]);
    expect(proto.entry[1]).toMatchObject({ fast: 20, slow: 50, period: 5, direction: 1 });
    expect(proto.execution?.approval).toBe(2);
    expect(proto.schedule?.scanInterval).toMatchObject({ seconds: 5400n, nanos: 0 });
    expect(proto.execution?.walk?.every).toMatchObject({ seconds: 20n, nanos: 0 });
    expect(proto.filters?.dte).toMatchObject({ min: 30, max: 60 });
    expect(proto.filters?.shortDelta).toMatchObject({ min: 0.25, max: 0.35 });
    expect(proto.filters?.width).toMatchObject({ min: 1, max: 10 });
    expect(proto.filters?.thetaAbove).toBe(-0.05);
    expect(proto.risk?.roll).toMatchObject({ enabled: true, atDte: 10 });
  });

  it("reads fractional and millisecond durations exactly", () => {
    const at = (scanInterval: string) => toStrategySpecProto({ ...FULL_SPEC, schedule: { ...FULL_SPEC.schedule, scanInterval } }).schedule?.scanInterval;
    expect(at("250ms")).toMatchObject({ seconds: 0n, nanos: 250_000_000 });
    expect(at("1.5s")).toMatchObject({ seconds: 1n, nanos: 500_000_000 });
    expect(at("2h5m3s")).toMatchObject({ seconds: 7503n, nanos: 0 });
  });

  it("leaves unset optional CR fields unset in the proto (unknown, never zero)", () => {
    const minimal: StrategySpec = {
      mode: "paper", universe: {}, schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
      entry: [], spread: { kind: "auto", dte: {}, shortDelta: {}, width: {} }, risk: {}, execution: { approval: "manual" },
    };
    const proto = toStrategySpecProto(minimal);
    expect(proto.paused).toBe(false);
    expect(proto.universe?.minPrice).toBeUndefined();
    expect(proto.risk?.maxOpenTrades).toBeUndefined();
    expect(proto.risk?.roll).toBeUndefined();
    expect(proto.filters?.minVolume).toBeUndefined();
    expect(proto.spread?.dte?.min).toBeUndefined();
    expect(proto.execution?.walk).toBeUndefined();
  });

  it("round-trips every value through the proto and its wire format (onDelete has no proto field)", () => {
    const wire = fromBinary(StrategySpecSchema, toBinary(StrategySpecSchema, toStrategySpecProto(FULL_SPEC)));
    const { onDelete: _onDelete, ...expected } = FULL_SPEC;
    expect(fromStrategySpecProto(wire)).toEqual(expected);
  });

  it("names the CR field of a bad duration or enum", () => {
    for (const scanInterval of ["5", "5 m", "1d", "", "-5m"]) {
      const attempt = () => toStrategySpecProto({ ...FULL_SPEC, schedule: { ...FULL_SPEC.schedule, scanInterval } });
      expect(attempt).toThrow(CrFieldError);
      expect(attempt).toThrow(`spec.schedule.scanInterval: expected a duration such as "20s", "5m" or "1h30m" (units ms, s, m, h), got ${JSON.stringify(scanInterval)}`);
    }
    expect(() => toStrategySpecProto({ ...FULL_SPEC, execution: { approval: "auto", walk: { steps: 2, every: "soon" } } })).toThrow(/^spec\.execution\.walk\.every: .*got "soon"$/);
    expect(() => toStrategySpecProto({ ...FULL_SPEC, mode: "demo" as "paper" })).toThrow('spec.mode: expected one of paper, live, got "demo"');
    const badRule = { ...FULL_SPEC.entry[0]!, indicator: "macd" as "rsi" };
    expect(() => toStrategySpecProto({ ...FULL_SPEC, entry: [FULL_SPEC.entry[0]!, badRule] })).toThrow(/^spec\.entry\[1\]\.indicator: /);
  });
});

// ---------------------------------------------------------------------------------------------

const strategy = (spec: Partial<StrategySpec> = {}): StrategyResource => ({
  apiVersion: "trading.spreadops.dev/v1alpha1",
  kind: "Strategy",
  metadata: { name: "spy-bull-put", namespace: "trading", uid: "0b5e7f9c-3c1a-4a8e-8f5e-1c2d3e4f5a6b" },
  spec: { ...structuredClone(FULL_SPEC), mode: "paper", spread: { ...FULL_SPEC.spread, kind: "bullPut" }, ...spec },
});

function proposal(overrides: Omit<MessageInitShape<typeof ProposalSchema>, "$typeName"> = {}): Proposal {
  return create(ProposalSchema, {
    proposalKey: "trading/spy-bull-put/SPY 20261218 P 580/575/20261102",
    symbol: "SPY",
    quantity: 2,
    reason: "RSI(14) 27.4 < 30: bullish → bull put",
    candidate: {
      key: "SPY 20261218 P 580/575",
      underlyingSymbol: "SPY",
      kind: SpreadKind.BULL_PUT,
      expiry: 20261218,
      shortLeg: { conId: 712001, strike: 580 },
      longLeg: { conId: 712002, strike: 575 },
      limitPrice: 1.25,
      width: 5,
    },
    ...overrides,
  });
}

describe("tradeSpecFromProposal", () => {
  it("builds the Trade spec with the strategy's mode, execution and exits, approved under auto", () => {
    const spec = tradeSpecFromProposal(strategy(), proposal());
    expect(spec).toEqual({
      strategyRef: "spy-bull-put",
      underlying: "SPY",
      kind: "bullPut",
      expiry: "2026-12-18",
      shortStrike: 580,
      longStrike: 575,
      shortConId: 712001,
      longConId: 712002,
      quantity: 2,
      limitPrice: 1.25,
      mode: "paper",
      approved: true,
      close: false,
      execution: { limitOffset: 0.02, walk: { steps: 3, every: "20s" } },
      exits: { stopLossAtrMultiple: 2, takeProfitPercent: 50, exitAtDte: 7, roll: { enabled: true, atDte: 10 } },
      reason: "RSI(14) 27.4 < 30: bullish → bull put",
    });
  });

  it("gives a Trade the CRD accepts, left unapproved under manual approval", () => {
    const owner = strategy({ execution: { approval: "manual" } });
    const spec = tradeSpecFromProposal(owner, proposal());
    expect(spec.approved).toBe(false);
    expect(spec.execution).toBeUndefined();
    const trade: KubeObject = { apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Trade", metadata: { name: tradeNameFor("spy-bull-put", proposal()) }, spec };
    expect(compileCrdValidator(tradeCrd()).validate(trade).causes).toEqual([]);
  });

  it("copies the settings: a later Strategy change does not reach the Trade", () => {
    const owner = strategy();
    const spec = tradeSpecFromProposal(owner, proposal());
    owner.spec!.risk.roll!.atDte = 3;
    owner.spec!.execution.walk!.steps = 9;
    expect(spec.exits?.roll?.atDte).toBe(10);
    expect(spec.execution?.walk?.steps).toBe(3);
  });

  it("refuses a proposal without a concrete spread", () => {
    expect(() => tradeSpecFromProposal(strategy(), proposal({ candidate: undefined }))).toThrow(/^proposal\.candidate: missing$/);
    const unspecified = proposal();
    unspecified.candidate!.kind = SpreadKind.UNSPECIFIED;
    expect(() => tradeSpecFromProposal(strategy(), unspecified)).toThrow(/^proposal\.candidate\.kind: /);
    expect(() => tradeSpecFromProposal(strategy(), proposal({ quantity: 0 }))).toThrow(/^proposal\.quantity: /);
  });
});

describe("tradeNameFor", () => {
  const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

  it("is deterministic, readable and a DNS-1123 label", () => {
    const name = tradeNameFor("spy-bull-put", proposal());
    expect(tradeNameFor("spy-bull-put", proposal())).toBe(name);
    expect(name).toMatch(/^spy-bull-put-spy-261218-[0-9a-f]{8}$/);
    expect(name).toMatch(DNS_LABEL);
  });

  it("differs for another proposal key (the same spread on another day)", () => {
    const tomorrow = proposal({ proposalKey: "trading/spy-bull-put/SPY 20261218 P 580/575/20261103" });
    expect(tradeNameFor("spy-bull-put", tomorrow)).not.toBe(tradeNameFor("spy-bull-put", proposal()));
  });

  it("cuts a long name to 63 characters and keeps the hash", () => {
    const longName = `a-very-long-strategy-name-for-the-${"x".repeat(40)}.example`;
    const name = tradeNameFor(longName, proposal({ symbol: "BRK.B", candidate: { ...proposal().candidate!, underlyingSymbol: "BRK.B" } }));
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS_LABEL);
    expect(name).toMatch(/^a-very-long-strategy-name-for-the-x+-[0-9a-f]{8}$/);
  });

  it("accepts a bare proposal key, and refuses an empty one", () => {
    expect(tradeNameFor("Spy.Bull", "k")).toMatch(/^spy-bull-[0-9a-f]{8}$/);
    expect(() => tradeNameFor("spy", proposal({ proposalKey: "" }))).toThrow(/^proposal\.proposalKey: /);
  });
});

describe("Trade → execution", () => {
  const trade = (): TradeResource => {
    const object = tradeObject({ execution: { walk: { steps: 2, every: "15s" } }, exits: { takeProfitPercent: 50, exitAtDte: 7, roll: { enabled: true, atDte: 10 } } });
    return object as unknown as TradeResource;
  };

  it("maps the spread to the execution TradeSpec", () => {
    const proto = tradeSpecToProto(trade(), "6f1c9a52-2d1e-4c1b-9a57-0d1f2e3a4b5c");
    // SPREAD_KIND_BULL_PUT = 1, TRADING_MODE_PAPER = 1 in common.proto.
    expect(proto).toMatchObject({
      tradeId: "6f1c9a52-2d1e-4c1b-9a57-0d1f2e3a4b5c", strategyRef: "default/spy-bull-put", underlying: "SPY", kind: 1, expiry: 20261218,
      shortStrike: 580, longStrike: 575, quantity: 1, limitPrice: 1.25, mode: 1, shortConId: 0, longConId: 0, nonGuaranteed: false,
    });
  });

  it("refuses a bad trade id or expiry, naming the field", () => {
    expect(() => tradeSpecToProto(trade(), "x".repeat(41))).toThrow(/^metadata\.uid: /);
    const bad = trade();
    bad.spec!.expiry = "18.12.2026";
    expect(() => tradeSpecToProto(bad, "id")).toThrow('spec.expiry: expected a date YYYY-MM-DD, got "18.12.2026"');
  });

  it("places with the copied walk", () => {
    const request = placeSpreadRequestFor(trade(), "id-1", true);
    expect(request.automatic).toBe(true);
    expect(request.walk).toMatchObject({ steps: 2, every: { seconds: 15n, nanos: 0 } });
    expect(request.trade?.tradeId).toBe("id-1");
  });

  it("evaluates exits with the copied rules only", () => {
    const request = evaluateExitsRequestFor(trade(), "id-1");
    expect(request.tradeId).toBe("id-1");
    expect(request.rules).toMatchObject({ takeProfitPercent: 50, exitAtDte: 7, roll: { enabled: true, atDte: 10 } });
    expect(request.rules?.stopLossAtrMultiple).toBeUndefined();
    expect(request.rules?.maxOpenTrades).toBeUndefined();
  });
});
