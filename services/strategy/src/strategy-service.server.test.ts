// Tier 3: the StrategyService from serviceMain on a real server (port 0), over HTTP/2, with fake
// gateway, scanner and open-trades ports.
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { WatchEvaluationsResponse } from "@spreadops/api";
import { Direction, Indicator, SpreadKindSelection, StrategyService } from "@spreadops/api";
import type { RunningService } from "@spreadops/runtime";
import { serviceMain } from "@spreadops/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StrategyConfig } from "./strategy-main.js";
import { strategyDefinition } from "./strategy-main.js";
import { fakeGateway, fakeOpenTrades, fakeScanner } from "./testing/fakes.js";
import { validSpec } from "./testing/specs.js";

/** Bad specs and the field Evaluate's InvalidArgument (and ValidateStrategy) must name. */
const BAD_SPECS: readonly { readonly spec: Parameters<typeof validSpec>[0]; readonly field: string }[] = [
  { spec: { spread: { kind: SpreadKindSelection.AUTO, dte: { min: 60, max: 30 } } }, field: "spec.spread.dte.min" },
  { spec: { spread: { kind: SpreadKindSelection.AUTO, shortDelta: { min: -0.1 } } }, field: "spec.spread.shortDelta.min" },
  { spec: { schedule: { timezone: "Eastern", window: { start: "09:45", end: "15:45" } } }, field: "spec.schedule.timezone" },
  { spec: { schedule: { timezone: "UTC", window: { start: "15:00", end: "09:00" } } }, field: "spec.schedule.window.start" },
  { spec: { entry: [{ indicator: Indicator.SMA_CROSS, fast: 20, direction: Direction.BULLISH }] }, field: "spec.entry[0].slow" },
  { spec: { entry: [{ indicator: Indicator.RSI, period: 14, below: 30, direction: Direction.BULLISH }, { indicator: Indicator.SMA, period: 20, direction: Direction.BEARISH }] }, field: "spec.entry[1].direction" },
  { spec: { risk: { maxRiskPerTrade: 0 } }, field: "spec.risk.maxRiskPerTrade" },
];

