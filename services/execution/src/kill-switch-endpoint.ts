import type { HttpHandler } from "@spreadops/runtime";
import type { Logger } from "@spreadops/runtime";
import type { KillSwitch } from "./kill-switch.js";

/**
 * `/kill-switch`, the runtime toggle: GET answers `{"engaged":…,"reason":…}`; POST
 * `?engaged=true&reason=…` engages it at once, `?engaged=false` releases it. Every change is
 * logged at warn. The endpoint has no authentication of its own: like the RPCs it must only be
 * reachable inside the cluster (docs/execution.md).
 */
export function killSwitchEndpoint(killSwitch: KillSwitch, logger: Logger): HttpHandler {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const reply = (status: number, body: object): void => {
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET") {
      reply(200, { engaged: killSwitch.engaged, reason: killSwitch.reason });
      return;
    }
    if (req.method !== "POST") {
      reply(405, { error: "use GET or POST" });
      return;
    }
    const engaged = url.searchParams.get("engaged");
    if (engaged !== "true" && engaged !== "false") {
      reply(400, { error: "engaged must be true or false" });
      return;
    }
    const reason = url.searchParams.get("reason") ?? (engaged === "true" ? "engaged over HTTP" : "");
    killSwitch.set(engaged === "true", reason);
    logger.warn({ decision: engaged === "true" ? "kill-switch-engaged" : "kill-switch-released", reason }, "kill switch changed at runtime");
    reply(200, { engaged: killSwitch.engaged, reason: killSwitch.reason });
  };
}
