import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { allCommand } from "./all.js";

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

async function waitFor<T>(get: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const EPHEMERAL = ["--port", "0", "--port-base", "0", "--store-port", "0", "--sim-port", "0", "--sim-admin-port", "0", "--log-format", "json", "--log-level", "warn"];

describe("spreadops all", () => {
  it("hosts every part on its own port, reports each by name on /readyz, and stops on SIGTERM", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "spreadops-all-"));
    const { io, err, signals } = fakeProcess([...EPHEMERAL, "--data-dir", dataDir, "--manifests", ""]);
    const exit = allCommand("0.0.0-test").run(io);

    const banner = await waitFor(() => (err.join("").includes("is up") ? err.join("") : undefined));
    const url = /platform\s+(http:\/\/\S+)\/readyz/.exec(banner)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const urls: Record<string, string> = {};
    for (const m of banner.matchAll(/^\s+(gateway|scanner|strategy|execution|controller)\s+(http:\/\/\S+)/gm)) urls[m[1] ?? ""] = m[2] ?? "";
    expect(Object.keys(urls).sort()).toEqual(["controller", "execution", "gateway", "scanner", "strategy"]);
    // Each service is a real server of its own: distinct ports, each with its own health endpoint.
    expect(new Set(Object.values(urls)).size).toBe(5);
    for (const serviceUrl of Object.values(urls)) expect((await fetch(`${serviceUrl}/healthz`)).status).toBe(200);

    // Ready once the gateway's TWS session to the simulator is up.
    const ready = await waitFor(async () => {
      const response = await fetch(`${url ?? ""}/readyz`);
      return response.status === 200 ? ((await response.json()) as { checks: { name: string; ok: boolean }[] }) : undefined;
    });
    expect(ready.checks.map((c) => c.name)).toEqual(expect.arrayContaining(["tws-sim", "gateway", "scanner", "strategy", "execution", "store", "controller"]));

    signals.emit("SIGTERM", "SIGTERM");
    expect(await exit).toBe(ExitCode.ok);
    await expect(fetch(`${url ?? ""}/healthz`)).rejects.toThrow();
    for (const serviceUrl of Object.values(urls)) await expect(fetch(`${serviceUrl}/healthz`)).rejects.toThrow();
  });

  it("refuses a bad port with the variable, the expected form and the value given", async () => {
    const { io, err } = fakeProcess(["--port-base", "eighty"]);
    expect(await allCommand("0.0.0-test").run(io)).toBe(ExitCode.config);
    const message = err.join("");
    expect(message).toContain("--port-base");
    expect(message).toContain("eighty");
  });

  it("lists its options with env vars and defaults on --help", async () => {
    const { io, out } = fakeProcess(["--help"]);
    expect(await allCommand("0.0.0-test").run(io)).toBe(ExitCode.ok);
    const help = out.join("");
    for (const text of ["SPREADOPS_ALL_PORT_BASE", "--tws-host", "--client-id", "--data-dir", "127.0.0.1"]) expect(help).toContain(text);
  });
});
