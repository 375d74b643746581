import type { Condition, KubeObject, StoredEvent } from "@spreadops/resources";
import { stringify } from "yaml";
import { formatAge } from "./age.js";
import { renderTable } from "./tables.js";

const indent = (text: string, by: string): string => text.trimEnd().split("\n").map((l) => `${by}${l}`).join("\n");

/**
 * `spreadops describe`: what kubectl describe shows — identity, spec, status (without the
 * conditions, which get their own table), conditions and the object's events, oldest first.
 * Condition times are printed as written: the controller's clock may run on the simulator's
 * market time, so an age relative to this machine's clock could mislead.
 */
export function describeObject(object: KubeObject, events: readonly StoredEvent[], nowMs: number): string {
  const m = object.metadata;
  const status = (object.status ?? {}) as { conditions?: Condition[] } & Record<string, unknown>;
  const { conditions, ...rest } = status;
  const lines = [
    `Name:         ${m.name}`,
    `Namespace:    ${m.namespace ?? ""}`,
    `Kind:         ${object.kind} (${object.apiVersion})`,
    `Labels:       ${Object.entries(m.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(", ") || "<none>"}`,
    `Created:      ${m.creationTimestamp ?? "<unknown>"} (${formatAge(m.creationTimestamp, nowMs)} ago)`,
    `Generation:   ${String(m.generation ?? "-")}   Observed: ${String((status as { observedGeneration?: number }).observedGeneration ?? "-")}`,
    ...(m.ownerReferences?.length ? [`Owned by:     ${m.ownerReferences.map((o) => `${o.kind}/${o.name}`).join(", ")}`] : []),
    ...(m.finalizers?.length ? [`Finalizers:   ${m.finalizers.join(", ")}`] : []),
    ...(m.deletionTimestamp === undefined ? [] : [`Deleting:     since ${m.deletionTimestamp}`]),
    "Spec:",
    indent(stringify(object.spec ?? {}), "  "),
    "Status:",
    Object.keys(rest).length === 0 ? "  <none>" : indent(stringify(rest), "  "),
    "Conditions:",
    conditions === undefined || conditions.length === 0
      ? "  <none>"
      : indent(renderTable(["TYPE", "STATUS", "REASON", "LAST TRANSITION", "MESSAGE"], conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime, c.message])), "  "),
    "Events:",
    events.length === 0
      ? "  <none>"
      : indent(renderTable(["TYPE", "REASON", "AGE", "COUNT", "MESSAGE"], events.map((e) => [e.type, e.reason, formatAge(e.lastTimestamp, nowMs), String(e.count), e.message])), "  "),
  ];
  return lines.join("\n") + "\n";
}
