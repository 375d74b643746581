import { z } from "zod";
import { commonOptions, option } from "@spreadops/runtime";

const port = z.number().int().min(0).max(65535);

/** The services the all-in-one hosts, in start order, with their offset from `--port-base`. */
export const HOSTED_SERVICES = ["gateway", "scanner", "strategy", "execution", "controller", "console"] as const;
export type HostedService = (typeof HOSTED_SERVICES)[number];

/**
 * `spreadops all`'s options. Its own server (`--port`) serves the platform's aggregate
 * `/readyz` plus its own `/metrics`; each hosted service has its own port from `--port-base`,
 * exactly as it would in a cluster, and they call each other over HTTP/2 on loopback.
 */
export function allOptions() {
  return {
    ...commonOptions("all"),
    port: option({
      type: port,
      env: "SPREADOPS_ALL_PORT",
      flag: "--port",
      default: 8090,
      description: "Port of the all-in-one's own /healthz, /readyz (every hosted part) and /metrics (0 picks one).",
    }),
    // On a laptop the platform should not be reachable from the network by default.
    host: option({
      type: z.string().min(1),
      env: "SPREADOPS_ALL_HOST",
      flag: "--host",
      default: "127.0.0.1",
      description: "Address every hosted service listens on (use 0.0.0.0 to expose them beyond this machine).",
    }),
    portBase: option({
      type: port,
      env: "SPREADOPS_ALL_PORT_BASE",
      flag: "--port-base",
      default: 8080,
      description: "First service port: gateway +0, scanner +1, strategy +2, execution +3, controller +4, console +5 (0 = each picks a free port).",
    }),
    storePort: option({
      type: port,
      env: "SPREADOPS_ALL_STORE_PORT",
      flag: "--store-port",
      default: 8091,
      description: "Port of the embedded store's Kubernetes-style API, used by `spreadops get|apply|…` through <data-dir>/kubeconfig (0 picks one).",
    }),
    dataDir: option({
      type: z.string().min(1),
      env: "SPREADOPS_ALL_DATA_DIR",
      flag: "--data-dir",
      default: ".spreadops",
      description: "Folder of the embedded store's file, its kubeconfig and token, the console's token and audit log (relative to the working directory).",
    }),
    manifests: option({
      type: z.string(),
      env: "SPREADOPS_ALL_MANIFESTS",
      flag: "--manifests",
      default: "k8s/examples",
      description: "File or folder of Strategy manifests created at start when absent (existing ones are left as they are); empty = none.",
    }),
    namespace: option({
      type: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS-1123 label"),
      env: "SPREADOPS_ALL_NAMESPACE",
      flag: "--namespace",
      default: "default",
      description: "Namespace of manifests that name none.",
    }),
    // Secret: the startup log line shows [REDACTED]; the console gets it through a file, never argv.
    consoleToken: option({
      type: z.string().min(16).optional(),
      env: "SPREADOPS_ALL_CONSOLE_TOKEN",
      flag: "--console-token",
      secret: true,
      description: "Token the web console requires for every change (at least 16 characters); unset = a new random one at each start. Written to <data-dir>/console-token and put in the console link of the start banner.",
    }),
    twsHost: option({
      type: z.string().min(1).optional(),
      env: "SPREADOPS_ALL_TWS_HOST",
      flag: "--tws-host",
      description: "TWS / IB Gateway (or a separately started simulator) to trade through; unset = start the built-in simulator.",
    }),
    twsPort: option({
      type: port.min(1),
      env: "SPREADOPS_ALL_TWS_PORT",
      flag: "--tws-port",
      default: 7497,
      description: "TWS API port with --tws-host (7497 = TWS paper, 4002 = IB Gateway paper).",
    }),
    clientId: option({
      type: z.number().int().min(0).max(2_147_483_647),
      env: "SPREADOPS_ALL_CLIENT_ID",
      flag: "--client-id",
      default: 17,
      description: "TWS API client id of the gateway's session; no other client may use it at the same time.",
    }),
    simPort: option({
      type: port,
      env: "SPREADOPS_ALL_SIM_PORT",
      flag: "--sim-port",
      default: 7497,
      description: "TWS API port of the built-in simulator (on --host; 0 picks one). Ignored with --tws-host.",
    }),
    simAdminPort: option({
      type: port,
      env: "SPREADOPS_ALL_SIM_ADMIN_PORT",
      flag: "--sim-admin-port",
      default: 7498,
      description: "Admin HTTP port of the built-in simulator: /stats, faults, /clock, /reset (0 picks one).",
    }),
    marketTime: option({
      type: z.enum(["auto", "real"]),
      env: "SPREADOPS_ALL_MARKET_TIME",
      flag: "--market-time",
      default: "auto",
      description: "Built-in simulator only. auto: outside US market hours the simulated market (and the platform's clock) starts at 10:00 New York on the latest weekday, so strategies trade at any hour; real: the wall clock.",
    }),
    simSeed: option({
      type: z.number().int().min(0),
      env: "SPREADOPS_ALL_SIM_SEED",
      flag: "--sim-seed",
      default: 42,
      description: "Seed of the simulator's synthetic market.",
    }),
  };
}
