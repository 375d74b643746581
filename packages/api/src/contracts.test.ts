import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  create,
  createFileRegistry,
  fromBinary,
  fromJson,
  fromJsonString,
  ScalarType,
  toBinary,
  toJson,
  toJsonString,
  type DescField,
  type DescFile,
  type DescMessage,
  type JsonObject,
  type JsonValue,
} from "@bufbuild/protobuf";
import {
  FileDescriptorSetSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import * as api from "./index.js";
import {
  AccountSummarySchema,
  ConsoleService,
  ExecutionService,
  GatewayService,
  OptionChainSchema,
  OptionRight,
  PreviewSchema,
  QuoteFlag,
  ScannerService,
  StrategyService,
  StrategySpecSchema,
  WhatIfResultSchema,
  file_spreadops_v1_common,
  file_spreadops_v1_console,
  file_spreadops_v1_execution,
  file_spreadops_v1_gateway,
  file_spreadops_v1_market,
  file_spreadops_v1_scanner,
  file_spreadops_v1_strategy,
} from "./index.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const generatedFiles: readonly DescFile[] = [
  file_spreadops_v1_common,
  file_spreadops_v1_market,
  file_spreadops_v1_gateway,
  file_spreadops_v1_scanner,
  file_spreadops_v1_strategy,
  file_spreadops_v1_execution,
  file_spreadops_v1_console,
];

