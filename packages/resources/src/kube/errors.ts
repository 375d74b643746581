import { ApiException } from "@kubernetes/client-node";
import { StoreError } from "../store/types.js";

/** The parts of a `metav1.Status` the store acts on. */
export interface ApiStatus {
  code?: number;
  reason?: string;
  message?: string;
  causes: { field: string; message: string }[];
}

/**
 * An HTTP failure the ResourceStore contract has no reason for (401, 403, 405, 415, …): a
 * configuration or permission problem, never something a retry or relist fixes.
 */
export class KubernetesApiError extends Error {
  readonly code: number;
  readonly reason: string | undefined;
  constructor(code: number, reason: string | undefined, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KubernetesApiError";
    this.code = code;
    this.reason = reason;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * A Status from an error body. client-node hands error bodies over as the raw response text
 * (its generated code declares no error models for most calls), so JSON text is parsed here.
 */
export function parseStatus(body: unknown): ApiStatus | undefined {
  let value = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return body === "" ? undefined : { message: body, causes: [] };
    }
  }
  if (!isRecord(value)) return undefined;
  const details = isRecord(value.details) ? value.details : {};
  const causes = Array.isArray(details.causes) ? details.causes.filter(isRecord) : [];
  return {
    code: typeof value.code === "number" ? value.code : undefined,
    reason: text(value.reason),
    message: text(value.message),
    causes: causes.map((cause) => ({ field: text(cause.field) ?? "", message: text(cause.message) ?? "" })),
  };
}

/** HTTP status (+ its Status body) → the contract's error; the API server's reason tells 409s apart. */
export function errorForStatus(code: number, status: ApiStatus | undefined, what: string, cause?: unknown): Error {
  const message = status?.message ?? `${what}: HTTP ${code}`;
  if (code === 404) return new StoreError("NotFound", message);
  if (code === 409) return new StoreError(status?.reason === "AlreadyExists" ? "AlreadyExists" : "Conflict", message);
  if (code === 410) return new StoreError("Gone", message);
  if (code === 422) return new StoreError("Invalid", message, status?.causes ?? []);
  if (code === 400) return new StoreError("BadRequest", message);
  if (code === 429 || code >= 500) return new StoreError("Unavailable", message);
  return new KubernetesApiError(code, status?.reason, `${what}: HTTP ${code}${status?.message === undefined ? "" : `: ${status.message}`}`, { cause });
}

/** Any failure of a client-node call → the contract's error; no HTTP status means the server was not reached. */
export function mapApiError(error: unknown, what: string): Error {
  if (error instanceof StoreError || error instanceof KubernetesApiError) return error;
  if (error instanceof ApiException) {
    const failed = error as ApiException<unknown>;
    return errorForStatus(failed.code, parseStatus(failed.body), what, error);
  }
  // client-node's Watch reports a non-200 answer as an Error with `statusCode` and no body.
  if (isRecord(error) && typeof error.statusCode === "number") return errorForStatus(error.statusCode, undefined, what, error);
  return new StoreError("Unavailable", `${what}: ${error instanceof Error ? error.message : String(error)}`);
}
