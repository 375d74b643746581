import { runService } from "@spreadops/runtime";
import { strategyDefinition } from "@spreadops/strategy";
import type { Command } from "../command.js";

/**
 * `spreadops strategy`: the strategy service in this process (`--help` lists every option:
 * `--gateway-url`, `--scanner-url`, `--execution-url` and the common ones).
 */
export function strategyCommand(version: string): Command {
  return {
    name: "strategy",
    summary: "the strategy service (signals, spread kind, risk budget -> spread proposals, over Connect)",
    run: (io) =>
      runService(strategyDefinition(version), io, (service) => {
        service.logger.info(
          { address: service.address.url, gateway: service.config.gatewayUrl, scanner: service.config.scannerUrl, execution: service.config.executionUrl },
          "strategy ready",
        );
      }),
  };
}
