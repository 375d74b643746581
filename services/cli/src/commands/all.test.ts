import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { allCommand, NOT_YET_HOSTED } from "./all.js";

/** A process stand-in: captured output and a signal source the test can fire. */
function fakeProcess(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const io: CommandIo = {
    argv,
    env: {},
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    signals: {
      on: (s, l) => signals.on(s, l),
      off: (s, l) => signals.off(s, l),
    },
  };
  return { io, out, err, signals };
}

async function waitFor<T>(get: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("spreadops all", () => {
  it("serves health and metrics, reports unbuilt components by name on /readyz, and stops on SIGTERM", async () => {
    const { io, err, signals } = fakeProcess(["--port", "0", "--sim-port", "0", "--sim-admin-port", "0", "--log-format", "json"]);
    const exit = allCommand("0.0.0-test").run(io);

    const url = await waitFor(() => /on (http:\/\/\S+)/.exec(err.join(""))?.[1]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: { name: string; ok: boolean; message?: string }[] };
    const failing = body.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failing.sort()).toEqual(NOT_YET_HOSTED.map((c) => c.name).sort());
    expect(body.checks.find((c) => c.name === "gateway")?.message).toContain("not hosted in this process yet");
    expect(body.checks.find((c) => c.name === "execution")?.message).toContain("not built yet (issue 6)");
    // The simulator is built: it runs in-process and its check passes.
    expect(body.checks.find((c) => c.name === "tws-sim")?.ok).toBe(true);
    expect(NOT_YET_HOSTED.map((c) => c.name)).not.toContain("tws-sim");

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^process_cpu_user_seconds_total/m);

    signals.emit("SIGTERM", "SIGTERM");
    expect(await exit).toBe(ExitCode.ok);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("refuses a bad port with the variable, the expected form and the value given", async () => {
    const { io, err } = fakeProcess(["--port", "eighty"]);
    expect(await allCommand("0.0.0-test").run(io)).toBe(ExitCode.config);
    const message = err.join("");
    expect(message).toContain("--port");
    expect(message).toContain("eighty");
  });

  it("lists its options with env vars and defaults on --help", async () => {
    const { io, out } = fakeProcess(["--help"]);
    expect(await allCommand("0.0.0-test").run(io)).toBe(ExitCode.ok);
    const help = out.join("");
    expect(help).toContain("SPREADOPS_ALL_PORT");
    expect(help).toContain("127.0.0.1");
  });
});
