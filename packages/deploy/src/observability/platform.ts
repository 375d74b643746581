/**
 * Starts the real services as child processes and scrapes their /metrics: the all-in-one
 * (`spreadops all`: gateway, scanner, strategy, execution, controller, console and its own
 * platform port) and a standalone simulator (`spreadops sim`, whose admin port serves the simulator's
 * metrics — the all-in-one's built-in simulator admin does not). Everything listens on
 * ephemeral ports with a temporary data folder, so runs never collide with a developer's
 * `npm start`. Needs the compiled CLI (`npm run build`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helm.js";
import { parseExposition, type MetricFamily } from "./exposition.js";

/** The compiled CLI every process runs. */
export const CLI_MAIN = join(REPO_ROOT, "services", "cli", "dist", "main.js");

/** The services the all-in-one hosts, each on its own port. */
export const HOSTED_SERVICES = ["gateway", "scanner", "strategy", "execution", "controller", "console"] as const;
export type HostedService = (typeof HOSTED_SERVICES)[number];

/** Where one process's /metrics can be scraped. */
export interface ScrapeTarget {
  /** gateway, scanner, strategy, execution, controller, console, platform (the all-in-one's own port) or sim. */
  readonly name: string;
  /** Base URL, e.g. `http://127.0.0.1:40777`; /metrics is appended. */
  readonly url: string;
}

/** A started child process and the scrape targets it serves. */
export interface StartedProcess {
  readonly pid: number;
  readonly targets: readonly ScrapeTarget[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** The metric families of each scrape target, by target name. */
export type MetricInventory = ReadonlyMap<string, ReadonlyMap<string, MetricFamily>>;

/** The environment of the children: ours without anything that would point them elsewhere. */
function hermeticEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("SPREADOPS_") || key.startsWith("OTEL_")) continue;
    if (key === "KUBECONFIG" || key === "KUBERNETES_SERVICE_HOST" || key === "KUBERNETES_SERVICE_PORT") continue;
    env[key] = value;
  }
  return env;
}

async function assertBuilt(): Promise<void> {
  try {
    await access(CLI_MAIN, constants.R_OK);
  } catch {
    throw new Error(`${CLI_MAIN} is missing: run \`npm run build\` first (npm test does)`);
  }
}

/** Keeps the last `max` characters of a stream (a child's pipe must be drained or it blocks). */
class Tail {
  #text = "";
  constructor(private readonly max = 16_384) {}
  add(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-this.max);
  }
  get text(): string {
    return this.#text;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => { resolve(); }));
}

function stopper(child: ChildProcess): (graceMs?: number) => Promise<void> {
  return async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = exited(child);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    try {
      await done;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Spawns `node CLI_MAIN …args` and resolves with whatever `ready` extracts from its output
 * once it extracts something; rejects when the process exits first or `timeoutMs` passes (the
 * process is then stopped).
 */
async function spawnUntil<T>(
  args: readonly string[],
  ready: (stdout: string, stderr: string) => T | undefined,
  timeoutMs: number,
): Promise<{ child: ChildProcess; value: T }> {
  await assertBuilt();
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: REPO_ROOT, env: hermeticEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const out = new Tail();
  const err = new Tail();
  let stdoutAll = "";
  let stderrAll = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, value?: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Keep draining (into the tails only) so the child never blocks on a full pipe.
      stdoutAll = "";
      stderrAll = "";
      if (error !== undefined) {
        void stopper(child)(2_000).finally(() => { reject(error); });
      } else {
        resolve({ child, value: value as T });
      }
    };
    const check = (): void => {
      if (settled) return;
      const value = ready(stdoutAll, stderrAll);
      if (value !== undefined) finish(undefined, value);
    };
    child.stdout.on("data", (chunk: string) => {
      out.add(chunk);
      if (!settled) stdoutAll += chunk;
      check();
    });
    child.stderr.on("data", (chunk: string) => {
      err.add(chunk);
      if (!settled) stderrAll += chunk;
      check();
    });
    child.once("error", (error) => { finish(error); });
    child.once("exit", (code, signal) => {
      finish(new Error(`spreadops ${args[0] ?? ""} exited (${String(code ?? signal)}) before it was ready\nstderr:\n${err.text}\nstdout:\n${out.text}`));
    });
    const timer = setTimeout(() => {
      finish(new Error(`spreadops ${args[0] ?? ""} was not ready within ${String(timeoutMs)} ms\nstderr:\n${err.text}\nstdout:\n${out.text}`));
    }, timeoutMs);
  });
}

