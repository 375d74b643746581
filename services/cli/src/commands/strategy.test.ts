import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../command.js";
import { documentedOptions, helpOptions, renderedHelp } from "../testing/options-docs.js";
import { strategyCommand } from "./strategy.js";

const DOCS = new URL("../../../../docs/strategy.md", import.meta.url);

/** `spreadops strategy --help` as printed (and it exits 0). */
async function helpText(): Promise<string> {
  const { text, code } = await renderedHelp(strategyCommand("0.0.0-test"));
  expect(code).toBe(ExitCode.ok);
  return text;
}

describe("spreadops strategy --help and docs/strategy.md", () => {
  it("document the same flags with the same env vars and defaults", async () => {
    const help = helpOptions(await helpText());
    const docs = documentedOptions(readFileSync(DOCS, "utf8"), "## Options", []);
    expect(help.size).toBeGreaterThan(10);
    expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
    for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
  });

  it("lists the upstream URLs", async () => {
    const help = await helpText();
    for (const flag of ["--gateway-url", "--scanner-url", "--execution-url"]) expect(help).toContain(flag);
  });
});
