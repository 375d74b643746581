import * as http2 from "node:http2";
import { buildServer, createLogger } from "@spreadops/runtime";
import type { ConnectServer } from "@spreadops/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector } from "../faults/fault-injector.js";
import { RecordingControl, emptyStats } from "../faults/test-support.js";
import { createAdminHandlers } from "./admin-http.js";
import type { AdminOptions } from "./admin-http.js";

const T0 = Date.parse("2026-03-02T15:00:00Z");
const logger = createLogger({ service: "test", level: "silent" });
const servers: ConnectServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close({ drainTimeoutMs: 100 })));
});

interface Harness {
  readonly control: RecordingControl;
  readonly injector: FaultInjector;
  readonly url: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
}

async function start(options?: AdminOptions): Promise<Harness> {
  const control = new RecordingControl(T0);
  const injector = new FaultInjector(control, { logger });
  const server = buildServer({
    routes: () => undefined,
    logger,
    http: createAdminHandlers(control, injector, logger, options),
  });
  servers.push(server);
  const { url } = await server.listen(0, "127.0.0.1");
  return {
    control,
    injector,
    url,
    async call(method, path, body) {
      const init: RequestInit = { method };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        init.headers = { "content-type": "application/json" };
      }
      const res = await fetch(`${url}${path}`, init);
      return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
    },
  };
}

