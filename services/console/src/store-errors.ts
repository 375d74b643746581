import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { FieldViolationSchema } from "@spreadops/api";
import { KubernetesApiError, StoreError } from "@spreadops/resources";

/** A field and what is wrong with it, in CR terms ("spec.spread.dte.min"). */
export interface Violation {
  readonly field: string;
  readonly message: string;
}

/** InvalidArgument listing every violation in the message and as FieldViolation details. */
export function invalidFields(what: string, violations: readonly Violation[]): ConnectError {
  const list = violations.map((v) => (v.field === "" ? v.message : `${v.field}: ${v.message}`)).join("; ");
  return new ConnectError(
    `${what} is invalid: ${list === "" ? "rejected by the store" : list}`,
    Code.InvalidArgument,
    undefined,
    violations.map((v) => ({ desc: FieldViolationSchema, value: create(FieldViolationSchema, { field: v.field, message: v.message }) })),
  );
}

/**
 * What the browser sees of a store failure about `kind` `name`: NotFound, AlreadyExists,
 * Aborted (a write lost a race; the callers add the current version), InvalidArgument naming the
 * fields, Unavailable when the store cannot be reached. Anything else is passed on as is (the
 * error interceptor makes it Internal and logs it).
 */
export function storeFailure(error: unknown, kind: "Strategy" | "Trade", name: string): unknown {
  const what = `${kind.toLowerCase()} ${JSON.stringify(name)}`;
  if (error instanceof ConnectError) return error;
  if (error instanceof KubernetesApiError) {
    return new ConnectError(`the resource store refused the console's request (HTTP ${error.code}): ${error.message}; check the console's permissions (RBAC)`, Code.Internal, undefined, undefined, error);
  }
  if (!(error instanceof StoreError)) return error;
  switch (error.reason) {
    case "NotFound":
      return new ConnectError(`${what} not found`, Code.NotFound, undefined, undefined, error);
    case "AlreadyExists":
      return new ConnectError(`${what} already exists: open it to edit it, or choose another name`, Code.AlreadyExists, undefined, undefined, error);
    case "Conflict":
      return new ConnectError(`${what} changed since you opened it; reload and try again`, Code.Aborted, undefined, undefined, error);
    case "Invalid":
    case "BadRequest":
      return invalidFields(what, error.causes.length > 0 ? error.causes : [{ field: "", message: error.message }]);
    case "Gone":
    case "Unavailable":
      return new ConnectError(`the resource store cannot be reached: ${error.message}`, Code.Unavailable, undefined, undefined, error);
  }
}
