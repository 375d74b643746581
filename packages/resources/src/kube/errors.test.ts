import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { StoreError } from "../store/types.js";
import { KubernetesApiError, mapApiError, parseStatus } from "./errors.js";

const status = (code: number, reason: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message: `${reason} happened`, ...extra });

/** As client-node throws it: the Status arrives as response text. */
const apiError = (code: number, body: unknown): ApiException<unknown> => new ApiException(code, "Unknown API Status Code!", body, {});

describe("mapApiError", () => {
  it("tells AlreadyExists from Conflict by the Status reason of a 409", () => {
    expect(mapApiError(apiError(409, status(409, "AlreadyExists")), "creating")).toMatchObject({ reason: "AlreadyExists", code: 409, message: "AlreadyExists happened" });
    expect(mapApiError(apiError(409, status(409, "Conflict")), "replacing")).toMatchObject({ reason: "Conflict", code: 409 });
  });

  it("keeps the causes of a 422 as field and message", () => {
    const body = status(422, "Invalid", {
      details: { name: "x", causes: [{ reason: "FieldValueNotSupported", field: "spec.mode", message: 'Unsupported value: "yolo"' }, { reason: "FieldValueRequired", message: "no field" }] },
    });
    expect(mapApiError(apiError(422, body), "creating")).toMatchObject({
      reason: "Invalid",
      causes: [{ field: "spec.mode", message: 'Unsupported value: "yolo"' }, { field: "", message: "no field" }],
    });
  });

  it("maps 404, 410, 400, 429 and 5xx, with or without a Status body", () => {
    expect(mapApiError(apiError(404, status(404, "NotFound")), "reading")).toMatchObject({ reason: "NotFound" });
    expect(mapApiError(apiError(410, "too old"), "watching")).toMatchObject({ reason: "Gone", message: "too old" });
    expect(mapApiError(apiError(400, undefined), "listing")).toMatchObject({ reason: "BadRequest", message: "listing: HTTP 400" });
    expect(mapApiError(apiError(429, status(429, "TooManyRequests")), "reading")).toMatchObject({ reason: "Unavailable" });
    expect(mapApiError(apiError(503, "<html>bad gateway</html>"), "reading")).toMatchObject({ reason: "Unavailable" });
  });

  it("leaves 401/403 outside the contract's reasons, with the server's reason kept", () => {
    const forbidden = mapApiError(apiError(403, status(403, "Forbidden", { message: 'strategies is forbidden: User "x" cannot list' })), "listing strategies");
    expect(forbidden).toBeInstanceOf(KubernetesApiError);
    expect(forbidden).not.toBeInstanceOf(StoreError);
    expect(forbidden).toMatchObject({ code: 403, reason: "Forbidden" });
    expect(forbidden.message).toBe('listing strategies: HTTP 403: strategies is forbidden: User "x" cannot list');
  });

  it("treats an error without an HTTP status as an unreachable server, and passes store errors through", () => {
    expect(mapApiError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" }), "reading")).toMatchObject({
      reason: "Unavailable",
      message: "reading: connect ECONNREFUSED 127.0.0.1:6443",
    });
    const original = new StoreError("Gone", "relist");
    expect(mapApiError(original, "watching")).toBe(original);
  });
});

describe("parseStatus", () => {
  it("reads a Status from text or an object and ignores what is neither", () => {
    expect(parseStatus(status(409, "Conflict"))).toEqual({ code: 409, reason: "Conflict", message: "Conflict happened", causes: [] });
    expect(parseStatus({ code: 410, reason: "Expired" })).toEqual({ code: 410, reason: "Expired", message: undefined, causes: [] });
    expect(parseStatus("")).toBeUndefined();
    expect(parseStatus(42)).toBeUndefined();
  });
});