// The generated code embeds descriptors without source info, so comments (and the proto as it is
// now, for drift) come from buf itself; the npm package runs offline.
function buildDescriptorSet(): FileDescriptorProto[] {
  const bin = execFileSync(
    process.execPath,
    ["node_modules/@bufbuild/buf/bin/buf", "build", "--as-file-descriptor-set", "-o", "-"],
    { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  );
  return fromBinary(FileDescriptorSetSchema, new Uint8Array(bin)).file;
}

describe("services", () => {
  type Kind = "unary" | "server_streaming";
  // What the other services call; a change here breaks a caller, so it must be deliberate.
  const expected: Record<string, Record<string, Kind>> = {
    GatewayService: {
      GetConnectionStatus: "unary",
      WatchConnectionStatus: "server_streaming",
      ResolveContract: "unary",
      SearchUniverse: "unary",
      GetQuotes: "unary",
      StreamQuotes: "server_streaming",
      GetOptionChain: "unary",
      GetHistoricalBars: "unary",
      WhatIfOrder: "unary",
      PlaceOrder: "unary",
      ModifyOrder: "unary",
      CancelOrder: "unary",
      ListOrders: "unary",
      StreamOrderEvents: "server_streaming",
      GetPositions: "unary",
      GetAccountSummary: "unary",
      GetPacingStats: "unary",
      WatchPacingStats: "server_streaming",
    },
    ScannerService: { ScanSpreads: "unary", ScanUniverse: "server_streaming" },
    StrategyService: { Evaluate: "unary", ValidateStrategy: "unary", WatchEvaluations: "server_streaming" },
    ExecutionService: {
      PreviewSpread: "unary",
      PlaceSpread: "unary",
      GetSpread: "unary",
      ListSpreads: "unary",
      CancelSpread: "unary",
      CloseSpread: "unary",
      RollSpread: "unary",
      EvaluateExits: "unary",
      StreamSpreadEvents: "server_streaming",
    },
    ConsoleService: {
      GetConsoleInfo: "unary",
      WatchResources: "server_streaming",
      ListObjectEvents: "unary",
      CheckStrategy: "unary",
      SaveStrategy: "unary",
      SetStrategyPaused: "unary",
      ApproveTrade: "unary",
      RejectTrade: "unary",
      CloseTrade: "unary",
      WatchActivity: "server_streaming",
    },
  };
  const services = { GatewayService, ScannerService, StrategyService, ExecutionService, ConsoleService };

  it.each(Object.entries(services))("%s has exactly the expected RPCs and method kinds", (name, service) => {
    const actual = Object.fromEntries(service.methods.map((m) => [m.name, m.methodKind]));
    expect(actual).toEqual(expected[name]);
    for (const m of service.methods) {
      expect(m.input.typeName).toBe(`spreadops.v1.${m.name}Request`);
      expect(m.output.typeName).toBe(`spreadops.v1.${m.name}Response`);
    }
  });

  it("index.ts exports every service, message schema and enum of the package", () => {
    const exported = api as unknown as Record<string, unknown>;
    const missing: string[] = [];
    for (const file of generatedFiles) {
      for (const s of file.services) if (exported[s.name] !== s) missing.push(s.name);
      for (const e of file.enums) {
        if (exported[`${e.name}Schema`] !== e || exported[e.name] === undefined) missing.push(e.name);
      }
      for (const m of allMessages(file.messages)) {
        if (exported[`${m.name}Schema`] !== m) missing.push(m.name);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(services).every((n) => n in exported)).toBe(true);
  });
});

describe("columnar OptionChain", () => {
  const doubleColumns = [
    "bid", "ask", "last", "bidSize", "askSize", "volume", "openInterest", "impliedVol",
    "delta", "gamma", "theta", "vega", "underlyingPriceAtQuote", "quoteAgeMs",
  ] as const;

  function sampleChain(): ReturnType<typeof create<typeof OptionChainSchema>> {
    return create(OptionChainSchema, {
      underlyingSymbol: "SPY",
      underlyingConId: 756733,
      underlyingPrice: 580.12,
      asOfDate: 20261101,
      multiplier: 100,
      minTick: 0.01,
      priceIncrements: [{ lowEdge: 0, increment: 0.01 }],
      rowCount: 3,
      conId: [1, 2, 3],
      expiry: [20261218, 20261218, 20261218],
      dte: [47, 47, 47],
      strike: [575, 580, 585],
      right: [OptionRight.PUT, OptionRight.PUT, OptionRight.CALL],
      bid: [2.1, Number.NaN, 0],
      ask: [2.2, 3.4, Number.NaN],
      last: [Number.NaN, 3.3, 0.05],
      bidSize: [10, Number.NaN, 0],
      askSize: [12, 3, Number.NaN],
      volume: [1500, 0, Number.NaN],
      openInterest: [12000, 800, Number.NaN],
      impliedVol: [0.18, Number.NaN, 0.16],
      delta: [-0.25, -0.41, Number.NaN],
      gamma: [0.01, Number.NaN, 0.02],
      theta: [-0.05, -0.07, Number.NaN],
      vega: [0.3, Number.NaN, 0.25],
      underlyingPriceAtQuote: [580.1, 580.1, Number.NaN],
      quoteAgeMs: [120, Number.NaN, 5000],
      flags: [0, QuoteFlag.NO_QUOTE, QuoteFlag.STALE | QuoteFlag.GREEKS_COMPUTED],
    });
  }

  function expectSameColumns(a: ReturnType<typeof sampleChain>, b: ReturnType<typeof sampleChain>): void {
    expect(b.rowCount).toBe(3);
    for (const col of doubleColumns) {
      expect(b[col]).toHaveLength(3);
      // toEqual treats NaN as equal to NaN, and 0 stays distinct from NaN.
      expect(b[col], col).toEqual(a[col]);
    }
    expect(b.bid[1]).toBeNaN();
    expect(b.bid[2]).toBe(0);
    expect(b.right).toEqual(a.right);
    expect(b.flags).toEqual(a.flags);
    expect(b.expiry).toEqual(a.expiry);
    expect(b.conId).toEqual(a.conId);
  }

  it("every column is a packed numeric (scalar or enum) list, numbered from 20", () => {
    const columns = OptionChainSchema.fields.filter((f) => f.number >= 20);
    expect(columns.length).toBeGreaterThanOrEqual(19);
    for (const f of columns) {
      expect(f.fieldKind, f.name).toBe("list");
      if (f.fieldKind !== "list") continue;
      expect(["scalar", "enum"], f.name).toContain(f.listKind);
      expect(f.packed, f.name).toBe(true);
    }
  });

  it("round-trips through binary, preserving NaN, zeros and lengths", () => {
    const chain = sampleChain();
    expectSameColumns(chain, fromBinary(OptionChainSchema, toBinary(OptionChainSchema, chain)));
  });

  it("round-trips through JSON, with NaN as the string \"NaN\"", () => {
    const chain = sampleChain();
    const json = toJson(OptionChainSchema, chain) as { bid: JsonValue[] };
    expect(json.bid).toEqual([2.1, "NaN", 0]);
    expectSameColumns(chain, fromJsonString(OptionChainSchema, toJsonString(OptionChainSchema, chain)));
  });

  it("encodes a column as one packed record, not one tag per row", () => {
    const only = create(OptionChainSchema, { strike: [575, 580, 585] });
    // tag (field 23, length-delimited) = 2 bytes, length = 1 byte, 3 × 8 bytes of doubles.
    expect(toBinary(OptionChainSchema, only)).toHaveLength(2 + 1 + 24);
  });
});

describe("unknown is not zero", () => {
  it.each([
    ["WhatIfResult", WhatIfResultSchema],
    ["AccountSummary", AccountSummarySchema],
  ] as const)("every double of %s has explicit presence", (_name, schema) => {
    const doubles = schema.fields.filter((f) => f.fieldKind === "scalar" && f.scalar === ScalarType.DOUBLE);
    expect(doubles.length).toBeGreaterThan(0);
    for (const f of doubles) expect(f.proto.proto3Optional, f.name).toBe(true);
  });

  it("Preview keeps unknown margin and commission apart from 0", () => {
    const unknown = fromBinary(PreviewSchema, toBinary(PreviewSchema, create(PreviewSchema, {})));
    expect(unknown.initMargin).toBeUndefined();
    expect(unknown.maintMargin).toBeUndefined();
    expect(unknown.commissionUsd).toBeUndefined();
    const zero = fromBinary(
      PreviewSchema,
      toBinary(PreviewSchema, create(PreviewSchema, { initMargin: 0, maintMargin: 0, commissionUsd: 0 })),
    );
    expect(zero.initMargin).toBe(0);
    expect(zero.commissionUsd).toBe(0);
  });
});

describe("StrategySpec mirrors the Strategy CR spec", () => {
  // ARCHITECTURE.md §2's example, with enums and durations in their protobuf JSON form.
  const crExample: JsonObject = {
    paused: false,
    mode: "TRADING_MODE_PAPER",
    universe: { symbols: ["SPY", "QQQ", "IWM"], minPrice: 20, minAvgVolume: 1000000, minMarketCap: 10000000000 },
    schedule: { scanInterval: "300s", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
    entry: [
      { indicator: "INDICATOR_RSI", period: 14, below: 30, direction: "DIRECTION_BULLISH" },
      { indicator: "INDICATOR_SMA_CROSS", fast: 20, slow: 50, direction: "DIRECTION_BULLISH" },
    ],
    spread: {
      kind: "SPREAD_KIND_SELECTION_AUTO",
      creditWhenIvPercentileAbove: 80,
      dte: { min: 30, max: 60 },
      shortDelta: { min: 0.25, max: 0.35 },
      width: { min: 1, max: 10 },
    },
    filters: {
      minVolume: 100,
      minOpenInterest: 500,
      maxBidAskSpread: 0.1,
      minIvPercentile: 50,
      thetaAbove: -0.05,
      maxGamma: 0.08,
      minProbabilityOfProfit: 0.6,
      minReturnOnRisk: 0.2,
    },
    risk: {
      maxOpenTrades: 5,
      maxRiskPerTrade: 500,
      maxDailyLoss: 1000,
      stopLossAtrMultiple: 2,
      takeProfitPercent: 50,
      exitAtDte: 7,
      roll: { enabled: false, atDte: 10 },
    },
    execution: { approval: "APPROVAL_MANUAL", limitOffset: 0.02, walk: { steps: 3, every: "20s" } },
  };

  // Every key of the CR spec, as JSON paths. `filters` is the scanner's FilterSet, a superset of
  // the CR example's filter keys, so it is checked by the strict parse alone.
  const crPaths = [
    "paused", "mode",
    "universe", "universe.symbols", "universe.minPrice", "universe.minAvgVolume", "universe.minMarketCap",
    "schedule", "schedule.scanInterval", "schedule.timezone", "schedule.window", "schedule.window.start",
    "schedule.window.end",
    "entry", "entry.indicator", "entry.period", "entry.fast", "entry.slow", "entry.above", "entry.below",
    "entry.multiple", "entry.direction",
    "spread", "spread.kind", "spread.creditWhenIvPercentileAbove", "spread.dte", "spread.dte.min",
    "spread.dte.max", "spread.shortDelta", "spread.shortDelta.min", "spread.shortDelta.max", "spread.width",
    "spread.width.min", "spread.width.max",
    "filters",
    "risk", "risk.maxOpenTrades", "risk.maxRiskPerTrade", "risk.maxDailyLoss", "risk.stopLossAtrMultiple",
    "risk.takeProfitPercent", "risk.exitAtDte", "risk.roll", "risk.roll.enabled", "risk.roll.atDte",
    "execution", "execution.approval", "execution.limitOffset", "execution.walk", "execution.walk.steps",
    "execution.walk.every",
  ];

  function jsonPaths(message: DescMessage, prefix: string): string[] {
    const out: string[] = [];
    for (const f of message.fields) {
      const path = prefix + f.jsonName;
      out.push(path);
      const child = f.fieldKind === "message" ? f.message : f.fieldKind === "list" && f.listKind === "message" ? f.message : undefined;
      if (child && child.typeName.startsWith("spreadops.") && path !== "filters") out.push(...jsonPaths(child, `${path}.`));
    }
    return out;
  }

  it("has exactly the CR's fields, with the CR's JSON names", () => {
    expect(jsonPaths(StrategySpecSchema, "").sort()).toEqual([...crPaths].sort());
  });

  it("parses the CR example strictly (unknown keys would throw)", () => {
    const spec = fromJson(StrategySpecSchema, crExample);
    expect(spec.universe?.minMarketCap).toBe(10000000000);
    expect(spec.schedule?.scanInterval?.seconds).toBe(300n);
    expect(spec.entry[1]?.fast).toBe(20);
    expect(spec.filters?.thetaAbove).toBe(-0.05);
    expect(spec.filters?.minIvRank).toBeUndefined();
    expect(spec.risk?.roll?.atDte).toBe(10);
    expect(spec.execution?.walk?.every?.seconds).toBe(20n);
  });
});

describe("proto source", () => {
  let all: FileDescriptorProto[] = [];
  let built: FileDescriptorProto[] = [];
  beforeAll(() => {
    all = buildDescriptorSet();
    built = all.filter((f) => f.name.startsWith("spreadops/"));
  });

  it("has a leading comment on every service, RPC, message, field, oneof, enum and enum value", () => {
    const missing: string[] = [];
    for (const file of built) missing.push(...uncommented(file));
    expect(missing).toEqual([]);
    expect(built.map((f) => f.name).sort()).toEqual(generatedFiles.map((f) => f.name + ".proto").sort());
  });

  it("matches the generated code (run `npx buf generate` after editing proto/)", () => {
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: all }));
    for (const generated of generatedFiles) {
      // DescFile names drop the ".proto" suffix.
      const fresh = registry.getFile(`${generated.name}.proto`);
      expect(fresh, generated.name).toBeDefined();
      if (fresh) expect(shape(generated), generated.name).toEqual(shape(fresh));
    }
  });
});

