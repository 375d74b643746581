import type { ConfigOf } from "@spreadops/runtime";
import { clockOffsetOption, commonOptions, option } from "@spreadops/runtime";
import { z } from "zod";

const PREFIX = "SPREADOPS_CONSOLE_";

/**
 * Every option of the console: the runtime's common ones (port 8085, after the controller's
 * 8084), the three service URLs it proxies read calls to, the namespace it shows, and the
 * token that guards mutations. `spreadops console --help` lists them.
 */
export function consoleOptions() {
  const common = commonOptions("console");
  return {
    ...common,
    port: option({ ...common.port, default: 8085, description: "Port of the web console, its Connect API, /metrics, /healthz and /readyz (HTTP/1.1 and h2c)." }),
    gatewayUrl: option({ type: z.url(), env: `${PREFIX}GATEWAY_URL`, flag: "--gateway-url", default: "http://127.0.0.1:8080", description: "Base URL of the gateway's Connect API (h2c): connection status and pacing streams." }),
    strategyUrl: option({ type: z.url(), env: `${PREFIX}STRATEGY_URL`, flag: "--strategy-url", default: "http://127.0.0.1:8082", description: "Base URL of the strategy service's Connect API (h2c): evaluations stream, ValidateStrategy." }),
    executionUrl: option({ type: z.url(), env: `${PREFIX}EXECUTION_URL`, flag: "--execution-url", default: "http://127.0.0.1:8083", description: "Base URL of the execution service's Connect API (h2c): spreads and their order events." }),
    namespace: option({ type: z.string().min(1), env: `${PREFIX}NAMESPACE`, flag: "--namespace", default: "default", description: "Namespace whose Strategies and Trades the console shows and edits." }),
    token: option({ type: z.string().min(16).optional(), env: `${PREFIX}TOKEN`, flag: "--token", secret: true, description: "Token every mutating call must carry (Authorization: Bearer); at least 16 characters. Without a token (or --token-file) the console is read-only." }),
    tokenFile: option({ type: z.string().min(1).optional(), env: `${PREFIX}TOKEN_FILE`, flag: "--token-file", description: "File holding the token (e.g. a mounted Secret); read at start, surrounding whitespace ignored." }),
    allowedOrigins: option({ type: z.string().optional(), env: `${PREFIX}ALLOWED_ORIGINS`, flag: "--allowed-origins", description: "Comma-separated extra origins (scheme://host:port) allowed to send mutating calls, e.g. an ingress host; the console's own origin is always allowed." }),
    auditLog: option({ type: z.string().min(1).optional(), env: `${PREFIX}AUDIT_LOG`, flag: "--audit-log", description: "Also append every mutating call (who, what, outcome) as a JSON line to this file." }),
    ...clockOffsetOption("console"),
  };
}

/** The console's parsed configuration. */
export type ConsoleConfig = ConfigOf<ReturnType<typeof consoleOptions>>;