/**
 * The service URLs of the all-in-one's start banner (stderr), once it has printed all of them:
 * `platform http://…/readyz …` and one `<service> http://…` line per hosted service (the
 * console's is its sign-in link, `http://…/#token=…`: only the origin is kept).
 */
export function parseBanner(text: string): ScrapeTarget[] | undefined {
  const targets: ScrapeTarget[] = [];
  const platform = /^\s*platform\s+(http:\/\/[^/\s]+)/m.exec(text);
  if (platform?.[1] === undefined) return undefined;
  targets.push({ name: "platform", url: platform[1] });
  for (const service of HOSTED_SERVICES) {
    const line = new RegExp(`^\\s*${service}\\s+(http://[^/\\s]+)`, "m").exec(text);
    if (line?.[1] === undefined) return undefined;
    targets.push({ name: service, url: line[1] });
  }
  return targets;
}

/** Starts `spreadops all` on ephemeral ports with a temporary data folder and no start manifests. */
export async function startAllInOne(timeoutMs = 90_000): Promise<StartedProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), "spreadops-observability-"));
  const args = [
    "all", "--port", "0", "--port-base", "0", "--store-port", "0", "--sim-port", "0", "--sim-admin-port", "0",
    "--data-dir", dataDir, "--manifests", "", "--log-format", "json", "--log-level", "warn",
  ];
  try {
    const { child, value } = await spawnUntil(args, (_out, err) => parseBanner(err), timeoutMs);
    const stop = stopper(child);
    return {
      pid: child.pid ?? -1,
      targets: value,
      stop: async (graceMs) => {
        await stop(graceMs);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The admin URL of a standalone simulator, from its `tws-sim ready` JSON log line. */
export function parseSimReady(text: string): ScrapeTarget[] | undefined {
  for (const line of text.split("\n")) {
    if (!line.includes("tws-sim ready")) continue;
    try {
      const entry = JSON.parse(line) as { admin?: unknown };
      if (typeof entry.admin === "string") return [{ name: "sim", url: entry.admin.replace(/\/+$/, "") }];
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}

/** Starts `spreadops sim` with both ports ephemeral. */
export async function startSimulator(timeoutMs = 30_000): Promise<StartedProcess> {
  const args = ["sim", "--port", "0", "--admin-port", "0", "--log-format", "json", "--log-level", "info"];
  const { child, value } = await spawnUntil(args, (out) => parseSimReady(out), timeoutMs);
  return { pid: child.pid ?? -1, targets: value, stop: stopper(child) };
}

/** GET `<url>/metrics` as text; throws on a non-200 answer. */
export async function scrape(target: ScrapeTarget): Promise<string> {
  const response = await fetch(`${target.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${target.name}: GET ${target.url}/metrics answered ${String(response.status)}: ${body.slice(0, 200)}`);
  return body;
}

/** Scrapes every target and parses each answer. */
export async function inventory(targets: readonly ScrapeTarget[]): Promise<MetricInventory> {
  const scraped = await Promise.all(targets.map(async (t) => [t.name, parseExposition(await scrape(t))] as const));
  return new Map(scraped);
}

/** Every family over all targets (a name exported by several processes merges its label names). */
export function allFamilies(metrics: MetricInventory): Map<string, MetricFamily> {
  const merged = new Map<string, MetricFamily>();
  for (const families of metrics.values()) {
    for (const [name, family] of families) {
      const seen = merged.get(name);
      merged.set(name, seen === undefined ? family : {
        ...seen,
        labelNames: new Set([...seen.labelNames, ...family.labelNames]),
        samples: seen.samples + family.samples,
      });
    }
  }
  return merged;
}
