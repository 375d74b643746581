import { gatewayDefinition } from "@spreadops/gateway";
import { runService } from "@spreadops/runtime";
import type { Command } from "../command.js";

/** `spreadops gateway`: the gateway service in this process; `--help` lists every option. */
export function gatewayCommand(version: string): Command {
  return {
    name: "gateway",
    summary: "the TWS gateway service (one TWS session, leader-elected, over Connect)",
    run: (io) =>
      runService(gatewayDefinition(version), io, (service) => {
        service.logger.info({ address: service.address.url }, "gateway ready");
      }),
  };
}
