/**
 * Starts `spreadops all` (the built CLI, as `npm start` runs it) in a child process on free ports
 * with a fresh data dir, and reads where the console is from its start banner.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface RunningPlatform {
  /** The console's origin, e.g. http://127.0.0.1:41234. */
  readonly consoleUrl: string;
  /** The sign-in link the banner printed (origin + /#token=…). */
  readonly signInLink: string;
  readonly token: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Sends SIGUSR2: the all-in-one restarts its gateway on the same port. */
  restartGateway(): void;
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL("../../cli/dist/main.js", import.meta.url));

export async function startPlatform(options: { readonly manifests: string; readonly startTimeoutMs?: number }): Promise<RunningPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), "spreadops-e2e-"));
  const child = spawn(process.execPath, [
    CLI, "all",
    "--port", "0", "--port-base", "0", "--store-port", "0", "--sim-port", "0", "--sim-admin-port", "0",
    "--data-dir", dataDir, "--manifests", options.manifests, "--log-format", "json", "--log-level", "info",
  ], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => { output += chunk; });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => { output += chunk; });

  const link = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => { reject(new Error(`the all-in-one printed no console link within ${options.startTimeoutMs ?? 120_000} ms:\n${output.slice(-4000)}`)); }, options.startTimeoutMs ?? 120_000);
    const look = () => {
      const match = /(http:\/\/[^\s/]+)\/#token=([A-Za-z0-9_-]+)/.exec(output);
      if (match !== null) { clearTimeout(deadline); resolve(match[0]); }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.once("exit", (code) => { clearTimeout(deadline); reject(new Error(`the all-in-one exited with ${String(code)} before it was up:\n${output.slice(-4000)}`)); });
  });
  const url = new URL(link);
  const token = new URLSearchParams(url.hash.slice(1)).get("token") ?? "";
  return {
    consoleUrl: url.origin,
    signInLink: link,
    token,
    dataDir,
    child,
    output: () => output,
    restartGateway: () => { child.kill("SIGUSR2"); },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => { resolve(); }));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
