import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../command.js";
import { documentedOptions, helpOptions, renderedHelp } from "../testing/options-docs.js";
import { gatewayCommand } from "./gateway.js";

const DOCS = new URL("../../../../docs/gateway.md", import.meta.url);

/** `spreadops gateway --help` as printed (and it exits 0). */
async function helpText(): Promise<string> {
  const { text, code } = await renderedHelp(gatewayCommand("0.0.0-test"));
  expect(code).toBe(ExitCode.ok);
  return text;
}

describe("spreadops gateway --help and docs/gateway.md", () => {
  it("document the same flags with the same env vars and defaults", async () => {
    const help = helpOptions(await helpText());
    const docs = documentedOptions(readFileSync(DOCS, "utf8"), "## Options", []);
    // Both lists are read from their sources: an empty one would mean a parser that no longer matches.
    expect(help.size).toBeGreaterThan(25);
    expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
    for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
  });

  it("lists the TWS, leader-election and common options", async () => {
    const help = await helpText();
    for (const flag of ["--tws-client-id", "--tws-restart-window", "--tws-message-budget", "--leader-election", "--lease-duration", "--port", "--drain-timeout"]) {
      expect(help).toContain(flag);
    }
  });
});
