import type { KubeObject, ResourceStore } from "@spreadops/resources";
import type { Logger } from "@spreadops/runtime";

/** The component named in every Event the controller records. */
export const CONTROLLER_COMPONENT = "spreadops-controller";

/** Records Events about objects. */
export interface EventSink {
  normal(object: KubeObject, reason: string, message: string): Promise<void>;
  warning(object: KubeObject, reason: string, message: string): Promise<void>;
}

/**
 * Events through the store (core/v1 Events, aggregated by the store). An Event is a report, not
 * state: a failure to record one is logged and never fails the reconcile that decided it.
 */
export class EventRecorder implements EventSink {
  readonly #store: Pick<ResourceStore, "recordEvent">;
  readonly #logger: Logger;
  readonly #component: string;

  constructor(store: Pick<ResourceStore, "recordEvent">, logger: Logger, component = CONTROLLER_COMPONENT) {
    this.#store = store;
    this.#logger = logger;
    this.#component = component;
  }

  normal(object: KubeObject, reason: string, message: string): Promise<void> {
    return this.#record(object, "Normal", reason, message);
  }

  warning(object: KubeObject, reason: string, message: string): Promise<void> {
    return this.#record(object, "Warning", reason, message);
  }

  async #record(object: KubeObject, type: "Normal" | "Warning", reason: string, message: string): Promise<void> {
    const namespace = object.metadata.namespace ?? "default";
    const involved = { kind: object.kind, name: object.metadata.name, namespace };
    this.#logger[type === "Normal" ? "info" : "warn"]({ ...involved, reason }, message);
    try {
      await this.#store.recordEvent(namespace, {
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace,
          name: object.metadata.name,
          ...(object.metadata.uid === undefined ? {} : { uid: object.metadata.uid }),
        },
        type,
        reason,
        message,
        component: this.#component,
      });
    } catch (error) {
      this.#logger.warn({ ...involved, reason, err: error }, "could not record event");
    }
  }
}
