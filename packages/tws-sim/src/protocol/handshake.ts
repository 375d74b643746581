import { ProtocolError } from "./errors.js";
import { formatTwsDateTime } from "./time-format.js";

/**
 * The one server version the simulator speaks: the highest inside the ranges of @stoqey/ib
 * (100..193), ib_async (157..178) and ib_insync (157..176). Every layout in this codec is the
 * v176 one.
 */
export const SERVER_VERSION = 176;

/** What a client announced in its handshake. */
export interface ClientHello {
  /** Lowest server version the client can speak. */
  readonly minVersion: number;
  /** Highest server version the client can speak (equal to `minVersion` for `v100`). */
  readonly maxVersion: number;
  /** Anything after the range, e.g. ` +PACEAPI` (ib_async's connectOptions), untrimmed. */
  readonly options: string;
}

const VERSION_STRING = /^v(\d+)(?:\.\.(\d+))?(.*)$/s;

/** Parses the handshake's version string, e.g. `v100..193`, `v157..178 +PACEAPI` or `v100`. */
export function parseClientHello(versionString: string): ClientHello | ProtocolError {
  const match = VERSION_STRING.exec(versionString);
  if (match === null) {
    return new ProtocolError("badHandshake", `unrecognised version string ${JSON.stringify(versionString)}`, {
      value: versionString,
    });
  }
  const minVersion = Number(match[1]);
  const maxVersion = match[2] === undefined ? minVersion : Number(match[2]);
  if (maxVersion < minVersion) {
    return new ProtocolError("badHandshake", `version range ${versionString} is empty`, { value: versionString });
  }
  return { minVersion, maxVersion, options: match[3] ?? "" };
}

/**
 * Picks the server version for a client the way TWS does, `min(clientMax, 176)`, and refuses a
 * client that cannot speak 176 (the caller then closes the socket). A client whose range lies
 * above 176 is refused too rather than be answered with a version it disowns.
 */
export function negotiateVersion(hello: ClientHello): number | ProtocolError {
  if (hello.maxVersion < SERVER_VERSION || hello.minVersion > SERVER_VERSION) {
    return new ProtocolError(
      "unsupportedVersion",
      `client supports v${hello.minVersion}..${hello.maxVersion}; the simulator speaks only v${SERVER_VERSION}`,
    );
  }
  return Math.min(hello.maxVersion, SERVER_VERSION);
}

/**
 * The server's answer to the handshake: exactly two fields, `[serverVersion, connectionTime]`
 * (ib_async only takes a 2-field first message as the reply). Frame it with `encodeFrame`.
 *
 * @param timeZone IANA name printed after the time, as TWS does; neither client parses it.
 */
export function handshakeReplyFields(serverVersion: number, epochMs: number, timeZone = "US/Eastern"): string[] {
  return [String(serverVersion), formatTwsDateTime(epochMs, timeZone)];
}
