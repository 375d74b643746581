import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../command.js";
import { documentedOptions, helpOptions, renderedHelp } from "../testing/options-docs.js";
import { allCommand } from "./all.js";
import { controllerCommand } from "./controller.js";

const DOCS = new URL("../../../../docs/operator.md", import.meta.url);

describe("docs/operator.md documents the options --help prints", () => {
  for (const [heading, command] of [["### `spreadops controller`", controllerCommand("0.0.0-test")], ["### `spreadops all`", allCommand("0.0.0-test")]] as const) {
    it(`${heading}: same flags, env vars and defaults`, async () => {
      const { text, code } = await renderedHelp(command);
      expect(code).toBe(ExitCode.ok);
      const help = helpOptions(text);
      const docs = documentedOptions(readFileSync(DOCS, "utf8"), heading, []);
      expect(help.size).toBeGreaterThan(10);
      expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
      for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
    });
  }
});
