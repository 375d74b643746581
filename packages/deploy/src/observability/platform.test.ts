import { describe, expect, it } from "vitest";
import { parseBanner, parseSimReady, scrape, startSimulator } from "./platform.js";

const BANNER = `
SpreadOps all-in-one is up
  console    http://127.0.0.1:41085/#token=c2VjcmV0LXRva2VuLW9mLXRoZS10ZXN0
             open this link; it signs you in (the token is also in .spreadops/console-token)
  platform   http://127.0.0.1:39011/readyz  (every part by name), /metrics, /healthz
  broker     built-in simulator, TWS API on 127.0.0.1:37665, admin http://127.0.0.1:38255
  gateway    http://127.0.0.1:42333
  scanner    http://127.0.0.1:40719
  strategy   http://127.0.0.1:40187
  execution  http://127.0.0.1:40941   (POST /kill-switch?engaged=true stops new orders)
  controller http://127.0.0.1:45269
  every service serves /metrics, /healthz and /readyz on its own port
`;

describe("parseBanner", () => {
  it("reads the platform port and every hosted service's URL (the console's without its token)", () => {
    expect(parseBanner(BANNER)).toEqual([
      { name: "platform", url: "http://127.0.0.1:39011" },
      { name: "gateway", url: "http://127.0.0.1:42333" },
      { name: "scanner", url: "http://127.0.0.1:40719" },
      { name: "strategy", url: "http://127.0.0.1:40187" },
      { name: "execution", url: "http://127.0.0.1:40941" },
      { name: "controller", url: "http://127.0.0.1:45269" },
      { name: "console", url: "http://127.0.0.1:41085" },
    ]);
  });

  it("waits for the whole banner (a partial one is not ready)", () => {
    expect(parseBanner(BANNER.slice(0, BANNER.indexOf("  controller")))).toBeUndefined();
    expect(parseBanner(BANNER.replace(/^ {2}console .*$/m, ""))).toBeUndefined();
    expect(parseBanner("")).toBeUndefined();
  });
});

describe("parseSimReady", () => {
  it("takes the admin URL from the ready log line", () => {
    const log = [
      '{"level":"info","msg":"starting"}',
      "not json, tws-sim ready",
      '{"level":"info","tws":"127.0.0.1:37727","admin":"http://127.0.0.1:44773/","msg":"tws-sim ready"}',
    ].join("\n");
    expect(parseSimReady(log)).toEqual([{ name: "sim", url: "http://127.0.0.1:44773" }]);
    expect(parseSimReady('{"msg":"starting"}')).toBeUndefined();
  });
});

describe("startSimulator", () => {
  it("serves /metrics while running and is gone after stop()", async () => {
    const sim = await startSimulator();
    let stopped = false;
    try {
      expect(sim.pid).toBeGreaterThan(0);
      const text = await scrape(sim.targets[0]!);
      expect(text).toContain("# TYPE spreadops_sim_connections gauge");
      await sim.stop();
      stopped = true;
      expect(() => process.kill(sim.pid, 0)).toThrow();
      await expect(scrape(sim.targets[0]!)).rejects.toThrow();
    } finally {
      if (!stopped) await sim.stop();
    }
  }, 60_000);
});
