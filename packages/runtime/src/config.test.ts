import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, defineOptions, describeConfig, helpRequested, option, parseConfig, renderHelp } from "./config.js";
import { duration } from "./duration.js";

const options = defineOptions({
  port: option({
    type: z.number().int().min(0).max(65535),
    env: "SPREADOPS_GATEWAY_PORT",
    flag: "--port",
    default: 8080,
    description: "Port to listen on.",
  }),
  logLevel: option({
    type: z.enum(["debug", "info", "warn"]),
    env: "SPREADOPS_GATEWAY_LOG_LEVEL",
    flag: "--log-level",
    default: "info",
    description: "Lowest log level.",
  }),
  pollInterval: option({
    type: duration({ min: "1s" }),
    env: "SPREADOPS_GATEWAY_POLL_INTERVAL",
    flag: "--poll-interval",
    default: "15s",
    description: "How often to poll.",
  }),
  symbols: option({
    type: z.array(z.string().min(1)).min(1),
    env: "SPREADOPS_GATEWAY_SYMBOLS",
    flag: "--symbols",
    default: "SPY,QQQ",
    description: "Underlyings to scan.",
  }),
  paper: option({
    type: z.boolean(),
    env: "SPREADOPS_GATEWAY_PAPER",
    flag: "--paper",
    default: true,
    description: "Trade the paper account.",
  }),
  twsHost: option({
    type: z.string().min(1),
    env: "SPREADOPS_GATEWAY_TWS_HOST",
    flag: "--tws-host",
    description: "TWS or IB Gateway host.",
  }),
  apiToken: option({
    type: z.string().min(32),
    env: "SPREADOPS_GATEWAY_API_TOKEN",
    description: "Token for the admin API.",
    secret: true,
  }),
  maxOrders: option({
    type: z.number().int().positive().optional(),
    env: "SPREADOPS_GATEWAY_MAX_ORDERS",
    flag: "--max-orders",
    description: "Cap on open orders.",
  }),
});

const TOKEN = "t".repeat(40);
const baseEnv = { SPREADOPS_GATEWAY_TWS_HOST: "tws", SPREADOPS_GATEWAY_API_TOKEN: TOKEN };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("uses defaults, coercing text defaults", () => {
    const config = parseConfig(options, { argv: [], env: baseEnv });
    expect(config).toEqual({
      port: 8080,
      logLevel: "info",
      pollInterval: 15_000,
      symbols: ["SPY", "QQQ"],
      paper: true,
      twsHost: "tws",
      apiToken: TOKEN,
      maxOrders: undefined,
    });
  });

  it("takes env over default and flag over env", () => {
    const env = { ...baseEnv, SPREADOPS_GATEWAY_PORT: "9000", SPREADOPS_GATEWAY_POLL_INTERVAL: "1m30s" };
    expect(parseConfig(options, { argv: [], env }).port).toBe(9000);
    const config = parseConfig(options, { argv: ["--port", "9100", "--poll-interval=2500ms", "--no-paper"], env });
    expect(config.port).toBe(9100);
    expect(config.pollInterval).toBe(2_500);
    expect(config.paper).toBe(false);
  });

  it("coerces booleans, lists and durations from env", () => {
    const config = parseConfig(options, {
      argv: [],
      env: {
        ...baseEnv,
        SPREADOPS_GATEWAY_PAPER: "no",
        SPREADOPS_GATEWAY_SYMBOLS: " IWM , SPX ,",
        SPREADOPS_GATEWAY_POLL_INTERVAL: "1m30s",
        SPREADOPS_GATEWAY_MAX_ORDERS: "3",
      },
    });
    expect(config.paper).toBe(false);
    expect(config.symbols).toEqual(["IWM", "SPX"]);
    expect(config.pollInterval).toBe(90_000);
    expect(config.maxOrders).toBe(3);
  });

  it("treats an empty env var as unset", () => {
    expect(parseConfig(options, { argv: [], env: { ...baseEnv, SPREADOPS_GATEWAY_PORT: "" } }).port).toBe(8080);
  });

  it("names the env var, the expected form and the value for a bad number", () => {
    const error = configError(() => parseConfig(options, { argv: [], env: { ...baseEnv, SPREADOPS_GATEWAY_PORT: "80a" } }));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain("env SPREADOPS_GATEWAY_PORT");
    expect(error.message).toContain("expected an integer from 0 to 65535");
    expect(error.message).toContain('got "80a"');
  });

  it("names the flag for an out-of-range number given as a flag", () => {
    const error = configError(() => parseConfig(options, { argv: ["--port", "70000"], env: baseEnv }));
    expect(error.message).toContain("flag --port");
    expect(error.message).toContain("expected an integer from 0 to 65535");
    expect(error.message).toContain('got "70000"');
  });

  it("lists the allowed values for a bad enum", () => {
    const error = configError(() => parseConfig(options, { argv: ["--log-level=loud"], env: baseEnv }));
    expect(error.message).toContain("flag --log-level");
    expect(error.message).toContain("expected one of debug, info, warn");
    expect(error.message).toContain('got "loud"');
  });

  it("explains the duration form for a bad duration, and enforces bounds", () => {
    const bad = configError(() =>
      parseConfig(options, { argv: [], env: { ...baseEnv, SPREADOPS_GATEWAY_POLL_INTERVAL: "15" } }),
    );
    expect(bad.message).toContain("env SPREADOPS_GATEWAY_POLL_INTERVAL");
    expect(bad.message).toContain("expected a duration such as 15s, 5m, 1h30m or 250ms");
    expect(bad.message).toContain('got "15"');

    const short = configError(() => parseConfig(options, { argv: ["--poll-interval", "500ms"], env: baseEnv }));
    expect(short.message).toContain("must be at least 1s");
  });

  it("reports every missing required option with where to set it", () => {
    const error = configError(() => parseConfig(options, { argv: [], env: {} }));
    expect(error.issues.map((i) => i.option)).toEqual(["twsHost", "apiToken"]);
    expect(error.message).toContain("missing required option twsHost: set env SPREADOPS_GATEWAY_TWS_HOST or flag --tws-host");
    expect(error.message).toContain("missing required option apiToken: set env SPREADOPS_GATEWAY_API_TOKEN");
  });

  it("rejects an unknown flag and suggests the closest one", () => {
    const error = configError(() => parseConfig(options, { argv: ["--prot", "1"], env: baseEnv }));
    expect(error.issues[0]?.message).toContain("unknown flag --prot (did you mean --port?)");
    // The stray "1" is reported too rather than silently ignored.
    expect(error.issues.map((i) => i.message).join("\n")).toContain('unexpected argument "1"');
  });

  it("does not suggest anything for an unrelated flag", () => {
    const error = configError(() => parseConfig(options, { argv: ["--frobnicate"], env: baseEnv }));
    expect(error.message).toContain("unknown flag --frobnicate");
    expect(error.message).not.toContain("did you mean");
  });

  it("complains about a flag missing its value", () => {
    const error = configError(() => parseConfig(options, { argv: ["--port"], env: baseEnv }));
    expect(error.message).toContain("flag --port needs a value: expected an integer from 0 to 65535");
  });

  it("never echoes a secret", () => {
    const leaked = "short-secret-value";
    const error = configError(() =>
      parseConfig(options, { argv: [], env: { ...baseEnv, SPREADOPS_GATEWAY_API_TOKEN: leaked } }),
    );
    expect(error.message).toContain("env SPREADOPS_GATEWAY_API_TOKEN");
    expect(error.message).toContain("[REDACTED]");
    expect(error.message).not.toContain(leaked);
    expect(JSON.stringify(error.issues)).not.toContain(leaked);
  });

  it("collects all problems in one error", () => {
    const error = configError(() =>
      parseConfig(options, { argv: ["--port", "x", "--log-level", "nope"], env: {} }),
    );
    expect(error.issues.map((i) => i.option)).toEqual(["port", "logLevel", "twsHost", "apiToken"]);
    expect(error.message.split("\n").length).toBe(5);
  });

  it("reads only what it is given", () => {
    // Nothing from process.env leaks in: the same call with other sources gives other results.
    const a = parseConfig(options, { argv: [], env: { ...baseEnv, SPREADOPS_GATEWAY_PORT: "1" } });
    const b = parseConfig(options, { argv: [], env: { ...baseEnv, SPREADOPS_GATEWAY_PORT: "2" } });
    expect([a.port, b.port]).toEqual([1, 2]);
  });
});

