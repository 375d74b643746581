import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import type { CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { waitFor } from "../testing/wait-for.js";
import { allCommand, renderBanner } from "./all.js";

/** A process stand-in: captured output and a signal source the test can fire. */
function fakeProcess(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const io: CommandIo = {
    argv,
    env,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    signals: {
      on: (s, l) => signals.on(s, l),
      off: (s, l) => signals.off(s, l),
    },
  };
  return { io, out, err, signals };
}

/**
 * The start banner once the all-in-one is up; fails at once, with its error log lines, when it
 * exits instead (a part that did not start).
 */
async function startBanner(run: { out: string[]; err: string[] }, exit: Promise<number>): Promise<string> {
  let exited: number | undefined;
  void exit.then((code) => { exited = code; });
  return waitFor(() => {
    const text = run.err.join("");
    if (text.includes("is up")) return text;
    if (exited !== undefined) {
      const errors = run.out.join("").split("\n").filter((line) => /"level":"(error|fatal)"/.test(line));
      throw new Error(`spreadops all exited with ${exited} before it was up:\n${errors.join("\n")}${text}`);
    }
    return undefined;
  }, 30_000, "the start banner");
}

/** Every port picked free, JSON logs; `info` where a test reads the log lines. */
const ephemeral = (logLevel: "warn" | "info" = "warn"): string[] => ["--port", "0", "--port-base", "0", "--store-port", "0", "--sim-port", "0", "--sim-admin-port", "0", "--log-format", "json", "--log-level", logLevel];

/** How often `text` occurs in `haystack`. */
const occurrences = (haystack: string, text: string): number => haystack.split(text).length - 1;

/** The gateway's connection state through its Connect JSON API, or undefined when it does not answer. */
async function connectionState(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/spreadops.v1.GatewayService/GetConnectionStatus`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    return response.ok ? ((await response.json()) as { status?: { state?: string } }).status?.state : undefined;
  } catch {
    return undefined;
  }
}

/** The aggregate /readyz once it reports ready. */
async function readyReport(url: string): Promise<{ checks: { name: string; ok: boolean }[] }> {
  return waitFor(async () => {
    const response = await fetch(`${url}/readyz`).catch(() => undefined);
    return response?.status === 200 ? ((await response.json()) as { checks: { name: string; ok: boolean }[] }) : undefined;
  }, 30_000, "/readyz to report ready");
}

describe("renderBanner", () => {
  const services = { gateway: "http://127.0.0.1:8080", scanner: "http://127.0.0.1:8081", strategy: "http://127.0.0.1:8082", execution: "http://127.0.0.1:8083" };
  const token = "tok_en-0123456789abcdefghijkl";
  const banner = renderBanner("http://127.0.0.1:8090", { clock: systemClock, services, tws: { host: "127.0.0.1", port: 7497, builtIn: true } }, {
    controller: "http://127.0.0.1:8084",
    storeApi: "https://127.0.0.1:8091",
    kubeconfig: "/work/.spreadops/kubeconfig",
    storeFile: "/work/.spreadops/store.json",
    loaded: [],
    console: { url: "http://127.0.0.1:8085", link: `http://127.0.0.1:8085/#token=${token}`, tokenFile: "/work/.spreadops/console-token" },
  });

  it("leads with the console link, the token in its fragment, printed once", () => {
    const lines = banner.split("\n");
    expect(lines[2]).toBe(`  console    http://127.0.0.1:8085/#token=${token}`);
    expect(lines[3]).toBe("             open this link; it signs you in (the token is also in /work/.spreadops/console-token)");
    expect(occurrences(banner, token)).toBe(1);
    expect(occurrences(banner, "http://127.0.0.1:8085")).toBe(1);
  });

  it("still lists every other part", () => {
    for (const text of ["platform   http://127.0.0.1:8090/readyz", "gateway    http://127.0.0.1:8080", "controller http://127.0.0.1:8084", "store      /work/.spreadops/store.json"]) expect(banner).toContain(text);
  });
});

