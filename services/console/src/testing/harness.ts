// Test-only: the console on a real port (serviceMain, port 0) over an in-memory store, with its
// JSON log captured and Connect clients as a browser (HTTP/1.1, JSON) and a service (h2, binary) use them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import { Http2SessionManager, createConnectTransport } from "@connectrpc/connect-node";
import type { ResourceStore } from "@spreadops/resources";
import type { RunningService } from "@spreadops/runtime";
import { serviceMain } from "@spreadops/runtime";
import type { ConsoleParts } from "../console-main.js";
import { consoleDefinition } from "../console-main.js";
import type { ConsoleConfig } from "../console-options.js";
import { memoryStore } from "./fixtures.js";

/** A token long enough for --token. */
export const TOKEN = "s3cret-console-token-0123456789";

/** What a test gets: the running console, its URL, its log lines and client factories. */
export interface ConsoleUnderTest {
  readonly running: RunningService<ConsoleConfig>;
  readonly url: string;
  readonly store: ResourceStore;
  readonly logs: Record<string, unknown>[];
  /** Raw stdout, to prove what never appears in it. */
  readonly output: string[];
  /** A client as the browser's: Connect over HTTP/1.1 with JSON bodies. */
  browser<S extends DescService>(service: S): Client<S>;
  /** A client over h2c with binary bodies. */
  h2<S extends DescService>(service: S): Client<S>;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly argv?: readonly string[];
  readonly store?: ResourceStore;
  readonly parts?: ConsoleParts;
  readonly gatewayUrl?: string;
  readonly strategyUrl?: string;
  readonly executionUrl?: string;
  /** --drain-timeout; default 200ms. */
  readonly drainTimeout?: string;
}

/** A local URL nothing listens on. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

export async function startConsole(options: StartOptions = {}): Promise<ConsoleUnderTest> {
  const store = options.store ?? memoryStore();
  const logs: Record<string, unknown>[] = [];
  const output: string[] = [];
  const down = await closedPortUrl();
  const webRoot = options.parts?.webRoot ?? await mkdtemp(join(tmpdir(), "console-web-"));
  const ownWebRoot = options.parts?.webRoot === undefined;
  if (ownWebRoot) await writeFile(join(webRoot, "index.html"), "<!doctype html><title>SpreadOps console</title>");
  const running = await serviceMain(consoleDefinition("0.0.0-test", { store: () => store, storeKind: "embedded", env: {}, ...options.parts, webRoot }), {
    argv: [
      "--port", "0", "--host", "127.0.0.1", "--log-level", "info", "--log-format", "json", "--drain-timeout", options.drainTimeout ?? "200ms",
      "--gateway-url", options.gatewayUrl ?? down, "--strategy-url", options.strategyUrl ?? down, "--execution-url", options.executionUrl ?? down,
      ...(options.argv ?? []),
    ],
    env: {},
    stdout: (text) => {
      output.push(text);
      for (const line of text.split("\n")) if (line.trim() !== "") logs.push(JSON.parse(line) as Record<string, unknown>);
    },
    stderr: (text) => { output.push(text); },
    exit: () => undefined,
  });
  if (running === undefined) throw new Error(`the console did not start:\n${output.join("")}`);
  const url = running.address.url;
  const sessions: Http2SessionManager[] = [];
  return {
    running, url, store, logs, output,
    browser: (service) => createClient(service, createConnectTransport({ baseUrl: url, httpVersion: "1.1", useBinaryFormat: false })),
    h2: (service) => {
      const sessionManager = new Http2SessionManager(url);
      sessions.push(sessionManager);
      return createClient(service, createConnectTransport({ baseUrl: url, httpVersion: "2", useBinaryFormat: true, sessionManager }));
    },
    async stop() {
      for (const session of sessions) session.abort();
      await running.stop();
      if (ownWebRoot) await rm(webRoot, { recursive: true, force: true });
    },
  };
}

/** Reads a server stream in the background, keeping every message, until `abort`. */
export function collect<T>(stream: AsyncIterable<T>): { readonly messages: T[]; readonly done: Promise<unknown> } {
  const messages: T[] = [];
  const done = (async () => {
    for await (const message of stream) messages.push(message);
  })().then(() => undefined, (error: unknown) => error);
  return { messages, done };
}
