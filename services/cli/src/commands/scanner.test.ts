import { readFileSync } from "node:fs";
import { create, toJsonString } from "@bufbuild/protobuf";
import { OptionChainSchema, OptionRight, ScanResultSchema, SpreadCandidateSchema, SpreadKindSelection } from "@spreadops/api";
import type { ScanInput, SpreadScanEngine } from "@spreadops/scanner";
import { describe, expect, it } from "vitest";
import type { CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { documentedOptions, helpOptions } from "../testing/options-docs.js";
import { scannerCommand } from "./scanner.js";

const DOCS = new URL("../../../../docs/scanner.md", import.meta.url);

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

const CHAIN = toJsonString(
  OptionChainSchema,
  create(OptionChainSchema, {
    underlyingSymbol: "SPY",
    underlyingConId: 756733,
    underlyingPrice: 600,
    asOfDate: 20260310,
    multiplier: 100,
    minTick: 0.01,
    rowCount: 2,
    conId: [1, 2],
    expiry: [20260417, 20260417],
    dte: [38, 38],
    strike: [570, 575],
    right: [OptionRight.PUT, OptionRight.PUT],
    bid: [1.5, 2],
    ask: [1.6, 2.1],
    last: [Number.NaN, Number.NaN],
    bidSize: [10, 10],
    askSize: [10, 10],
    volume: [100, 100],
    openInterest: [1000, 1000],
    impliedVol: [0.2, 0.19],
    delta: [-0.18, -0.22],
    gamma: [0.01, 0.01],
    theta: [-0.1, -0.1],
    vega: [0.5, 0.5],
    underlyingPriceAtQuote: [600, 600],
    quoteAgeMs: [0, 0],
    flags: [0, 0],
  }),
);

/** An engine that returns one candidate and remembers what it got. */
function recordingEngine(): { engine: () => SpreadScanEngine; inputs: ScanInput[] } {
  const inputs: ScanInput[] = [];
  return {
    inputs,
    engine: () => ({
      scan: (input) => {
        inputs.push(input);
        return create(ScanResultSchema, {
          underlyingSymbol: input.chain.underlyingSymbol,
          underlyingPrice: 600,
          candidates: [create(SpreadCandidateSchema, { key: "SPY 20260417 P 575/570", rank: 1, score: 0.61, width: 5, limitPrice: 0.45, dte: 38 })],
          diagnostics: { rowsInChain: input.chain.rowCount, rowsUsable: 2, pairsEvaluated: 1, pairsPassed: 1 },
        });
      },
    }),
  };
}

async function run(argv: string[], files: Record<string, string> = { "spy.json": CHAIN }, engine = recordingEngine().engine): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { argv, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), signals: { on: () => undefined, off: () => undefined } };
  const readText = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
    return text;
  };
  const code = await scannerCommand("0.0.0-test", { engine, readText }).run(io);
  return { code, out: out.join(""), err: err.join("") };
}

describe("spreadops scanner --help and docs/scanner.md", () => {
  it("document the same service flags with the same env vars and defaults", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain("scan --chain FILE");
    const help = helpOptions(out);
    const docs = documentedOptions(readFileSync(DOCS, "utf8"), "## Options");
    expect(help.size).toBeGreaterThan(8);
    expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
    for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
  });

  it("document the same offline-scan flags and defaults", async () => {
    const { code, out } = await run(["scan", "--help"]);
    expect(code).toBe(ExitCode.ok);
    const help = helpOptions(out);
    const docs = documentedOptions(readFileSync(DOCS, "utf8"), "### Options of `scan`");
    expect(help.size).toBe(12);
    expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
    for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
  });

  it("the serve sub-command takes the same flags", async () => {
    const { code, out } = await run(["serve", "--help"]);
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain("--gateway-url");
  });
});

describe("spreadops scanner scan", () => {
  it("prints the ranked candidates as a table, with filters and settings from flags, inline JSON and files", async () => {
    const recorded = recordingEngine();
    const files = { "spy.json": CHAIN, "filters.json": '{"dte": {"min": 20, "max": 60}, "shortDelta": {"min": 0.15, "max": 0.4}}' };
    const { code, out, err } = await run(["scan", "--chain", "spy.json", "--filters", "filters.json", "--settings", '{"kind": "SPREAD_KIND_SELECTION_BULL_PUT", "limitOffset": 0.01}', "--top-k", "3"], files, recorded.engine);
    expect(err).toBe("");
    expect(code).toBe(ExitCode.ok);
    expect(out).toMatch(/^SPY @ 600\.00: 1 candidates/);
    expect(out).toContain("SPY 20260417 P 575/570");
    const input = recorded.inputs[0];
    expect(input?.chain.strike).toEqual([570, 575]);
    expect(Number.isNaN(input?.chain.last[0])).toBe(true);
    expect(input?.filters?.shortDelta).toMatchObject({ min: 0.15, max: 0.4 });
    expect(input?.settings).toMatchObject({ kind: SpreadKindSelection.BULL_PUT, limitOffset: 0.01, topK: 3 });
    expect(input?.deadlineMs).toBeGreaterThan(Date.now());
  });

  it("prints proto JSON with --json and accepts a saved GetOptionChainResponse", async () => {
    const { code, out } = await run(["scan", "--chain", "resp.json", "--kind", "bull-put", "--json"], { "resp.json": `{"chain": ${CHAIN}, "fromCache": true}` });
    expect(code).toBe(ExitCode.ok);
    expect(JSON.parse(out)).toMatchObject({ underlyingSymbol: "SPY", candidates: [{ key: "SPY 20260417 P 575/570", rank: 1 }] });
  });

  it("refuses a bad filter naming the field (exit 64) before scanning", async () => {
    const recorded = recordingEngine();
    const { code, err } = await run(["scan", "--chain", "spy.json", "--kind", "bull-put", "--filters", '{"shortDelta": {"min": 0.5, "max": 0.2}}'], undefined, recorded.engine);
    expect(code).toBe(ExitCode.usage);
    expect(err).toContain("invalid filters.short_delta.min");
    expect(recorded.inputs).toHaveLength(0);
  });

  it("says what is wrong with the input files and flags", async () => {
    expect((await run(["scan", "--chain", "missing.json", "--kind", "bull-put"])).err).toContain("no such file");
    expect((await run(["scan", "--chain", "bad.json", "--kind", "bull-put"], { "bad.json": "{" })).code).toBe(ExitCode.usage);
    expect((await run(["scan", "--chain", "spy.json", "--kind", "bull-put", "--filters", '{"shortDelt": {}}'])).err).toContain("--filters");
    expect((await run(["scan", "--chain", "spy.json"])).err).toContain("invalid settings");
    expect((await run(["scan", "--kind", "bull-put"])).code).toBe(ExitCode.config);
    expect((await run(["scan", "--chain", "spy.json", "--kind", "sideways"])).code).toBe(ExitCode.config);
  });

  it("exits 1 when the engine refuses the scan", async () => {
    const failing = () => ({ scan: (): never => { throw Object.assign(new Error("x")); } });
    const { code, err } = await run(["scan", "--chain", "spy.json", "--kind", "bull-put"], undefined, failing);
    expect(code).toBe(ExitCode.failure);
    expect(err).toContain("spreadops scanner scan:");
  });
});
