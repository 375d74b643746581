import type { StoreSnapshot } from "./persistence.js";

/**
 * JSON text of each frozen value already serialised. The store freezes what it keeps and
 * replaces rather than changes, so an unchanged object's text can be reused by the next save:
 * a save then costs the changed objects plus concatenation, not the whole state.
 */
const texts = new WeakMap<object, string>();

function textOf(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/** The snapshot as JSON text; the same text JSON.stringify would give. */
export function snapshotToJson(snapshot: StoreSnapshot): string {
  const objects = snapshot.objects.map(({ resource, object }) => `{"resource":${JSON.stringify(resource)},"object":${textOf(object)}}`);
  const events = snapshot.events.map((entry) => textOf(entry));
  return `{"format":${JSON.stringify(snapshot.format)},"resourceVersion":${JSON.stringify(snapshot.resourceVersion)},"objects":[${objects.join(",")}],"events":[${events.join(",")}]}`;
}
