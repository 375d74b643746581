import { executionDefinition } from "@spreadops/execution";
import { runService } from "@spreadops/runtime";
import type { Command } from "../command.js";

/**
 * `spreadops execution`: the execution service in this process (`--help` lists every option:
 * `--gateway-url`, `--kill-switch`, `--allow-live`, `--max-risk-per-trade`, walk defaults and
 * the common ones). See docs/execution.md.
 */
export function executionCommand(version: string): Command {
  return {
    name: "execution",
    summary: "the execution service: spread previews, idempotent placement with a risk gate and kill switch, walks, exits",
    run: (io) =>
      runService(executionDefinition(version), io, (service) => {
        service.logger.info(
          { address: service.address.url, gateway: service.config.gatewayUrl, killSwitch: service.config.killSwitch, allowLive: service.config.allowLive },
          "execution ready",
        );
      }),
  };
}
