import { Socket } from "node:net";
import { EventName, IBApi } from "@stoqey/ib";
import { startSimulator, type RunningSimulator } from "@spreadops/tws-sim";
import { createLogger } from "@spreadops/runtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { disableNagle } from "./socket-tuning.js";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator(
    { seed: 1, clock: "stepped", startMs: Date.parse("2026-03-10T14:00:00Z"), port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
    createLogger({ service: "test", level: "error", destination: { write: () => true } }),
  );
});

afterAll(async () => {
  await sim.close();
});

describe("disableNagle", () => {
  it("finds the connected IBApi's TCP socket and sets TCP_NODELAY on it", async () => {
    const setNoDelay = vi.spyOn(Socket.prototype, "setNoDelay");
    const ib = new IBApi({ host: "127.0.0.1", port: sim.address.port });
    // Before connecting there is no socket: nothing to tune, and no exception.
    expect(disableNagle(ib)).toBe(false);
    const connected = new Promise<void>((resolve) => ib.once(EventName.connected, () => { resolve(); }));
    ib.connect(31);
    await connected;
    setNoDelay.mockClear();
    expect(disableNagle(ib)).toBe(true);
    // The call reached the very socket the client talks on (the one with the simulator's port).
    const socket = setNoDelay.mock.contexts[0] as Socket | undefined;
    expect(setNoDelay).toHaveBeenCalledWith(true);
    expect(socket?.remotePort).toBe(sim.address.port);
    ib.disconnect();
    setNoDelay.mockRestore();
  });
});