function allMessages(messages: readonly DescMessage[]): DescMessage[] {
  return messages.flatMap((m) => [m, ...allMessages(m.nestedMessages)]);
}

function fieldShape(f: DescField): string {
  const type =
    f.fieldKind === "scalar" ? `s${f.scalar}`
    : f.fieldKind === "enum" ? f.enum.typeName
    : f.fieldKind === "message" ? f.message.typeName
    : f.fieldKind === "list" ? `list:${f.listKind === "scalar" ? `s${f.scalar}` : f.listKind === "enum" ? f.enum.typeName : f.message.typeName}:${f.packed}`
    : `map:${f.mapKey}`;
  return `${f.number} ${f.name} ${type} ${f.oneof?.name ?? ""} ${f.proto.proto3Optional}`;
}

function shape(file: DescFile): unknown {
  return {
    messages: allMessages(file.messages).map((m) => ({ name: m.typeName, fields: m.fields.map(fieldShape) })),
    enums: file.enums.map((e) => ({ name: e.typeName, values: e.values.map((v) => `${v.number} ${v.name}`) })),
    services: file.services.map((s) => ({
      name: s.typeName,
      methods: s.methods.map((m) => `${m.name} ${m.methodKind} ${m.input.typeName} ${m.output.typeName}`),
    })),
  };
}

