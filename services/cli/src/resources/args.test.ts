import { describe, expect, it } from "vitest";
import { parseResourceArgs, UsageError } from "./args.js";
import { formatAge } from "./age.js";

describe("parseResourceArgs", () => {
  it("takes kubectl's short and long flags, inline values, and keeps positionals in order", () => {
    const args = parseResourceArgs(["get", "-n", "desk", "trades", "--output=yaml", "x", "-f", "a.yaml", "--filename", "b/", "--kubeconfig", "k", "-y"]);
    expect(args.positionals).toEqual(["get", "trades", "x"]);
    expect(args).toMatchObject({ namespace: "desk", output: "yaml", files: ["a.yaml", "b/"], kubeconfig: "k", yes: true, allNamespaces: false });
    expect(args.reason).toBeUndefined();
  });

  it("takes --reason as one value, spaces included, separate or inline", () => {
    expect(parseResourceArgs(["reject", "trade", "x", "--reason", "IV too low today"])).toMatchObject({ positionals: ["reject", "trade", "x"], reason: "IV too low today" });
    expect(parseResourceArgs(["--reason=earnings tomorrow", "reject"]).reason).toBe("earnings tomorrow");
    expect(() => parseResourceArgs(["reject", "--reason"])).toThrow(/--reason needs a value/);
  });

  it("names the flag on an unknown flag, a missing value or a bad output format", () => {
    expect(() => parseResourceArgs(["--force"])).toThrow(new UsageError("unknown flag --force"));
    expect(() => parseResourceArgs(["-n"])).toThrow(/-n needs a value/);
    expect(() => parseResourceArgs(["-o", "xml"])).toThrow(/--output: expected one of table, wide, yaml, json, got "xml"/);
  });
});

describe("formatAge", () => {
  const now = Date.parse("2026-11-21T12:00:00Z");
  it("uses kubectl's units and thresholds", () => {
    expect(formatAge("2026-11-21T11:59:15Z", now)).toBe("45s");
    expect(formatAge("2026-11-21T11:58:01Z", now)).toBe("119s");
    expect(formatAge("2026-11-21T11:30:00Z", now)).toBe("30m");
    expect(formatAge("2026-11-21T07:00:00Z", now)).toBe("5h");
    expect(formatAge("2026-11-18T12:00:00Z", now)).toBe("3d");
    expect(formatAge(undefined, now)).toBe("<unknown>");
    expect(formatAge("yesterday", now)).toBe("<unknown>");
  });
});
