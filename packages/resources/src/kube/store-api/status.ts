import { isStoreError } from "../../store/types.js";
import type { StoreErrorReason } from "../../store/types.js";

/** A `metav1.Status` as the API server writes it. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message: string;
  reason: string;
  code: number;
  details?: StatusDetails;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason: string; message: string; field: string }[];
}

/** The API server's StatusReason for each contract reason (503 is "ServiceUnavailable" there). */
const REASONS: Record<StoreErrorReason, string> = {
  NotFound: "NotFound", AlreadyExists: "AlreadyExists", Conflict: "Conflict", Gone: "Gone", Invalid: "Invalid", BadRequest: "BadRequest",
  Unavailable: "ServiceUnavailable",
};

/** A failure of the HTTP layer rather than of the store: 401, 405, 415. */
export class HttpError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.name = "HttpError";
    this.code = code;
    this.reason = reason;
  }
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code, ...(details === undefined ? {} : { details }) };
}

export function success(details: StatusDetails): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", message: "", reason: "", code: 200, details };
}

/**
 * Any error → the Status a client sees. Store errors keep their message and causes; anything
 * else is an internal error whose text stays on the server (it may name files or internals).
 */
export function statusOfError(error: unknown, details: StatusDetails = {}): Status {
  if (error instanceof HttpError) return failure(error.code, error.reason, error.message, details);
  if (!isStoreError(error)) return failure(500, "InternalError", "Internal error occurred: the store failed; see the server log", details);
  const causes = error.causes.map((cause) => ({ reason: "FieldValueInvalid", message: cause.message, field: cause.field }));
  return failure(error.code, REASONS[error.reason], error.message, causes.length === 0 ? details : { ...details, causes });
}
