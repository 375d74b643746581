// Tier 3: the ScannerService over a real server on port 0, called over HTTP/2 with connect-node.
import type { DescMethod } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { ScannerService, SpreadKindSelection } from "@spreadops/api";
import type { RunningService } from "@spreadops/runtime";
import { serviceMain } from "@spreadops/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScannerConfig } from "./scanner-main.js";
import { scannerDefinition } from "./scanner-main.js";
import { busyUntilDeadline, FakeEngine, FakeGateway, tinyChain } from "./testing/fakes.js";

/** One bad request per RPC and the field the error must name. */
const BAD_REQUESTS: Readonly<Record<string, { readonly request: object; readonly field: string }>> = {
  scanSpreads: { request: { chainSource: { case: "chain", value: tinyChain("SPY") }, settings: { kind: SpreadKindSelection.BULL_PUT }, filters: { shortDelta: { min: 0.4, max: 0.2 } } }, field: "filters.short_delta.min" },
  scanUniverse: { request: { targets: [{ symbol: "SPY" }], filters: { dte: { min: 20, max: 60 } }, settings: { kind: SpreadKindSelection.BULL_PUT, topK: 0 } }, field: "settings.top_k" },
};

async function callFailure(client: Client<typeof ScannerService>, method: DescMethod, request: object, timeoutMs?: number): Promise<ConnectError | undefined> {
  const fn = (client as unknown as Record<string, (request: object, options?: object) => unknown>)[method.localName];
  if (fn === undefined) throw new Error(`client has no ${method.localName}`);
  const options = timeoutMs === undefined ? {} : { timeoutMs };
  try {
    if (method.methodKind === "server_streaming") {
      for await (const _ of fn(request, options) as AsyncIterable<unknown>) { /* drain */ }
    } else {
      await fn(request, options);
    }
    return undefined;
  } catch (error) {
    return ConnectError.from(error);
  }
}

describe("ScannerService over a real server", () => {
  const engine = new FakeEngine();
  const gateway = new FakeGateway({ SPY: {} });
  let running: RunningService<ScannerConfig> | undefined;
  let sessions: Http2SessionManager;
  let client: Client<typeof ScannerService>;

  beforeAll(async () => {
    running = await serviceMain(scannerDefinition("0.0.0-test", { engine: () => engine, gateway: () => gateway }), {
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json", "--scan-timeout", "30s"],
      env: {},
      stdout: () => undefined,
      stderr: () => undefined,
      exit: () => undefined,
    });
    const url = running?.address.url ?? "";
    sessions = new Http2SessionManager(url);
    client = createClient(ScannerService, createConnectTransport({ baseUrl: url, httpVersion: "2", sessionManager: sessions }));
  });

  afterAll(async () => {
    sessions.abort();
    await running?.stop();
  });

  it("answers every method's bad argument with InvalidArgument naming the field", async () => {
    expect(Object.keys(BAD_REQUESTS).sort()).toEqual(ScannerService.methods.map((m) => m.localName).sort());
    for (const method of ScannerService.methods) {
      const bad = BAD_REQUESTS[method.localName];
      if (bad === undefined) throw new Error(`no bad request for ${method.name}`);
      const error = await callFailure(client, method, bad.request);
      expect({ method: method.name, code: error?.code }).toEqual({ method: method.name, code: Code.InvalidArgument });
      expect(error?.rawMessage).toMatch(new RegExp(`^invalid ${bad.field.replace(/[[\]().]/g, "\\$&")}: expected`));
      expect(engine.inputs).toHaveLength(0);
    }
  });

  it("answers every method's empty request with InvalidArgument", async () => {
    for (const method of ScannerService.methods) {
      const error = await callFailure(client, method, {});
      expect({ method: method.name, code: error?.code }).toEqual({ method: method.name, code: Code.InvalidArgument });
    }
  });

  it("stops a scan at the call's deadline with DeadlineExceeded", async () => {
    engine.behaviour = busyUntilDeadline;
    try {
      const method = ScannerService.method.scanSpreads;
      const started = Date.now();
      const error = await callFailure(client, method, { chainSource: { case: "chain", value: tinyChain("SPY") }, settings: { kind: SpreadKindSelection.BULL_PUT } }, 200);
      expect(error?.code).toBe(Code.DeadlineExceeded);
      expect(Date.now() - started).toBeLessThan(5000);
      const deadline = engine.inputs.at(-1)?.deadlineMs ?? Number.POSITIVE_INFINITY;
      expect(deadline - started).toBeLessThanOrEqual(250);
    } finally {
      engine.behaviour = () => undefined;
    }
  });

  it("serves a scan and /metrics with the scanner's series", async () => {
    const { result } = await client.scanSpreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 20, max: 60 } } } }, settings: { kind: SpreadKindSelection.BULL_PUT } });
    expect(result?.candidates).toHaveLength(1);
    const text = await (await fetch(`${running?.address.url ?? ""}/metrics`)).text();
    for (const name of ["spreadops_scanner_scan_duration_seconds", "spreadops_scanner_contracts_considered_total", "spreadops_scanner_pairs_evaluated_total", "spreadops_scanner_candidates_returned_total", "spreadops_scanner_errors_total"]) {
      expect(text).toContain(name);
    }
  });
});
