import { describe, expect, it } from "vitest";
import { MarketDataError, type MarketSource, type OptionContract } from "./market-source.js";
import { parseRecording, RECORDING_FORMAT, RecordingFormatError } from "./recording.js";
import { RecordingMarket } from "./recording-market.js";
import { ReplayMarket } from "./replay-market.js";
import { testMarket, TUESDAY_11AM } from "./test-fixtures.js";

const FRIDAY_CLOSE = Date.parse("2026-03-13T20:00:00Z");

/** A client session: what it asks, when, and everything it is told (pushes included). */
function session(market: MarketSource): unknown[] {
  const seen: unknown[] = [];
  const record = (what: string, f: () => unknown): void => {
    try {
      seen.push([what, market.now(), f()]);
    } catch (error: unknown) {
      seen.push([what, market.now(), error instanceof MarketDataError ? `error ${error.reason}: ${error.message}` : String(error)]);
    }
  };
  market.onExpiration((event) => seen.push(["expired", event]));
  market.onAdvance((version) => seen.push(["version", version]));
  const spy = market.stock("SPY")!.conId;
  const options = market.findContracts({ symbol: "SPY", secType: "OPT", expiry: "20260313" }) as OptionContract[];
  const picked = options.filter((_, i) => i % 37 === 0).map((c) => c.conId);
  record("find", () => options.map((c) => c.conId));
  record("params", () => market.optionParameters("SPY"));
  record("chain", () => market.optionChain("AAPL"));
  record("details", () => market.findContracts({ symbol: "AAPL", expiry: "20260417", strike: 230 }));
  market.subscribe(picked[0]!, (q) => seen.push(["push", market.now(), q]));
  market.subscribe(spy, (q) => seen.push(["push", market.now(), q]));
  record("hourly", () => market.historicalBars(spy, { duration: "5 D", barSize: "1 hour", whatToShow: "TRADES", useRth: true }));
  record("scan", () => market.scan({ scanCode: "MOST_ACTIVE", minPrice: 20, maxRows: 10 }));
  for (let step = 1; step <= 24; step++) {
    market.advanceTo(TUESDAY_11AM + step * 250); // 4 updates per second
    record("spy", () => market.quote(spy));
    for (const id of picked) record("option", () => [market.quote(id), market.optionComputation(id)]);
  }
  record("bad bars", () => market.historicalBars(spy, { duration: "3 D", barSize: "1 secs", whatToShow: "TRADES", useRth: true }));
  record("bad scan", () => market.scan({ scanCode: "NOPE" as "MOST_ACTIVE" }));
  market.advanceTo(FRIDAY_CLOSE + 60_000);
  for (const id of picked) record("settle", () => [market.settlement(id), market.quote(id), market.contractByConId(id)]);
  record("iv", () => market.historicalBars(spy, { duration: "1 D", barSize: "5 mins", whatToShow: "OPTION_IMPLIED_VOLATILITY", useRth: true }));
  record("params later", () => market.optionParameters("SPY"));
  return seen;
}

function recordSession(): { lines: string[]; transcript: unknown[] } {
  const lines: string[] = [];
  const live = testMarket({ seed: 31, symbols: ["SPY", "AAPL", "PBLT"] });
  const recorder = new RecordingMarket(live, { write: (line) => lines.push(line), seed: live.seed, meta: { note: "test" } });
  return { lines, transcript: session(recorder) };
}

describe("record and replay", () => {
  it("replays a recorded session with identical answers, pushes and expirations", () => {
    const { lines, transcript } = recordSession();
    expect(transcript.some((x) => Array.isArray(x) && x[0] === "push")).toBe(true);
    expect(transcript.some((x) => Array.isArray(x) && x[0] === "expired")).toBe(true);
    const replay = ReplayMarket.fromText(lines.join(""));
    expect(replay.stocks().map((s) => s.symbol)).toEqual(["SPY", "AAPL", "PBLT"]);
    expect(session(replay)).toEqual(transcript);
  });

  it("writes a versioned JSON Lines file: a header, then timestamped events", () => {
    const { lines } = recordSession();
    expect(lines.every((line) => line.endsWith("\n") && !line.slice(0, -1).includes("\n"))).toBe(true);
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ format: RECORDING_FORMAT, version: 1, seed: 31, start: TUESDAY_11AM, meta: { note: "test" } });
    const events = lines.slice(1).map((line) => JSON.parse(line) as { t: number; type: string });
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(["advance", "contract", "find", "quote", "greeks", "optionParameters", "chain", "bars", "scan", "settlement", "expiration"]),
    );
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
    // A quote asked several times in one state is written once.
    const spyQuotes = events.filter((e) => e.type === "quote" && (e as unknown as { conId: number }).conId === 756733);
    expect(spyQuotes.length).toBeLessThanOrEqual(8);
  });

  it("answers questions the recording never saw as unknown", () => {
    const { lines } = recordSession();
    const replay = ReplayMarket.fromText(lines.join(""));
    expect(replay.quote(265598)).toBeUndefined();
    expect(replay.findContracts({ symbol: "QQQ" })).toEqual([]);
    expect(() => replay.historicalBars(756733, { duration: "9 D", barSize: "1 day", whatToShow: "TRADES", useRth: true })).toThrow(MarketDataError);
  });

  it("rejects foreign or newer files and skips unknown event types", () => {
    expect(() => parseRecording("")).toThrow(RecordingFormatError);
    expect(() => parseRecording('{"format":"other","version":1}\n')).toThrow(/not a spreadops/);
    expect(() => parseRecording(`{"format":"${RECORDING_FORMAT}","version":2,"seed":1,"start":0,"stocks":[]}\n`)).toThrow(/version 2/);
    const header = `{"format":"${RECORDING_FORMAT}","version":1,"seed":null,"start":5,"stocks":[]}`;
    expect(() => parseRecording(`${header}\n{"type":"quote"}\n`)).toThrow(/line 2/);
    expect(() => parseRecording(`${header}\nnot json\n`)).toThrow(/line 2/);
    const parsed = parseRecording(`${header}\n{"t":6,"type":"future-thing","x":1}\n\n{"t":7,"type":"advance","version":1}\n`);
    expect(parsed.events).toEqual([{ t: 7, type: "advance", version: 1 }]);
    expect(parsed.header.start).toBe(5);
  });
});
