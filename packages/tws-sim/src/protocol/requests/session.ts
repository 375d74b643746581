import type { FieldReader } from "../fields.js";

/** `startApi` (71): the first message after the handshake reply. */
export interface StartApiRequest {
  readonly type: "startApi";
  /** 0 when the client sent `""` (@stoqey/ib without a clientId). */
  readonly clientId: number;
  readonly optionalCapabilities: string;
}

/** `reqCurrentTime` (49): answer with currentTime. */
export interface ReqCurrentTimeRequest {
  readonly type: "reqCurrentTime";
}

/** `reqIds` (8): answer with nextValidId. */
export interface ReqIdsRequest {
  readonly type: "reqIds";
  /** Ignored by TWS; @stoqey/ib sends 0. */
  readonly numIds: number;
}

/** `reqManagedAccts` (17): answer with managedAccounts. */
export interface ReqManagedAcctsRequest {
  readonly type: "reqManagedAccts";
}

/** `71, version, clientId, optionalCapabilities` */
export function decodeStartApi(reader: FieldReader): StartApiRequest {
  reader.skip("version");
  const clientId = reader.readOptionalInt("clientId") ?? 0;
  // Only clients below server version 72 omit the capabilities field.
  const optionalCapabilities = reader.remaining > 0 ? reader.readString("optionalCapabilities") : "";
  return { type: "startApi", clientId, optionalCapabilities };
}

/** `49, version` */
export function decodeReqCurrentTime(reader: FieldReader): ReqCurrentTimeRequest {
  reader.skip("version");
  return { type: "reqCurrentTime" };
}

/** `8, version, numIds` */
export function decodeReqIds(reader: FieldReader): ReqIdsRequest {
  reader.skip("version");
  return { type: "reqIds", numIds: reader.readOptionalInt("numIds") ?? 1 };
}

/** `17, version` */
export function decodeReqManagedAccts(reader: FieldReader): ReqManagedAcctsRequest {
  reader.skip("version");
  return { type: "reqManagedAccts" };
}