// SourceCodeInfo paths: FileDescriptorProto message_type = 4, enum_type = 5, service = 6;
// DescriptorProto field = 2, nested_type = 3, enum_type = 4, oneof_decl = 8;
// EnumDescriptorProto value = 2; ServiceDescriptorProto method = 2.
function uncommented(file: FileDescriptorProto): string[] {
  const comments = new Map<string, string>();
  for (const loc of file.sourceCodeInfo?.location ?? []) {
    comments.set(loc.path.join("."), loc.leadingComments);
  }
  const missing: string[] = [];
  const check = (path: number[], what: string): void => {
    if ((comments.get(path.join(".")) ?? "").trim() === "") missing.push(`${file.name}: ${what}`);
  };
  const checkEnum = (e: EnumDescriptorProto, path: number[], scope: string): void => {
    check(path, `enum ${scope}${e.name}`);
    e.value.forEach((v, i) => { check([...path, 2, i], `enum value ${scope}${e.name}.${v.name}`); });
  };
  const checkMessage = (m: DescriptorProto, path: number[], scope: string): void => {
    const name = `${scope}${m.name}`;
    check(path, `message ${name}`);
    m.field.forEach((f, i) => { check([...path, 2, i], `field ${name}.${f.name}`); });
    m.oneofDecl.forEach((o, i) => {
      // proto3 `optional` creates a synthetic oneof with no source of its own.
      const synthetic = m.field.some((f) => f.oneofIndex === i && f.proto3Optional);
      if (!synthetic) check([...path, 8, i], `oneof ${name}.${o.name}`);
    });
    m.nestedType.forEach((n, i) => { checkMessage(n, [...path, 3, i], `${name}.`); });
    m.enumType.forEach((e, i) => { checkEnum(e, [...path, 4, i], `${name}.`); });
  };
  file.messageType.forEach((m, i) => { checkMessage(m, [4, i], ""); });
  file.enumType.forEach((e, i) => { checkEnum(e, [5, i], ""); });
  file.service.forEach((s, i) => {
    check([6, i], `service ${s.name}`);
    s.method.forEach((m, j) => { check([6, i, 2, j], `rpc ${s.name}.${m.name}`); });
  });
  return missing;
}