describe("StrategyService over a real server", () => {
  let service: RunningService<StrategyConfig> | undefined;
  let sessions: Http2SessionManager;
  let client: Client<typeof StrategyService>;

  beforeAll(async () => {
    const definition = strategyDefinition("0.0.0-test", {
      gateway: () => fakeGateway({ closes: {} }),
      scanner: () => fakeScanner(() => []),
      openTrades: () => fakeOpenTrades({ openTrades: [], realizedTodayUsd: 0, unrealizedUsd: 0 }),
    });
    service = await serviceMain(definition, { argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent"], env: {}, stdout: () => undefined, stderr: () => undefined, exit: () => undefined });
    sessions = new Http2SessionManager(service?.address.url ?? "");
    client = createClient(StrategyService, createConnectTransport({ baseUrl: service?.address.url ?? "", httpVersion: "2", sessionManager: sessions }));
  });

  afterAll(async () => {
    sessions.abort();
    await service?.stop();
  });

  it("covers every method of the service", () => {
    expect(StrategyService.methods.map((m) => m.localName).sort()).toEqual(["evaluate", "validateStrategy", "watchEvaluations"]);
  });

  it.each(BAD_SPECS)("Evaluate: InvalidArgument naming $field", async ({ spec, field }) => {
    const error = await client.evaluate({ strategyRef: "ns/s", spec: validSpec(spec) }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toMatch(new RegExp(`^invalid ${field.replace(/[[\]]/g, "\\$&")}: expected .+, got .+`));
  });

  it.each(BAD_SPECS)("ValidateStrategy lists $field", async ({ spec, field }) => {
    const response = await client.validateStrategy({ spec: validSpec(spec) });
    expect(response.valid).toBe(false);
    expect(response.violations.map((v) => v.field)).toContain(field);
  });

  it("ValidateStrategy accepts a valid spec; Evaluate without a spec names `spec`", async () => {
    expect(await client.validateStrategy({ spec: validSpec() })).toMatchObject({ valid: true, violations: [] });
    const error = await client.evaluate({ strategyRef: "ns/s" }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(error?.rawMessage).toBe("invalid spec: expected a Strategy spec, got nothing");
  });

  describe("WatchEvaluations", () => {
    const at = (minute: number) => timestampFromMs(Date.UTC(2026, 2, 10, 15, minute));
    const minuteOf = (m: WatchEvaluationsResponse | undefined): number => new Date(timestampMs(m?.evaluation?.asOf ?? timestampFromMs(0))).getUTCMinutes();
    const evaluate = (strategyRef: string, minute: number, dryRun = false) => client.evaluate({ strategyRef, spec: validSpec(), asOf: at(minute), dryRun });

    /** The next message, failing instead of hanging when none comes. */
    async function next(stream: AsyncIterator<WatchEvaluationsResponse>): Promise<WatchEvaluationsResponse> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => { reject(new Error("no message within 5 s")); }, 5000); });
      try {
        const result = await Promise.race([stream.next(), timeout]);
        if (result.done === true) throw new Error("stream ended");
        return result.value;
      } finally {
        clearTimeout(timer);
      }
    }

    /** The value of the watchers gauge on /metrics. */
    async function watchers(): Promise<number | undefined> {
      const text = await (await fetch(`${service?.address.url ?? ""}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith("spreadops_strategy_evaluation_watchers{"));
      return line === undefined ? undefined : Number(line.split(" ").at(-1));
    }

    it("sends the latest non-dry-run evaluation as initial, then a later one live; dry runs never appear", async () => {
      await evaluate("ns/watched", 1);
      await evaluate("ns/watched", 2, true);
      const abort = new AbortController();
      const stream = client.watchEvaluations({ strategyRef: "ns/watched" }, { signal: abort.signal })[Symbol.asyncIterator]();
      try {
        const first = await next(stream);
        expect(first).toMatchObject({ strategyRef: "ns/watched", initial: true, evaluation: { dryRun: false } });
        expect(minuteOf(first)).toBe(1);
        expect(await watchers()).toBe(1);

        const live = next(stream);
        await evaluate("ns/watched", 3, true);
        await evaluate("ns/other", 4);
        await evaluate("ns/watched", 5);
        const second = await live;
        // Not the dry run (3), not the other strategy (4): the filter and the dry-run rule hold.
        expect(second).toMatchObject({ strategyRef: "ns/watched", initial: false, evaluation: { dryRun: false } });
        expect(minuteOf(second)).toBe(5);
      } finally {
        abort.abort();
      }
      // The server let go of the subscriber when the call was cancelled.
      const deadline = Date.now() + 5000;
      while ((await watchers()) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await watchers()).toBe(0);
    });

    it("without a filter sends every strategy's latest evaluation, least recently evaluated first", async () => {
      await evaluate("ns/watched", 6);
      const abort = new AbortController();
      const stream = client.watchEvaluations({}, { signal: abort.signal })[Symbol.asyncIterator]();
      try {
        const initial = [await next(stream), await next(stream)];
        expect(initial.map((m) => [m.strategyRef, m.initial, minuteOf(m)])).toEqual([["ns/other", true, 4], ["ns/watched", true, 6]]);
        const live = next(stream);
        await evaluate("ns/third", 7);
        expect(await live).toMatchObject({ strategyRef: "ns/third", initial: false });
      } finally {
        abort.abort();
      }
    });

    it("refuses a strategy_ref that is not namespace/name", async () => {
      const error = await (async () => {
        for await (const _ of client.watchEvaluations({ strategyRef: "no-namespace" })) return undefined;
        return undefined;
      })().then(() => undefined, (e: unknown) => ConnectError.from(e));
      expect(error?.code).toBe(Code.InvalidArgument);
      expect(error?.rawMessage).toBe('invalid strategy_ref: expected empty (every strategy) or "namespace/name", got "no-namespace"');
    });
  });
});
