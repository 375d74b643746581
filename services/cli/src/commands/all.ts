import { runService, type ServiceDefinition, type ServiceIO } from "@spreadops/runtime";
import { allOptions } from "../all-in-one/options.js";
import { startControlPlane, type ControlPlaneEndpoints } from "../all-in-one/control-plane.js";
import { startServices, type PlatformEndpoints } from "../all-in-one/platform.js";
import type { Command } from "../command.js";

/** The banner printed once the platform is up: where everything is and what to do next. */
export function renderBanner(url: string, endpoints: PlatformEndpoints, control: ControlPlaneEndpoints): string {
  const s = endpoints.services;
  const tws = endpoints.tws.builtIn
    ? `built-in simulator, TWS API on ${endpoints.tws.host}:${endpoints.tws.port}${endpoints.simAdmin === undefined ? "" : `, admin ${endpoints.simAdmin}`}`
    : `${endpoints.tws.host}:${endpoints.tws.port}`;
  return [
    "",
    "SpreadOps all-in-one is up",
    // The only place the token is printed: the fragment signs the browser in and never reaches a server.
    `  console    ${control.console.link}`,
    `             open this link; it signs you in (the token is also in ${control.console.tokenFile})`,
    `  platform   ${url}/readyz  (every part by name), /metrics, /healthz`,
    `  broker     ${tws}`,
    ...(endpoints.marketTimeStart === undefined ? [] : [
      `  market     simulated: US markets are closed now, so the market (and the platform's clock) started at ${new Date(endpoints.marketTimeStart).toISOString()} (10:00 New York); --market-time real to use the wall clock`,
    ]),
    `  gateway    ${s.gateway}`,
    `  scanner    ${s.scanner}`,
    `  strategy   ${s.strategy}`,
    `  execution  ${s.execution}   (POST /kill-switch?engaged=true stops new orders)`,
    `  controller ${control.controller}`,
    "  every service serves /metrics, /healthz and /readyz on its own port",
    `  store      ${control.storeFile}, API ${control.storeApi}`,
    ...(control.loaded.length === 0 ? [] : ["Start manifests:", ...control.loaded.map((line) => `  ${line}`)]),
    "In another shell, in this folder:",
    "  npx spreadops get strategies          npx spreadops get trades",
    "  npx spreadops describe trade NAME     npx spreadops approve trade NAME",
    "  npx spreadops apply -f FILE           npx spreadops pause|resume strategy NAME",
    `  kubectl --kubeconfig ${control.kubeconfig} get strategies,trades   (kubectl works too)`,
    "Ctrl-C stops everything; the store keeps every resource for the next start.",
    "",
  ].join("\n");
}

/** The all-in-one host as a service definition: it hosts the platform and serves its readiness. */
export function allInOne(
  version: string,
  io: Pick<ServiceIO, "env" | "stdout" | "stderr" | "stdoutIsTty" | "signals">,
  onUp?: (endpoints: PlatformEndpoints, control: ControlPlaneEndpoints) => void,
) {
  const definition: ServiceDefinition<ReturnType<typeof allOptions>> = {
    name: "all",
    version,
    summary: "The whole SpreadOps platform in one process: simulator (or your TWS), gateway, scanner, strategy, execution, controller, web console and the embedded resource store. SIGUSR2 restarts the gateway (a drill).",
    options: allOptions(),
    async start({ config, logger, readiness, lifecycle, tracing }) {
      const context = { config, version, io, logger, lifecycle, readiness, tracing };
      const endpoints = await startServices(context);
      const control = await startControlPlane(context, endpoints);
      onUp?.(endpoints, control);
      return { routes: () => undefined };
    },
  };
  return definition;
}

/** `spreadops all`. */
export function allCommand(version: string): Command {
  return {
    name: "all",
    summary: "the whole platform in one process on the built-in TWS simulator (npm start)",
    run: (io) => {
      let up: [PlatformEndpoints, ControlPlaneEndpoints] | undefined;
      return runService(allInOne(version, io, (endpoints, control) => { up = [endpoints, control]; }), io, (service) => {
        if (up !== undefined) io.stderr(renderBanner(service.address.url, ...up));
      });
    },
  };
}
