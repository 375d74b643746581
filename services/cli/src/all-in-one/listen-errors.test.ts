import { createServer, type AddressInfo, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { explainListen } from "./listen-errors.js";

const listen = (server: Server, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => { resolve(); });
  });

describe("explainListen", () => {
  it("turns a port in use into a message naming the part, the likely cause and the flag", async () => {
    const holder = createServer();
    await listen(holder, 0);
    const port = (holder.address() as AddressInfo).port;
    const second = createServer();
    try {
      await expect(explainListen("the simulator's TWS API port", "--sim-port", () => listen(second, port)))
        .rejects.toThrow(new RegExp(`^the simulator's TWS API port: listen EADDRINUSE.*:${String(port)} — is another \`npm start\`.*--sim-port \\(0 picks a free one\\)$`));
    } finally {
      holder.close();
    }
  });

  it("passes other failures through unchanged", async () => {
    const failure = new Error("boom");
    await expect(explainListen("x", "--x", () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
