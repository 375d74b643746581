/**
 * What went wrong while reading client bytes:
 * - `badHandshake`: the connection did not start with `"API\0"` + length + a `v<min>..<max>` string.
 * - `unsupportedVersion`: the client's version range does not include the simulator's version.
 * - `frameTooLarge`: a length prefix above the configured maximum (the frame is skipped, not buffered).
 * - `malformedFrame`: an empty frame, or one whose payload does not end with NUL.
 * - `underrun`: a message ended before a field the layout requires.
 * - `badField`: a field that should be a number or a boolean is not one.
 * - `leftoverFields`: a message carried more fields than its layout consumes.
 */
export type ProtocolErrorCode =
  | "badHandshake"
  | "unsupportedVersion"
  | "frameTooLarge"
  | "malformedFrame"
  | "underrun"
  | "badField"
  | "leftoverFields";

/** Where in a message a {@link ProtocolError} was found. */
export interface ProtocolErrorContext {
  /** The request's name, e.g. `placeOrder`. */
  readonly messageName?: string;
  /** The layout's name for the field, e.g. `lmtPrice`. */
  readonly field?: string;
  /** The field's 0-based index in the frame (index 0 is the message id). */
  readonly fieldIndex?: number;
  /** The offending raw text, when there is one. */
  readonly value?: string;
}

/**
 * Malformed client input. The codec never lets one escape into a socket handler: the frame
 * decoder and `decodeRequest` hand it back as a value, and the caller decides how to answer.
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  readonly code: ProtocolErrorCode;
  readonly context: ProtocolErrorContext;

  constructor(code: ProtocolErrorCode, message: string, context: ProtocolErrorContext = {}) {
    super(message);
    this.code = code;
    this.context = context;
  }
}
