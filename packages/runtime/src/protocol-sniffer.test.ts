import * as net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HTTP2_PREFACE, sniffProtocol } from "./protocol-sniffer.js";
import type { WireProtocol } from "./protocol-sniffer.js";

/** A server that sniffs each connection and reports the protocol and the bytes read after it. */
async function sniffingServer(timeoutMs = 1_000) {
  const results: Promise<{ protocol: WireProtocol | Error; replayed: string }>[] = [];
  const server = net.createServer((socket) => {
    results.push(
      sniffProtocol(socket, timeoutMs).then(
        // The bytes read while sniffing must still be readable by whoever takes the socket.
        (protocol) =>
          new Promise((resolve) => {
            socket.once("data", (data: Buffer) => {
              resolve({ protocol, replayed: data.toString("latin1") });
              socket.destroy();
            });
          }),
        (error: unknown) => ({ protocol: error as Error, replayed: "" }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { server, port, results };
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

describe("sniffProtocol", () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it("recognises the HTTP/2 preface even when it arrives in pieces", async () => {
    const { server, port, results } = await sniffingServer();
    close = () => server.close();
    const socket = await connect(port);
    socket.write(HTTP2_PREFACE.subarray(0, 5));
    await sleep(30);
    socket.write(HTTP2_PREFACE.subarray(5));
    await sleep(5);
    await vi.waitFor(() => {
      expect(results).toHaveLength(1);
    });
    const [result] = await Promise.all(results);
    expect(result?.protocol).toBe("h2c");
    expect(result?.replayed).toBe(HTTP2_PREFACE.toString("latin1"));
    socket.destroy();
  });

  it("takes a request that shares the preface's first letter for HTTP/1", async () => {
    const { server, port, results } = await sniffingServer();
    close = () => server.close();
    const socket = await connect(port);
    socket.write("P");
    await sleep(30);
    socket.write("UT /x HTTP/1.1\r\n\r\n");
    await sleep(5);
    await vi.waitFor(() => {
      expect(results).toHaveLength(1);
    });
    const [result] = await Promise.all(results);
    expect(result?.protocol).toBe("http1");
    expect(result?.replayed).toBe("PUT /x HTTP/1.1\r\n\r\n");
    socket.destroy();
  });

  it("gives up on a connection that stays silent", async () => {
    const { server, port, results } = await sniffingServer(50);
    close = () => server.close();
    const socket = await connect(port);
    await sleep(10);
    await vi.waitFor(() => {
      expect(results).toHaveLength(1);
    });
    const [result] = await Promise.all(results);
    expect(result?.protocol).toBeInstanceOf(Error);
    expect((result?.protocol as Error).message).toBe("no request within 50 ms");
    socket.destroy();
  });
});
