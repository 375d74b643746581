import { isJsonObject, jsonCopy } from "./json.js";
import type { JsonValue } from "./json.js";

/**
 * JSON merge patch (RFC 7386): objects merge recursively, `null` deletes a member, anything else
 * (arrays included) replaces. Returns a new value; neither input is modified.
 */
export function applyMergePatch(target: unknown, patch: unknown): JsonValue {
  if (!isJsonObject(patch)) return jsonCopy(patch as JsonValue);
  const result: Record<string, JsonValue> = isJsonObject(target) ? jsonCopy(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- RFC 7386: null removes the member
      delete result[key];
    } else {
      result[key] = applyMergePatch(result[key], value);
    }
  }
  return result;
}
