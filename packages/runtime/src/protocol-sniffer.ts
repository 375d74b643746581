import type { Socket } from "node:net";

/**
 * The client connection preface of HTTP/2 with prior knowledge (RFC 9113 §3.4). A cleartext
 * connection that starts with it speaks h2c; anything else is taken for HTTP/1.x.
 */
export const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** The protocol a fresh cleartext connection speaks. */
export type WireProtocol = "h2c" | "http1";

/**
 * Reads the first bytes of a fresh connection until they either match or rule out the HTTP/2
 * preface, then puts them back (`unshift`) so whichever server takes the socket next reads the
 * connection from its first byte.
 *
 * This exists because Node's `http2.createServer({ allowHTTP1: true })` only falls back to
 * HTTP/1.1 over TLS (ALPN); on cleartext (Node 20, verified) it answers HTTP/1.1 with an HTTP/2
 * frame and the client fails with a parse error.
 *
 * @returns the protocol; rejects when the connection ends, errs or stays silent for `timeoutMs`.
 */
export function sniffProtocol(socket: Socket, timeoutMs: number): Promise<WireProtocol> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;

    const cleanup = (): void => {
      socket.off("readable", onReadable);
      socket.off("error", onError);
      socket.off("end", onEnd);
      socket.off("timeout", onTimeout);
      socket.setTimeout(0);
    };
    const onReadable = (): void => {
      let chunk: unknown;
      while ((chunk = socket.read()) !== null) {
        const buffer = chunk as Buffer;
        chunks.push(buffer);
        length += buffer.length;
      }
      const head = Buffer.concat(chunks, length);
      const compared = Math.min(head.length, HTTP2_PREFACE.length);
      const matchesSoFar = head.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
      // Too little to tell yet: a prefix of the preface could still turn out either way.
      if (matchesSoFar && head.length < HTTP2_PREFACE.length) return;
      cleanup();
      socket.unshift(head);
      resolve(matchesSoFar ? "h2c" : "http1");
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error("connection ended before the protocol was known"));
    };
    const onTimeout = (): void => {
      cleanup();
      reject(new Error(`no request within ${timeoutMs} ms`));
    };

    socket.on("readable", onReadable);
    socket.on("error", onError);
    socket.on("end", onEnd);
    socket.on("timeout", onTimeout);
    socket.setTimeout(timeoutMs);
  });
}
