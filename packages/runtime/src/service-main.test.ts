import { EventEmitter } from "node:events";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { option } from "./config.js";
import { DomainError } from "./errors.js";
import { ServiceExitCode, commonOptions, envPrefix, runService, serviceMain } from "./service-main.js";
import type { ProcessIO, ServiceDefinition } from "./service-main.js";
import type { SignalSource } from "./shutdown.js";
import { EchoService } from "./testing/echo-service.js";

function fakeIO(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => (text: string) => {
    into.push(text);
  };
  const signals = new EventEmitter() as EventEmitter & SignalSource;
  const exit = vi.fn<(code: number) => void>();
  const io: ProcessIO = { argv, env, stdout: sink(out), stderr: sink(err), stdoutIsTty: false, signals, exit };
  const logLines = () =>
    out
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { io, out, err, signals, exit, logLines };
}

const options = {
  ...commonOptions("echo"),
  greeting: option({
    type: z.string().min(1),
    env: "SPREADOPS_ECHO_GREETING",
    flag: "--greeting",
    default: "hello",
    description: "What to say first.",
  }),
  twsPassword: option({ type: z.string().optional(), env: "SPREADOPS_ECHO_TWS_PASSWORD", description: "Key.", secret: true }),
};

function definition(closed: string[]): ServiceDefinition<typeof options> {
  return {
    name: "echo",
    version: "1.2.3",
    summary: "Echoes things for tests.",
    options,
    start({ config, lifecycle, readiness }) {
      lifecycle.register("upstream", () => {
        closed.push("upstream");
      });
      readiness.add("upstream", () => true);
      return {
        routes: (router) =>
          router.service(EchoService, {
            echo(req) {
              if (req.value === "") throw new DomainError("invalid_argument", "value must not be empty");
              return { value: `${config.greeting} ${req.value}` };
            },
          }),
      };
    },
  };
}

describe("serviceMain", () => {
  it("derives env names from the service name", () => {
    expect(envPrefix("gateway")).toBe("SPREADOPS_GATEWAY_");
    expect(commonOptions("strategy-runner").port.env).toBe("SPREADOPS_STRATEGY_RUNNER_PORT");
  });

  it("prints help and exits 0", async () => {
    const { io, out, exit } = fakeIO(["--help"]);
    expect(await serviceMain(definition([]), io)).toBeUndefined();
    expect(exit).toHaveBeenCalledWith(0);
    const help = out.join("");
    expect(help).toContain("Usage: spreadops-echo [flags]");
    expect(help).toContain("SPREADOPS_ECHO_GREETING");
    expect(help).toContain("--drain-timeout <duration>");
  });

  it("exits 78 with the config error on stderr", async () => {
    const { io, err, exit } = fakeIO(["--port", "eighty"], { SPREADOPS_ECHO_TWS_PASSWORD: "sk-live-123" });
    expect(await serviceMain(definition([]), io)).toBeUndefined();
    expect(exit).toHaveBeenCalledWith(ServiceExitCode.config);
    expect(err.join("")).toContain('invalid value for flag --port: expected an integer from 0 to 65535, got "eighty"');
  });

  it("runs a service end to end: config, logs, RPC, metrics, readiness, SIGTERM", async () => {
    const closed: string[] = [];
    const { io, signals, exit, logLines } = fakeIO(["--port", "0", "--host", "127.0.0.1", "--greeting=hi", "--log-level", "debug"], {
      SPREADOPS_ECHO_TWS_PASSWORD: "sk-live-123",
      SPREADOPS_ECHO_DRAIN_TIMEOUT: "2s",
    });
    const running = await serviceMain(definition(closed), io);
    if (running === undefined) throw new Error(`service did not start: ${JSON.stringify(exit.mock.calls)}`);
    expect(running.config.drainTimeout).toBe(2_000);

    const starting = logLines().find((l) => l["msg"] === "starting");
    expect(starting).toMatchObject({ service: "echo", version: "1.2.3", config: { greeting: "hi", twsPassword: "[REDACTED]" } });
    expect(JSON.stringify(logLines())).not.toContain("sk-live-123");

    const client = createClient(EchoService, createConnectTransport({ baseUrl: running.address.url, httpVersion: "1.1" }));
    expect((await client.echo({ value: "there" })).value).toBe("hi there");
    const failure = await client.echo({ value: "" }).catch((error: unknown) => ConnectError.from(error));
    expect(failure).toMatchObject({ code: Code.InvalidArgument, rawMessage: "value must not be empty" });

    const metrics = await (await fetch(`${running.address.url}/metrics`)).text();
    expect(metrics).toMatch(/spreadops_rpc_server_handled_total\{rpc_service="spreadops.testing.v1.EchoService",rpc_method="Echo",code="ok",service="echo"\} 1/);
    expect(metrics).toMatch(/code="invalid_argument",service="echo"\} 1/);
    expect((await fetch(`${running.address.url}/readyz`)).status).toBe(200);

    signals.emit("SIGTERM", "SIGTERM");
    await vi.waitFor(() => {
      expect(exit).toHaveBeenCalledWith(0);
    });
    // The server (registered last) closed before the service's own resource.
    const closeOrder = logLines()
      .filter((l) => l["msg"] === "server closed" || l["msg"] === "closed")
      .map((l) => (l["msg"] === "server closed" ? "server" : String(l["resource"])));
    expect(closeOrder.indexOf("server")).toBeLessThan(closeOrder.indexOf("upstream"));
    expect(closed).toEqual(["upstream"]);
    await expect(fetch(`${running.address.url}/healthz`)).rejects.toThrow();
  });

  it("runService resolves with the exit code instead of ending the process", async () => {
    const { io, signals } = fakeIO(["--port", "0", "--host", "127.0.0.1"]);
    const { exit: _exit, ...serviceIO } = io;
    let url = "";
    const code = runService(definition([]), serviceIO, (running) => {
      url = running.address.url;
      signals.emit("SIGTERM", "SIGTERM");
    });
    expect(await code).toBe(ServiceExitCode.ok);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await runService(definition([]), { ...serviceIO, argv: ["--bogus"] })).toBe(ServiceExitCode.config);
  });
});
