import { describe, expect, it } from "vitest";
import { childLogger, createLogger, redactAccount, shouldPrettyPrint } from "./logger.js";
import { captureLogger } from "./testing/log-capture.js";

describe("createLogger", () => {
  it("writes one JSON line per event with service, string level and ISO time", () => {
    const { logger, lines } = captureLogger({ service: "scanner", level: "info" });
    logger.debug("hidden");
    logger.info({ candidates: 3 }, "scan finished");
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: "info", service: "scanner", candidates: 3, msg: "scan finished" });
    expect(String(line?.["time"])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("binds strategy, trade, order and trace ids on child loggers and masks the account", () => {
    const { logger, lines } = captureLogger();
    const log = childLogger(logger, {
      strategy: "spy-put-credit",
      trade: "trade-42",
      order: 1017,
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      account: "DU1234567",
    });
    log.info("order submitted");
    expect(lines[0]).toMatchObject({
      service: "test",
      strategy: "spy-put-credit",
      trade: "trade-42",
      order: 1017,
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      account: "DU****567",
    });
    expect(JSON.stringify(lines)).not.toContain("1234567");
  });

  it("masks an account field on a single line too", () => {
    const { logger, lines } = captureLogger();
    logger.info({ account: "U7654321" }, "position");
    expect(lines[0]?.["account"]).toBe("U****321");
  });

  it("censors secrets at the default and at extra redact paths", () => {
    const { logger, lines } = captureLogger({ redactPaths: ["tws.credentials.pin"] });
    logger.info(
      { password: "hunter2", tws: { token: "abc", credentials: { pin: "1234" } }, headers: { authorization: "Bearer x" } },
      "connecting",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["hunter2", '"abc"', '"1234"', "Bearer x"]) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ password: "[REDACTED]", tws: { token: "[REDACTED]", credentials: { pin: "[REDACTED]" } } });
  });

  it("serializes errors with their message and stack", () => {
    const { logger, lines } = captureLogger();
    logger.error({ err: new Error("socket hang up") }, "tws disconnected");
    expect(lines[0]?.["err"]).toMatchObject({ type: "Error", message: "socket hang up" });
    expect(String((lines[0]?.["err"] as { stack?: string }).stack)).toContain("logger.test.ts");
  });

  it("writes human-readable lines when pretty", () => {
    const chunks: string[] = [];
    const logger = createLogger({
      service: "gateway",
      pretty: true,
      destination: {
        write(chunk: string) {
          chunks.push(chunk);
          return true;
        },
      },
    });
    logger.info({ strategy: "s1" }, "hello there");
    const out = chunks.join("");
    expect(out).toContain("INFO");
    expect(out).toContain("hello there");
    expect(out).toContain("strategy");
    expect(() => JSON.parse(out) as unknown).toThrow();
  });
});

describe("redactAccount", () => {
  it("keeps the type prefix and the last digits only", () => {
    expect(redactAccount("DU1234567")).toBe("DU****567");
    expect(redactAccount("U12345678")).toBe("U****678");
    expect(redactAccount("F1234567", 4)).toBe("F****4567");
  });

  it("hides short values completely", () => {
    expect(redactAccount("DU123")).toBe("DU****");
    expect(redactAccount("")).toBe("****");
  });
});

describe("shouldPrettyPrint", () => {
  it("is pretty on a terminal in auto mode and when asked", () => {
    expect(shouldPrettyPrint("auto", true)).toBe(true);
    expect(shouldPrettyPrint("auto", false)).toBe(false);
    expect(shouldPrettyPrint("pretty", false)).toBe(true);
    expect(shouldPrettyPrint("json", true)).toBe(false);
  });
});
