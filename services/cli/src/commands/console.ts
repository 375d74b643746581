import { consoleDefinition } from "@spreadops/console";
import { runService } from "@spreadops/runtime";
import type { Command } from "../command.js";

/**
 * `spreadops console`: the web console over the Kubernetes API (in-cluster config, KUBECONFIG or
 * ~/.kube/config) and the services' URLs; `--help` lists every option. `spreadops all` hosts the
 * same definition over its embedded store.
 */
export function consoleCommand(version: string): Command {
  return {
    name: "console",
    summary: "the web console: strategies, live scanner, trade approval, positions and activity in the browser",
    run: (io) =>
      runService(consoleDefinition(version, { env: io.env }), io, (service) => {
        // The token is secret: say whether changes are allowed, never what the token is.
        const { config } = service;
        service.logger.info({ address: service.address.url, namespace: config.namespace, readOnly: config.token === undefined && config.tokenFile === undefined }, "console ready");
      }),
  };
}
