import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../command.js";
import { documentedOptions, helpOptions, renderedHelp } from "../testing/options-docs.js";
import { executionCommand } from "./execution.js";

const DOCS = new URL("../../../../docs/execution.md", import.meta.url);

describe("spreadops execution --help and docs/execution.md", () => {
  it("document the same flags with the same env vars and defaults", async () => {
    const { text, code } = await renderedHelp(executionCommand("0.0.0-test"));
    expect(code).toBe(ExitCode.ok);
    const help = helpOptions(text);
    const docs = documentedOptions(readFileSync(DOCS, "utf8"), "## Options", []);
    expect(help.size).toBeGreaterThan(10);
    expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
    for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
  });

  it("refuses a bad option with exit 78", async () => {
    const { code } = await executionCommand("0.0.0-test").run({ argv: ["--walk-steps", "99"], env: {}, stdout: () => undefined, stderr: () => undefined, signals: { on: () => undefined, off: () => undefined } }).then((c) => ({ code: c }));
    expect(code).toBe(ExitCode.config);
  });
});