describe("defineOptions", () => {
  it("rejects duplicate flags and badly named env vars", () => {
    expect(() =>
      defineOptions({
        a: option({ type: z.string(), flag: "--x", description: "a" }),
        b: option({ type: z.string(), flag: "--x", description: "b" }),
      }),
    ).toThrow(/share flag --x/);
    expect(() => defineOptions({ a: option({ type: z.string(), env: "lower_case", description: "a" }) })).toThrow(
      /UPPER_SNAKE_CASE/,
    );
  });
});

describe("help", () => {
  it("is requested by --help or -h", () => {
    expect(helpRequested(["--port", "1", "--help"])).toBe(true);
    expect(helpRequested(["-h"])).toBe(true);
    expect(helpRequested(["--port", "1"])).toBe(false);
  });

  it("lists every option with its flag, env var, default and description", () => {
    const help = renderHelp(options, { program: "spreadops-gateway", summary: "The IB gateway." });
    expect(help).toContain("Usage: spreadops-gateway [flags]");
    for (const [key, spec] of Object.entries(options)) {
      expect(help, key).toContain(spec.description);
      if (spec.env !== undefined) expect(help, key).toContain(spec.env);
      if (spec.flag !== undefined) expect(help, key).toMatch(new RegExp(`--(\\[no-\\])?${spec.flag.slice(2)}`));
    }
    expect(help).toMatch(/--port <int>\s+env SPREADOPS_GATEWAY_PORT/);
    expect(help).toContain("default: 8080");
    expect(help).toContain("default: 15s");
    expect(help).toContain("default: SPY,QQQ");
    expect(help).toContain("--log-level <debug|info|warn>");
    expect(help).toContain("--[no-]paper");
    expect(help).toMatch(/Token for the admin API\.\n\s+default: required; secret/);
    expect(help).toContain("default: none");
  });

  it("describeConfig hides secrets", () => {
    const config = parseConfig(options, { argv: [], env: baseEnv });
    const described = describeConfig(options, config);
    expect(described["apiToken"]).toBe("[REDACTED]");
    expect(described["twsHost"]).toBe("tws");
    expect(JSON.stringify(described)).not.toContain(TOKEN);
  });

  it("describeConfig shows an option with logAs the way it says (e.g. a masked account)", () => {
    const account = defineOptions({
      account: option({
        type: z.string(),
        flag: "--account",
        default: "DU1234567",
        description: "Account.",
        logAs: (value: string) => `${value.slice(0, 2)}****${value.slice(-3)}`,
      }),
    });
    const described = describeConfig(account, parseConfig(account, { argv: ["--account", "U7654321"], env: {} }));
    expect(described["account"]).toBe("U7****321");
    expect(JSON.stringify(described)).not.toContain("7654321");
  });
});
