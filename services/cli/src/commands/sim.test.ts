import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../command.js";
import { documentedOptions, helpOptions, renderedHelp } from "../testing/options-docs.js";
import { simCommand } from "./sim.js";

const DOCS = new URL("../../../../docs/simulator.md", import.meta.url);

/** `spreadops sim --help` as printed (and it exits 0). */
async function helpText(): Promise<string> {
  const { text, code } = await renderedHelp(simCommand("0.0.0-test"));
  expect(code).toBe(ExitCode.ok);
  return text;
}

describe("spreadops sim --help and docs/simulator.md", () => {
  it("document the same flags with the same env vars and defaults", async () => {
    const help = helpOptions(await helpText());
    const docs = documentedOptions(readFileSync(DOCS, "utf8"), "### Options", ["now"]);
    // Both lists are read from their sources: an empty one would mean a parser that no longer matches.
    expect(help.size).toBeGreaterThan(15);
    expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
    for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
  });
});
