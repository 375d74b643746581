import { join, resolve } from "node:path";
import { consoleDefinition } from "@spreadops/console";
import { controllerDefinition } from "@spreadops/controller";
import {
  crdTypeRegistrations, crds, generateStoreApiToken, openFileStore, startStoreApiServer, writeKubeconfig, type EmbeddedStore,
} from "@spreadops/resources";
import { childLogger } from "@spreadops/runtime";
import { consoleLink, generateConsoleToken, writeConsoleToken } from "./console-token.js";
import { hostService } from "./host-service.js";
import { explainListen } from "./listen-errors.js";
import { loadStartManifests } from "./start-manifests.js";
import type { PlatformContext, PlatformEndpoints } from "./platform.js";
import { sharedFlags, reportReadiness } from "./platform.js";

/** Where the control plane can be reached. */
export interface ControlPlaneEndpoints {
  readonly controller: string;
  /** The embedded store's Kubernetes-style API. */
  readonly storeApi: string;
  /** kubeconfig for `spreadops get|apply|…` (and kubectl) against the embedded store. */
  readonly kubeconfig: string;
  readonly storeFile: string;
  /** What the start manifests did, one line per object. */
  readonly loaded: readonly string[];
  readonly console: {
    readonly url: string;
    /** The URL with the token in its fragment: opening it signs the browser in. Print it once. */
    readonly link: string;
    /** Where the token is kept for the user (and read by the console). */
    readonly tokenFile: string;
  };
}


/**
 * The control plane of the all-in-one: the embedded store (a file in the data dir), its
 * Kubernetes-style API with a kubeconfig for the CLI, the start manifests, the controller
 * as a hosted service reconciling over the store, and the web console over the same store.
 */
export async function startControlPlane(context: PlatformContext, platform: PlatformEndpoints): Promise<ControlPlaneEndpoints> {
  const services = platform.services;
  const { config, version, io, logger, lifecycle, readiness, tracing } = context;
  const dataDir = resolve(config.dataDir);
  const types = crdTypeRegistrations();
  const store: EmbeddedStore = await openFileStore({ dataDir, types });
  lifecycle.register("store", () => store.close());

  const token = generateStoreApiToken();
  const storeLogger = childLogger(logger, { component: "store-api" });
  const api = await explainListen("the store API port", "--store-port", () => startStoreApiServer({
    store,
    types: types.map((t) => t.type),
    token,
    host: config.host,
    port: config.storePort,
    // kubectl's `get` shows the CRDs' printer columns, as on a cluster.
    printerColumns: Object.fromEntries(crds().map((crd) => [crd.metadata.name, crd.spec.versions.find((v) => v.storage)?.additionalPrinterColumns ?? []])),
    onInternalError: (error) => { storeLogger.error({ err: error }, "store API request failed"); },
  }));
  lifecycle.register("store-api", () => api.close());
  const kubeconfig = join(dataDir, "kubeconfig");
  await writeKubeconfig(kubeconfig, {
    server: api.url,
    token,
    namespace: config.namespace,
    ...(api.certificateAuthority === undefined ? {} : { certificateAuthority: api.certificateAuthority }),
  });
  readiness.add("store", () => ({ ok: true, message: `${join(dataDir, "store.json")}, API ${api.url}` }));

  const loaded = config.manifests === "" ? [] : await loadStartManifests(store, resolve(config.manifests), config.namespace);
  for (const line of loaded) logger.info({ manifest: line }, "start manifest");

  const controller = await hostService(controllerDefinition(version, { store: () => store, env: io.env, clock: platform.clock }), [
    ...sharedFlags(config, "controller"),
    "--strategy-url", services.strategy,
    "--execution-url", services.execution,
    "--gateway-url", services.gateway,
    // One process, one controller: there is nobody to elect against.
    "--leader-election", "off",
  ], io, tracing);
  lifecycle.register("controller", async () => { await controller.stop(); });
  reportReadiness(readiness, "controller", controller);

  const consoleEndpoints = await startConsole(context, platform, store, dataDir);

  return { controller: controller.address.url, storeApi: api.url, kubeconfig, storeFile: join(dataDir, "store.json"), loaded, console: consoleEndpoints };
}

// The hosted console takes its token from the file only: a SPREADOPS_CONSOLE_TOKEN in the shell
// would clash with --token-file (the console refuses both) and the banner would link the wrong one.
const CONSOLE_TOKEN_ENV = new Set(["SPREADOPS_CONSOLE_TOKEN", "SPREADOPS_CONSOLE_TOKEN_FILE"]);

/**
 * The web console over the embedded store, proxying to the services, with the token of
 * --console-token (or a new one) in <data-dir>/console-token and an audit log next to it.
 */
async function startConsole(context: PlatformContext, platform: PlatformEndpoints, store: EmbeddedStore, dataDir: string): Promise<ControlPlaneEndpoints["console"]> {
  const { config, version, io, lifecycle, readiness, tracing } = context;
  const services = platform.services;
  const token = config.consoleToken ?? generateConsoleToken();
  const tokenFile = join(dataDir, "console-token");
  await writeConsoleToken(tokenFile, token);
  const env = Object.fromEntries(Object.entries(io.env).filter(([name]) => !CONSOLE_TOKEN_ENV.has(name)));
  const running = await hostService(consoleDefinition(version, { store: () => store, storeKind: "embedded", clock: platform.clock, env: io.env }), [
    ...sharedFlags(config, "console"),
    "--gateway-url", services.gateway,
    "--strategy-url", services.strategy,
    "--execution-url", services.execution,
    "--namespace", config.namespace,
    "--token-file", tokenFile,
    // A laptop keeps a record of every change made through the console.
    "--audit-log", join(dataDir, "audit.log"),
  ], { ...io, env }, tracing);
  lifecycle.register("console", async () => { await running.stop(); });
  reportReadiness(readiness, "console", running);
  return { url: running.address.url, link: consoleLink(running.address.url, token), tokenFile };
}
