import { ProtocolError } from "./errors.js";

/** `"API\0"`: the four bytes a client sends before its length-prefixed version string. */
const API_PREFIX = Buffer.from("API\0", "latin1");

/** Default cap for one client frame. The largest real request (a many-legged order) is a few KiB. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/** Cap for the handshake's version string (`v100..193 +PACEAPI` is 18 bytes). */
const MAX_HANDSHAKE_BYTES = 256;

/** Options for a {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest accepted payload in bytes; larger frames are skipped and reported. Default 1 MiB. */
  readonly maxFrameBytes?: number;
  /**
   * Whether the stream starts with the client handshake. `true` (the default) for the server
   * side of a connection; `false` to read plain frames, e.g. the server's own output in tests.
   */
  readonly expectHandshake?: boolean;
}

/** Something the decoder found in the byte stream. */
export type FrameEvent =
  /** The client's handshake; `versionString` is e.g. `v100..193` (see `parseClientHello`). */
  | { readonly kind: "handshake"; readonly versionString: string }
  /** One message: its NUL-separated fields, without the trailing empty one. */
  | { readonly kind: "message"; readonly fields: string[] }
  /**
   * Malformed input. When `fatal` the stream cannot be resynchronised (the decoder ignores all
   * further bytes and the caller should close the socket); otherwise the bad frame was dropped
   * and decoding continues with the next one.
   */
  | { readonly kind: "error"; readonly error: ProtocolError; readonly fatal: boolean };

type Phase = "handshakePrefix" | "header" | "body" | "skip" | "failed";

/**
 * Incremental decoder for the client side of a TWS API connection: first the handshake
 * (`"API\0"`, uint32 BE length, ASCII version string), then frames of
 * `[uint32 BE length][fields joined by NUL][NUL]`. TCP chunks may split or merge frames
 * arbitrarily; feed every chunk to {@link push} in order.
 *
 * Frames that arrive whole inside one chunk are decoded in place; only a frame split across
 * chunks is copied, into a buffer of exactly its size, and no buffer ever exceeds the maximum
 * frame size. Malformed input comes back as an `error` event; the decoder never throws.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private phase: Phase;
  /** The 4-byte length prefix being assembled. */
  private readonly header = Buffer.alloc(4);
  /** Bytes of the length prefix (or of `"API\0"` in the `handshakePrefix` phase) seen so far. */
  private headerFilled = 0;
  /** The body being assembled when a frame spans chunks. */
  private body: Buffer | undefined;
  private bodyFilled = 0;
  /** Length of the current body, or bytes left to skip in the `skip` phase. */
  private expected = 0;
  private inHandshake: boolean;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.inHandshake = options.expectHandshake ?? true;
    this.phase = this.inHandshake ? "handshakePrefix" : "header";
  }

  /** Whether a fatal error has stopped the decoder. */
  get failed(): boolean {
    return this.phase === "failed";
  }

  /** Consumes one chunk and returns what it completed, in stream order. */
  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.phase) {
        case "handshakePrefix":
          offset = this.readHandshakePrefix(chunk, offset, events);
          break;
        case "header":
          offset = this.readHeader(chunk, offset, events);
          break;
        case "body":
          offset = this.readBody(chunk, offset, events);
          break;
        case "skip": {
          const skipped = Math.min(this.expected, chunk.length - offset);
          this.expected -= skipped;
          offset += skipped;
          if (this.expected === 0) this.phase = "header";
          break;
        }
        case "failed":
          return events;
      }
    }
    return events;
  }

  /** Checks `"API\0"` byte by byte, so a non-API client is refused without waiting for more. */
  private readHandshakePrefix(chunk: Uint8Array, offset: number, events: FrameEvent[]): number {
    while (offset < chunk.length && this.headerFilled < API_PREFIX.length) {
      const byte = chunk[offset] ?? 0;
      if (byte !== API_PREFIX[this.headerFilled]) {
        this.fail(events, "badHandshake", 'connection does not start with "API\\0"');
        return chunk.length;
      }
      this.headerFilled++;
      offset++;
    }
    if (this.headerFilled === API_PREFIX.length) {
      this.headerFilled = 0;
      this.phase = "header";
    }
    return offset;
  }

  private readHeader(chunk: Uint8Array, offset: number, events: FrameEvent[]): number {
    const take = Math.min(4 - this.headerFilled, chunk.length - offset);
    for (let i = 0; i < take; i++) this.header[this.headerFilled + i] = chunk[offset + i] ?? 0;
    this.headerFilled += take;
    offset += take;
    if (this.headerFilled < 4) return offset;
    this.headerFilled = 0;
    const length = this.header.readUInt32BE(0);

    if (this.inHandshake) {
      if (length === 0 || length > MAX_HANDSHAKE_BYTES) {
        this.fail(events, "badHandshake", `handshake version string length ${length} is out of range`);
        return chunk.length;
      }
    } else if (length > this.maxFrameBytes) {
      events.push({
        kind: "error",
        fatal: false,
        error: new ProtocolError("frameTooLarge", `frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`),
      });
      this.expected = length;
      this.phase = "skip";
      return offset;
    } else if (length === 0) {
      events.push({ kind: "error", fatal: false, error: new ProtocolError("malformedFrame", "empty frame") });
      return offset;
    }
    this.expected = length;
    this.phase = "body";
    return offset;
  }

  private readBody(chunk: Uint8Array, offset: number, events: FrameEvent[]): number {
    const available = chunk.length - offset;
    if (this.body === undefined && available >= this.expected) {
      // Fast path: the whole body is in this chunk.
      this.emitBody(Buffer.from(chunk.buffer, chunk.byteOffset + offset, this.expected), events);
      return offset + this.expected;
    }
    this.body ??= Buffer.allocUnsafe(this.expected);
    const take = Math.min(this.expected - this.bodyFilled, available);
    this.body.set(chunk.subarray(offset, offset + take), this.bodyFilled);
    this.bodyFilled += take;
    if (this.bodyFilled === this.expected) {
      const body = this.body;
      this.body = undefined;
      this.bodyFilled = 0;
      this.emitBody(body, events);
    }
    return offset + take;
  }

  private emitBody(body: Buffer, events: FrameEvent[]): void {
    this.phase = "header";
    if (this.inHandshake) {
      this.inHandshake = false;
      events.push({ kind: "handshake", versionString: body.toString("latin1") });
      return;
    }
    if (body[body.length - 1] !== 0) {
      events.push({
        kind: "error",
        fatal: false,
        error: new ProtocolError("malformedFrame", "frame payload does not end with NUL"),
      });
      return;
    }
    events.push({ kind: "message", fields: body.toString("utf8", 0, body.length - 1).split("\0") });
  }

  private fail(events: FrameEvent[], code: "badHandshake", message: string): void {
    this.phase = "failed";
    this.body = undefined;
    events.push({ kind: "error", fatal: true, error: new ProtocolError(code, message) });
  }
}

/**
 * Encodes one server message: a uint32 BE length, then every field followed by NUL. The NUL
 * after the last field is required (trap T1): @stoqey/ib would glue the next frame onto it and
 * ib_async would drop the last field.
 *
 * @throws RangeError if a field contains NUL, which would shift every later field.
 */
export function encodeFrame(fields: readonly string[]): Buffer {
  let payload = "";
  for (const field of fields) {
    if (field.includes("\0")) throw new RangeError(`field ${JSON.stringify(field)} contains NUL`);
    payload += field + "\0";
  }
  const length = Buffer.byteLength(payload, "utf8");
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(payload, 4, "utf8");
  return frame;
}
