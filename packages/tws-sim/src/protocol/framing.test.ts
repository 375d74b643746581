import { describe, expect, it } from "vitest";
import { encodeFrame, FrameDecoder } from "./framing.js";
import type { FrameEvent } from "./framing.js";

/** Exactly what @stoqey/ib 1.6.10 writes on connect (reference §2.1). */
const STOQEY_HANDSHAKE = Buffer.from([0x41, 0x50, 0x49, 0x00, 0x00, 0x00, 0x00, 0x09, ...Buffer.from("v100..193", "latin1")]);

/** A client frame as both clients build it: length, fields joined by NUL, trailing NUL. */
function clientFrame(...fields: string[]): Buffer {
  const payload = Buffer.from(fields.map((f) => `${f}\0`).join(""), "utf8");
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

const STREAM = Buffer.concat([
  STOQEY_HANDSHAKE,
  clientFrame("71", "2", "7", ""),
  clientFrame("1", "11", "5", "0", "AAPL", "STK", "", "", "", "", "SMART", "", "USD", "", "", "0", "100,101", "0", "0", ""),
  clientFrame("62", "1", "9", "All", "NetLiquidation"),
  clientFrame("9", "8", "1", "", "Société", "STK"),
]);

function decodeAll(chunks: Iterable<Uint8Array>, decoder = new FrameDecoder()): FrameEvent[] {
  const events: FrameEvent[] = [];
  for (const chunk of chunks) events.push(...decoder.push(chunk));
  return events;
}

function* bytes(buffer: Buffer): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i++) yield buffer.subarray(i, i + 1);
}

/** Deterministic pseudo-random split points, so a failure reproduces. */
function* randomChunks(buffer: Buffer, seed: number): Generator<Buffer> {
  let state = seed;
  let offset = 0;
  while (offset < buffer.length) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const size = 1 + (state % 23);
    yield buffer.subarray(offset, offset + size);
    offset += size;
  }
}

describe("encodeFrame", () => {
  it("writes the length prefix and a NUL after every field, the last one included (T1)", () => {
    const frame = encodeFrame(["9", "1", "1000"]);
    expect([...frame]).toEqual([0, 0, 0, 9, ...Buffer.from("9\u00001\u00001000\u0000", "latin1")]);
  });

  it("counts the length in UTF-8 bytes, not characters", () => {
    const frame = encodeFrame(["4", "2", "-1", "2104", "Société"]);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(frame.subarray(4).toString("utf8")).toBe("4\u00002\u0000-1\u00002104\u0000Société\u0000");
  });

  it("refuses a field containing NUL, which would shift every later field", () => {
    expect(() => encodeFrame(["4", "bad\u0000field"])).toThrow(RangeError);
  });
});

describe("FrameDecoder", () => {
  const expected: FrameEvent[] = [
    { kind: "handshake", versionString: "v100..193" },
    { kind: "message", fields: ["71", "2", "7", ""] },
    { kind: "message", fields: ["1", "11", "5", "0", "AAPL", "STK", "", "", "", "", "SMART", "", "USD", "", "", "0", "100,101", "0", "0", ""] },
    { kind: "message", fields: ["62", "1", "9", "All", "NetLiquidation"] },
    { kind: "message", fields: ["9", "8", "1", "", "Société", "STK"] },
  ];

  it("decodes the handshake and frames merged into one chunk", () => {
    expect(decodeAll([STREAM])).toEqual(expected);
  });

  it("decodes the same stream fed one byte at a time (splits inside the prefix, the length and a multi-byte character)", () => {
    expect(decodeAll(bytes(STREAM))).toEqual(expected);
  });

  it("decodes the same stream under arbitrary split points", () => {
    for (let seed = 1; seed <= 20; seed++) expect(decodeAll(randomChunks(STREAM, seed))).toEqual(expected);
  });

  it("skips a frame above the size limit without buffering it, reports it, and carries on", () => {
    const oversize = clientFrame("19", "1", "1", "x".repeat(300));
    const stream = Buffer.concat([STOQEY_HANDSHAKE, oversize, clientFrame("49", "1")]);
    for (const chunks of [[stream], bytes(stream)]) {
      const events = decodeAll(chunks, new FrameDecoder({ maxFrameBytes: 64 }));
      expect(events.map((e) => e.kind)).toEqual(["handshake", "error", "message"]);
      const error = events[1];
      expect(error).toMatchObject({ kind: "error", fatal: false, error: { code: "frameTooLarge" } });
      expect(events[2]).toEqual({ kind: "message", fields: ["49", "1"] });
    }
  });

  it("does not allocate for an absurd length prefix", () => {
    const decoder = new FrameDecoder();
    decoder.push(STOQEY_HANDSHAKE);
    const events = decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xf0, 0x31, 0x00]));
    expect(events).toMatchObject([{ kind: "error", fatal: false, error: { code: "frameTooLarge" } }]);
    expect(decoder.failed).toBe(false);
  });

  it("rejects a connection that does not start with API\\0 at the first wrong byte, and then ignores the stream", () => {
    const decoder = new FrameDecoder();
    const events = decoder.push(Buffer.from("GET / HTTP/1.1\r\n", "latin1"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "error", fatal: true, error: { code: "badHandshake" } });
    expect(decoder.failed).toBe(true);
    expect(decoder.push(clientFrame("49", "1"))).toEqual([]);
  });

  it("rejects a handshake whose version string is empty or implausibly long", () => {
    for (const length of [0, 100_000]) {
      const header = Buffer.alloc(8);
      header.write("API\0", 0, "latin1");
      header.writeUInt32BE(length, 4);
      const events = new FrameDecoder().push(header);
      expect(events).toMatchObject([{ kind: "error", fatal: true, error: { code: "badHandshake" } }]);
    }
  });

  it("reports a frame without its trailing NUL, and an empty frame, then decodes the next one", () => {
    const noNul = Buffer.from([0, 0, 0, 4, ...Buffer.from("49\u00001", "latin1")]);
    const empty = Buffer.from([0, 0, 0, 0]);
    const events = decodeAll([STOQEY_HANDSHAKE, noNul, empty, clientFrame("49", "1")]);
    expect(events.map((e) => (e.kind === "error" ? e.error.code : e.kind))).toEqual([
      "handshake",
      "malformedFrame",
      "malformedFrame",
      "message",
    ]);
  });

  it("reads plain frames without a handshake, e.g. the server's own output", () => {
    const decoder = new FrameDecoder({ expectHandshake: false });
    const out = Buffer.concat([encodeFrame(["176", "20250102 09:30:00 US/Eastern"]), encodeFrame(["9", "1", "1000"])]);
    expect(decodeAll(bytes(out), decoder)).toEqual([
      { kind: "message", fields: ["176", "20250102 09:30:00 US/Eastern"] },
      { kind: "message", fields: ["9", "1", "1000"] },
    ]);
  });

  it("keeps an empty last field as a field", () => {
    const events = decodeAll([STOQEY_HANDSHAKE, clientFrame("71", "2", "", "")]);
    expect(events[1]).toEqual({ kind: "message", fields: ["71", "2", "", ""] });
  });
});
