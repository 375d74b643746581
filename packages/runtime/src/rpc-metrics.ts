import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import type { Metrics } from "./metrics.js";

type RpcLabel = "rpc_service" | "rpc_method" | "code";

/**
 * Server interceptor counting RPCs by service, method and final code
 * (`spreadops_rpc_server_handled_total`) and timing them (`spreadops_rpc_server_handling_seconds`,
 * until the last response message for streams). Place it outside the error interceptor so it sees
 * the codes clients see.
 */
export function createRpcMetricsInterceptor(metrics: Metrics): Interceptor {
  const labelNames: readonly RpcLabel[] = ["rpc_service", "rpc_method", "code"];
  const handled = metrics.counter<RpcLabel>({
    name: "rpc_server_handled_total",
    help: "RPCs completed by the server, by service, method and Connect code.",
    labelNames,
  });
  const seconds = metrics.histogram<RpcLabel>({
    name: "rpc_server_handling_seconds",
    help: "Time from receiving an RPC to its last response message, by service, method and code.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });

  return (next) => async (req) => {
    const started = performance.now();
    const record = (error: unknown): void => {
      const labels = {
        rpc_service: req.service.typeName,
        rpc_method: req.method.name,
        code: error === undefined ? "ok" : codeToString(ConnectError.from(error).code),
      };
      handled.inc(labels);
      seconds.observe(labels, (performance.now() - started) / 1000);
    };
    let res;
    try {
      res = await next(req);
    } catch (error) {
      record(error);
      throw error;
    }
    if (!res.stream) {
      record(undefined);
      return res;
    }
    const source = res.message;
    return {
      ...res,
      message: (async function* () {
        let outcome: { error: unknown } | undefined;
        try {
          yield* source;
          outcome = { error: undefined };
        } catch (error) {
          outcome = { error };
          throw error;
        } finally {
          // Abandoned by the consumer (the client went away): count it as canceled.
          record(outcome === undefined ? new ConnectError("stream abandoned", Code.Canceled) : outcome.error);
        }
      })(),
    };
  };
}
