import { describe, expect, it } from "vitest";
import { checkAccountMode, parseManagedAccounts } from "./account-mode.js";
import type { ModeFacts } from "./account-mode.js";

describe("checkAccountMode", () => {
  const cases: [string, ModeFacts, boolean][] = [
    ["paper, DU account, 7497", { mode: "paper", liveConfirmed: false, port: 7497, accounts: ["DU1234567"] }, true],
    ["paper, DU account, 7496", { mode: "paper", liveConfirmed: false, port: 7496, accounts: ["DU1234567"] }, true],
    ["paper, live account", { mode: "paper", liveConfirmed: false, port: 7496, accounts: ["U1234567"] }, false],
    ["paper, mixed accounts", { mode: "paper", liveConfirmed: false, port: 7497, accounts: ["DU1", "U2"] }, false],
    ["paper, before managedAccounts", { mode: "paper", liveConfirmed: false, port: 7497 }, true],
    ["live without opt-in", { mode: "live", liveConfirmed: false, port: 7496, accounts: ["U1234567"] }, false],
    ["live, opt-in, live account, 7496", { mode: "live", liveConfirmed: true, port: 7496, accounts: ["U1234567"] }, true],
    ["live, opt-in, live account, 4001", { mode: "live", liveConfirmed: true, port: 4001, accounts: ["U1234567"] }, true],
    ["live, opt-in, port 7497", { mode: "live", liveConfirmed: true, port: 7497, accounts: ["U1234567"] }, false],
    ["live, opt-in, port 4002", { mode: "live", liveConfirmed: true, port: 4002 }, false],
    ["live, opt-in, DU account", { mode: "live", liveConfirmed: true, port: 7496, accounts: ["DU1234567"] }, false],
    ["live, opt-in, lower-case du", { mode: "live", liveConfirmed: true, port: 7496, accounts: ["du1234567"] }, false],
    ["no accounts", { mode: "paper", liveConfirmed: false, port: 7497, accounts: [] }, false],
  ];
  it.each(cases)("%s", (_name, facts, ok) => {
    const decision = checkAccountMode(facts);
    expect(decision.ok).toBe(ok);
    if (!decision.ok) {
      expect(decision.reason).not.toContain("1234567");
    }
  });

  it("parses managedAccounts text", () => {
    expect(parseManagedAccounts("DU1234567,")).toEqual(["DU1234567"]);
    expect(parseManagedAccounts(" DU1, DU2 ")).toEqual(["DU1", "DU2"]);
    expect(parseManagedAccounts("")).toEqual([]);
  });
});
