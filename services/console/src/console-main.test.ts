import { Code, ConnectError } from "@connectrpc/connect";
import { ConsoleService, GatewayService } from "@spreadops/api";
import type { ResourceStore } from "@spreadops/resources";
import { StoreError } from "@spreadops/resources";
import { parseConfig, renderHelp, serviceMain } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import { consoleDefinition } from "./console-main.js";
import { consoleOptions } from "./console-options.js";
import { FakeGateway, collect, memoryStore, startConsole, until } from "./testing/index.js";

describe("consoleDefinition", () => {
  it("parses its options with the documented defaults, and keeps the token out of help and logs", () => {
    const defaults = parseConfig(consoleOptions(), { argv: [], env: {} });
    expect(defaults).toMatchObject({ port: 8085, namespace: "default", gatewayUrl: "http://127.0.0.1:8080", strategyUrl: "http://127.0.0.1:8082", executionUrl: "http://127.0.0.1:8083" });
    expect(defaults.token).toBeUndefined();
    expect(() => parseConfig(consoleOptions(), { argv: ["--token", "short"], env: {} })).toThrow(/token/);
    expect(renderHelp(consoleOptions(), { program: "spreadops-console" })).toContain("--allowed-origins");
  });

  it("refuses to start with a token file it cannot read", async () => {
    const output: string[] = [];
    const exits: number[] = [];
    const running = await serviceMain(consoleDefinition("0.0.0-test", { store: () => memoryStore(), env: {} }), {
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-format", "json", "--token-file", "/nonexistent/console-token"],
      env: {}, stdout: (text) => { output.push(text); }, stderr: (text) => { output.push(text); }, exit: (code) => { exits.push(code); },
    });
    expect(running).toBeUndefined();
    expect(exits).toEqual([1]);
    expect(output.join("")).toContain("cannot read the console token from /nonexistent/console-token");
  });

  it("starts and serves while the store cannot be reached: not ready, resource streams refused at once", async () => {
    const failing = memoryStore();
    const down = new StoreError("Unavailable", "connect ECONNREFUSED 10.96.0.1:443");
    const store: ResourceStore = {
      ...Object.fromEntries((["get", "create", "replace", "patch", "updateStatus", "patchStatus", "delete", "recordEvent", "listEvents"] as const).map((m) => [m, (...args: never[]) => (failing[m] as (...a: never[]) => unknown)(...args)])),
      list: () => Promise.reject(down),
      watch: () => Promise.reject(down),
    } as unknown as ResourceStore;
    const app = await startConsole({ store, argv: ["--token", "0123456789abcdef0123"] });
    try {
      const info = await app.browser(ConsoleService).getConsoleInfo({});
      expect(info.mutationsEnabled).toBe(true);
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toContain("connect ECONNREFUSED 10.96.0.1:443");
      const started = Date.now();
      const error = ConnectError.from(await collect(app.browser(ConsoleService).watchResources({})).done);
      expect(error.code).toBe(Code.Unavailable);
      expect(error.rawMessage).toMatch(/resource store cannot be reached/);
      expect(Date.now() - started).toBeLessThan(2_000);
      // The activity feed does not depend on the store.
      const abort = new AbortController();
      const feed = app.browser(ConsoleService).watchActivity({}, { signal: abort.signal })[Symbol.asyncIterator]();
      const first = await feed.next();
      expect(first.done === true ? undefined : first.value.entry?.reason).toBe("ConsoleStarted");
      abort.abort();
      await feed.next().catch(() => undefined);
    } finally {
      await app.stop();
    }
  });

  it("ends the browsers' open streams as soon as shutdown begins, instead of waiting out the drain time", async () => {
    const fakeGateway = new FakeGateway();
    const gateway = await fakeGateway.start();
    const app = await startConsole({ gatewayUrl: gateway.url, drainTimeout: "20s" });
    try {
      const client = app.browser(ConsoleService);
      const streams = [collect(client.watchResources({})), collect(client.watchActivity({})), collect(app.browser(GatewayService).watchConnectionStatus({}))];
      await until(() => streams.every((s) => s.messages.length > 0), "every stream's first message");
      const started = Date.now();
      await app.stop();
      expect(Date.now() - started).toBeLessThan(5_000);
      for (const stream of streams) {
        const error = ConnectError.from(await stream.done);
        expect([error.code, error.rawMessage]).toEqual([Code.Unavailable, "the console is shutting down; reconnect"]);
      }
    } finally {
      await gateway.close();
    }
  });
  it("reports the platform's clock (shifted by --clock-offset) next to the wall clock", async () => {
    const app = await startConsole({ argv: ["--clock-offset", "-36000"] });
    try {
      const before = Date.now();
      const info = await app.browser(ConsoleService).getConsoleInfo({});
      const after = Date.now();
      const platform = Number(info.platformTime?.seconds ?? 0n) * 1000 + Math.floor((info.platformTime?.nanos ?? 0) / 1e6);
      // Ten hours behind the wall clock, as the controller writes status times in the all-in-one.
      expect(platform).toBeGreaterThanOrEqual(before - 36_000_000 - 1_000);
      expect(platform).toBeLessThanOrEqual(after - 36_000_000 + 1_000);
    } finally {
      await app.stop();
    }
  });
});