describe("admin HTTP", () => {
  it("GET /stats serves SimStats as JSON", async () => {
    const h = await start();
    h.control.statsValue = { ...emptyStats(T0), activeFaults: [{ kind: "competingSession" }] };
    const { status, json, headers } = await h.call("GET", "/stats");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/json/);
    expect(json).toEqual(JSON.parse(JSON.stringify(h.control.statsValue)));
  });

  it("answers a wrong method with 405 and allow", async () => {
    const h = await start();
    const post = await h.call("POST", "/stats", {});
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    const del = await h.call("DELETE", "/faults");
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET, POST");
    expect((await h.call("GET", "/reset")).status).toBe(405);
  });

  it("POST /faults validates and names the field, the expected form and the value", async () => {
    const h = await start();
    const bad = await h.call("POST", "/faults", { kind: "connectivityLost", durationMs: "soon" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ field: "durationMs", given: '"soon"' });
    expect(bad.json.expected).toContain("duration");
    expect(bad.json.error).toBe(`invalid durationMs: expected ${String(bad.json.expected)}, got "soon"`);

    const unknownKind = await h.call("POST", "/faults", { kind: "flood" });
    expect(unknownKind.json).toMatchObject({ field: "kind", given: '"flood"' });

    const notJson = await h.call("POST", "/faults", "{kind:");
    expect(notJson.status).toBe(400);
    expect(notJson.json.field).toBe("body");

    const badAt = await h.call("POST", "/faults", { kind: "competingSession", at: "2026-03-02 16:00" });
    expect(badAt.status).toBe(400);
    expect(badAt.json.field).toBe("at");
    expect(h.control.take()).toEqual([]);
  });

  it("POST /faults applies a fault now", async () => {
    const h = await start();
    const { status, json } = await h.call("POST", "/faults", { kind: "connectivityLost", durationMs: "30s", dataLost: true });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      applied: { kind: "connectivityLost", durationMs: 30_000, dataLost: true },
      active: [{ kind: "connectivityLost", untilMs: T0 + 30_000 }],
    });
    expect(h.control.take()).toEqual(["connectivity down", "notice 1100"]);
  });

  it("schedules with after, fires it when /clock advances, and lists it meanwhile", async () => {
    const h = await start();
    const scheduled = await h.call("POST", "/faults/slow-responses", { delayMs: "250ms", after: "5m" });
    expect(scheduled.status).toBe(202);
    expect(scheduled.json).toMatchObject({ pending: { kind: "slowResponses", delayMs: 250 }, atMs: T0 + 300_000 });
    expect((await h.call("GET", "/faults")).json).toMatchObject({
      active: [],
      scheduled: [{ kind: "slowResponses", atMs: T0 + 300_000, at: "2026-03-02T15:05:00.000Z" }],
    });

    const advanced = await h.call("POST", "/clock", { advanceBy: "10m" });
    expect(advanced).toMatchObject({ status: 200, json: { simTimeMs: T0 + 600_000, simTime: "2026-03-02T15:10:00.000Z", advancedByMs: 600_000 } });
    expect(h.control.take()).toEqual(["advanceClockTo 2026-03-02T15:10:00.000Z", "delay 250"]);
    expect((await h.call("GET", "/clock")).json).toEqual({ simTimeMs: T0 + 600_000, simTime: "2026-03-02T15:10:00.000Z" });
  });

  it("POST /clock takes advanceTo as ISO with zone or epoch ms, never backwards", async () => {
    const h = await start();
    expect((await h.call("POST", "/clock", { advanceTo: "2026-03-02T11:00:00-05:00" })).json.simTimeMs).toBe(T0 + 3_600_000);
    expect((await h.call("POST", "/clock", { advanceTo: T0 + 7_200_000 })).json.simTimeMs).toBe(T0 + 7_200_000);

    const back = await h.call("POST", "/clock", { advanceTo: "2026-03-02T15:00:00Z" });
    expect(back.status).toBe(400);
    expect(back.json.field).toBe("advanceTo");
    expect(back.json.expected).toContain("never goes back");

    expect((await h.call("POST", "/clock", { advanceTo: "2026-03-03T10:00:00" })).json.field).toBe("advanceTo");
    expect((await h.call("POST", "/clock", { advanceBy: "later" })).json.field).toBe("advanceBy");
    expect((await h.call("POST", "/clock", {})).json.field).toBe("advanceBy");
    expect((await h.call("POST", "/clock", { advance: "1m" })).json.field).toBe("advance");
  });

  it("convenience paths fill in the kind and refuse another one", async () => {
    const h = await start();
    expect((await h.call("POST", "/faults/farm", { farm: "historical", ok: false })).status).toBe(200);
    expect(h.control.take()).toEqual(["farm historical false"]);
    const clash = await h.call("POST", "/faults/farm", { kind: "competingSession" });
    expect(clash).toMatchObject({ status: 400, json: { field: "kind" } });
  });

  it("POST /faults/clear and POST /reset lift everything", async () => {
    const h = await start();
    await h.call("POST", "/faults/drop-responses", { fraction: 0.5 });
    await h.call("POST", "/faults/competing-session");
    h.control.take();
    const cleared = await h.call("POST", "/faults/clear");
    expect(cleared).toMatchObject({ status: 200, json: { cleared: ["dropResponses", "competingSession"], active: [] } });
    expect(h.control.take()).toEqual(["drop 0"]);

    await h.call("POST", "/faults/restart-window", { durationMs: "1h" });
    h.control.take();
    const reset = await h.call("POST", "/reset");
    expect(reset.status).toBe(200);
    expect(h.control.take()).toEqual(["reset", "accepting true"]);
    expect(h.injector.active()).toEqual([]);
  });

  it("refuses an oversized body with 413", async () => {
    const h = await start({ maxBodyBytes: 64 });
    const res = await h.call("POST", "/faults", { kind: "rejectOrders", reason: "x".repeat(200), count: 1 });
    expect(res.status).toBe(413);
    expect(h.control.take()).toEqual([]);
  });

  it("serves under a prefix", async () => {
    const h = await start({ prefix: "/admin" });
    expect((await h.call("GET", "/admin/clock")).status).toBe(200);
    expect((await fetch(`${h.url}/clock`)).status).toBe(404);
  });

  it("works over HTTP/2 with prior knowledge (h2c)", async () => {
    const h = await start();
    const session = http2.connect(h.url);
    try {
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request({ ":method": "POST", ":path": "/faults/competing-session", "content-type": "application/json" });
        let status = 0;
        let body = "";
        stream.on("response", (headers) => {
          status = Number(headers[":status"]);
        });
        stream.setEncoding("utf8");
        stream.on("data", (chunk: string) => {
          body += chunk;
        });
        stream.on("end", () => {
          resolve({ status, body });
        });
        stream.on("error", reject);
        stream.end(JSON.stringify({ durationMs: "1m" }));
      });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ applied: { kind: "competingSession", durationMs: 60_000 } });
      expect(h.control.take()).toEqual(["notice 10197"]);
    } finally {
      session.close();
    }
  });

  it("maps a failing control call to 500", async () => {
    const h = await start();
    h.control.reset = () => {
      throw new Error("boom");
    };
    const res = await h.call("POST", "/reset");
    expect(res.status).toBe(500);
    expect(res.json.error).toContain("boom");
  });
});