describe("spreadops all", () => {
  // Needs the console (services/console) to start: the all-in-one hosts it.
  it("hosts every part on its own port, reports each by name on /readyz, restarts the gateway on SIGUSR2, and stops on SIGTERM", { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "spreadops-all-"));
    const { io, out, err, signals } = fakeProcess([...ephemeral("info"), "--data-dir", dataDir, "--manifests", ""]);
    const exit = allCommand("0.0.0-test").run(io);

    const text = await startBanner({ out, err }, exit);
    const url = /platform\s+(http:\/\/\S+)\/readyz/.exec(text)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const urls: Record<string, string> = {};
    for (const m of text.matchAll(/^\s+(gateway|scanner|strategy|execution|controller)\s+(http:\/\/\S+)/gm)) urls[m[1] ?? ""] = m[2] ?? "";
    expect(Object.keys(urls).sort()).toEqual(["controller", "execution", "gateway", "scanner", "strategy"]);
    const consoleLink = /^\s+console\s+(http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)$/m.exec(text);
    expect(consoleLink).not.toBeNull();
    urls.console = consoleLink?.[1] ?? "";
    // Each service is a real server of its own: distinct ports, each with its own health endpoint.
    expect(new Set(Object.values(urls)).size).toBe(6);
    for (const serviceUrl of Object.values(urls)) expect((await fetch(`${serviceUrl}/healthz`)).status).toBe(200);

    // A new token, kept for the user in the data dir (this user only) and printed once: in the banner's link, never in a log line.
    const token = readFileSync(join(dataDir, "console-token"), "utf8").trim();
    expect(consoleLink?.[2]).toBe(token);
    expect(statSync(join(dataDir, "console-token")).mode & 0o777).toBe(0o600);
    expect(text).toContain(`it signs you in (the token is also in ${join(dataDir, "console-token")})`);

    // Ready once the gateway's TWS session to the simulator is up.
    const ready = await readyReport(url ?? "");
    expect(ready.checks.map((c) => c.name)).toEqual(expect.arrayContaining(["tws-sim", "gateway", "scanner", "strategy", "execution", "store", "controller", "console"]));

    // The drill: the gateway goes away and comes back on the same URL; the platform is ready again.
    const gatewayUrl = urls.gateway ?? "";
    signals.emit("SIGUSR2", "SIGUSR2");
    await waitFor(() => (out.join("").includes(`gateway back on ${gatewayUrl}`) ? true : undefined), 30_000, "the gateway to come back");
    expect(out.join("")).toContain("restarting the gateway (SIGUSR2)");
    await waitFor(async () => ((await connectionState(gatewayUrl)) === "CONNECTION_STATE_CONNECTED" ? true : undefined), 30_000, "the new gateway to connect");
    await readyReport(url ?? "");

    signals.emit("SIGTERM", "SIGTERM");
    expect(await exit).toBe(ExitCode.ok);
    await expect(fetch(`${url ?? ""}/healthz`)).rejects.toThrow();
    for (const serviceUrl of Object.values(urls)) await expect(fetch(`${serviceUrl}/healthz`)).rejects.toThrow();
    expect(occurrences(err.join(""), token)).toBe(1);
    expect(occurrences(out.join(""), token)).toBe(0);
  });

  // Needs the console (services/console) to start: the all-in-one hosts it.
  it("gives the console the --console-token, redacted in its log, over a stray SPREADOPS_CONSOLE_TOKEN", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "spreadops-all-"));
    const token = "given-console-token-0123456789";
    const { io, out, err, signals } = fakeProcess([...ephemeral("info"), "--data-dir", dataDir, "--manifests", ""], {
      SPREADOPS_ALL_CONSOLE_TOKEN: token,
      SPREADOPS_CONSOLE_TOKEN: "stray-console-token-0123456789",
    });
    const exit = allCommand("0.0.0-test").run(io);
    expect(await startBanner({ out, err }, exit)).toMatch(new RegExp(`^  console    http://127\\.0\\.0\\.1:\\d+/#token=${token}$`, "m"));
    expect(readFileSync(join(dataDir, "console-token"), "utf8")).toBe(`${token}\n`);
    signals.emit("SIGTERM", "SIGTERM");
    expect(await exit).toBe(ExitCode.ok);
    const starting = out.join("").split("\n").filter((line) => line.includes('"service":"all"') && line.includes('"msg":"starting"'));
    expect(starting).toHaveLength(1);
    expect(starting[0]).toContain('"consoleToken":"[REDACTED]"');
    expect(occurrences(out.join(""), token)).toBe(0);
    expect(out.join("")).not.toContain("stray-console-token-0123456789");
  });

  it("refuses a bad port with the variable, the expected form and the value given", async () => {
    const { io, err } = fakeProcess(["--port-base", "eighty"]);
    expect(await allCommand("0.0.0-test").run(io)).toBe(ExitCode.config);
    const message = err.join("");
    expect(message).toContain("--port-base");
    expect(message).toContain("eighty");
  });

  it("refuses a console token shorter than 16 characters without echoing it", async () => {
    const { io, out, err } = fakeProcess(["--console-token", "short-secret"]);
    expect(await allCommand("0.0.0-test").run(io)).toBe(ExitCode.config);
    expect(err.join("")).toContain("--console-token");
    expect(err.join("") + out.join("")).not.toContain("short-secret");
  });

  it("lists its options with env vars and defaults on --help", async () => {
    const { io, out } = fakeProcess(["--help"]);
    expect(await allCommand("0.0.0-test").run(io)).toBe(ExitCode.ok);
    const help = out.join("");
    for (const text of ["SPREADOPS_ALL_PORT_BASE", "--tws-host", "--client-id", "--data-dir", "127.0.0.1", "console +5", "--console-token", "SPREADOPS_ALL_CONSOLE_TOKEN"]) expect(help).toContain(text);
  });
});
