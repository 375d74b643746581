// Tier 3: the StrategyService from serviceMain on a real server (port 0), over HTTP/2, with fake
// gateway, scanner and open-trades ports.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
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
    expect(StrategyService.methods.map((m) => m.localName).sort()).toEqual(["evaluate", "validateStrategy"]);
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
});
