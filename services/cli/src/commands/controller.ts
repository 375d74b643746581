import { controllerDefinition } from "@spreadops/controller";
import { runService } from "@spreadops/runtime";
import type { Command } from "../command.js";

/**
 * `spreadops controller`: the operator over the Kubernetes API (in-cluster config, KUBECONFIG or
 * ~/.kube/config), leader-elected; `--help` lists every option. See docs/operator.md.
 */
export function controllerCommand(version: string): Command {
  return {
    name: "controller",
    summary: "the operator: reconciles Strategy and Trade resources on a Kubernetes cluster (leader-elected)",
    run: (io) =>
      runService(controllerDefinition(version, { env: io.env }), io, (service) => {
        service.logger.info({ address: service.address.url, strategy: service.config.strategyUrl, execution: service.config.executionUrl }, "controller ready");
      }),
  };
}
