import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import type { ActivityInit } from "./activity-feed.js";
import { AuditTrail, DENIED_SHOWN_PER_MINUTE } from "./audit-trail.js";

describe("AuditTrail", () => {
  it("keeps every refused change in the log and the file, but shows at most the limit per minute in the activity feed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-"));
    const logged: Record<string, unknown>[] = [];
    const logger = createLogger({ service: "test", level: "info", destination: { write: (line: string) => { logged.push(JSON.parse(line) as Record<string, unknown>); } } });
    const shown: ActivityInit[] = [];
    const now = 1_700_000_000_000;
    const trail = await AuditTrail.open({
      logger, namespace: "default", clock: { now: () => now }, file: join(dir, "audit.log"),
      store: { recordEvent: () => Promise.resolve() },
      activity: { add: (entry: ActivityInit) => { shown.push(entry); return { ...entry, id: 0n } as never; } },
    });
    try {
      const attempts = DENIED_SHOWN_PER_MINUTE + 15;
      for (let i = 0; i < attempts; i++) {
        await trail.record({ actor: "mallory", remote: "10.0.0.9", action: "ApproveTrade", target: { kind: "Trade", name: `t${String(i)}` }, outcome: "denied: no token" });
      }
      await trail.record({ actor: "alice", remote: "127.0.0.1", action: "ApproveTrade", target: { kind: "Trade", name: "real" }, outcome: "ok" }, { reason: "ApprovedByUser", message: "approved by alice" });
      await trail.close();
      const lines = (await readFile(join(dir, "audit.log"), "utf8")).trim().split("\n");
      expect(lines).toHaveLength(attempts + 1);
      expect(logged.filter((l) => l["audit"] === true)).toHaveLength(attempts + 1);
      expect(shown.filter((e) => e.reason === "Denied")).toHaveLength(DENIED_SHOWN_PER_MINUTE);
      expect(shown.filter((e) => e.reason === "DeniedAttemptsThrottled")).toHaveLength(1);
      // The legitimate action after the flood still reaches the feed.
      expect(shown.at(-1)?.reason).toBe("ApprovedByUser");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
