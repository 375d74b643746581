import type { Metrics } from "@spreadops/runtime";
import type { ConnectionState, ReconnectCause } from "./status.js";

const STATES: readonly ConnectionState[] = ["disconnected", "connecting", "connected", "degraded", "restartWindow", "fatal"];

/** The connection's Prometheus series. */
export interface ConnectionMetrics {
  state(state: ConnectionState): void;
  reconnect(cause: ReconnectCause): void;
  twsError(code: number): void;
  restartWindow(phase: "enter" | "exit"): void;
}

/** Series on the service registry: state gauge (1 for the current state), reconnects, TWS errors, restart-window phases. */
export function createConnectionMetrics(metrics: Metrics): ConnectionMetrics {
  const state = metrics.gauge({
    name: "gateway_tws_connection_state",
    help: "TWS session state: 1 for the current state, 0 for the others.",
    labelNames: ["state"],
  });
  const reconnects = metrics.counter({
    name: "gateway_tws_reconnects_total",
    help: "Reconnects to TWS by cause.",
    labelNames: ["cause"],
  });
  const errors = metrics.counter({
    name: "gateway_tws_errors_total",
    help: "Errors and notices received from TWS by code.",
    labelNames: ["code"],
  });
  const windows = metrics.counter({
    name: "gateway_tws_restart_window_total",
    help: "Daily restart window phases (enter = disconnected for it, exit = reconnecting after it).",
    labelNames: ["phase"],
  });
  return {
    state: (current) => {
      for (const s of STATES) state.set({ state: s }, s === current ? 1 : 0);
    },
    reconnect: (cause) => {
      reconnects.inc({ cause });
    },
    twsError: (code) => {
      errors.inc({ code: String(code) });
    },
    restartWindow: (phase) => {
      windows.inc({ phase });
    },
  };
}
