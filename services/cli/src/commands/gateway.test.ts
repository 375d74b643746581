import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { gatewayCommand } from "./gateway.js";

const DOCS = new URL("../../../../docs/gateway.md", import.meta.url);

/** `spreadops gateway --help` as printed. */
async function renderedHelp(): Promise<string> {
  const out: string[] = [];
  const io: CommandIo = {
    argv: ["--help"],
    env: {},
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    signals: { on: () => undefined, off: () => undefined },
  };
  expect(await gatewayCommand("0.0.0-test").run(io)).toBe(ExitCode.ok);
  return out.join("");
}

interface OptionDoc {
  readonly env: string;
  /** As printed; an option without a default is "none". */
  readonly default: string;
}

/** flag → env var and default of the help's option blocks (`  --flag <form>   env NAME`, description, `default: …`). */
function helpOptions(help: string): Map<string, OptionDoc> {
  const options = new Map<string, OptionDoc>();
  // Boolean flags print as `--[no-]name`; the docs name them `--name`.
  for (const match of help.matchAll(/^ {2}--(?:\[no-\])?([a-z][a-z-]*)\b.*?\senv (\S+)\s*\n {6}.*\n {6}default: ([^;\n]+)/gm)) {
    options.set(`--${match[1] ?? ""}`, { env: match[2] ?? "", default: match[3] ?? "" });
  }
  return options;
}

/** flag → env var and default of the docs' Options table (`| \`--flag\` | \`ENV\` | default | meaning |`). */
function documentedOptions(markdown: string): Map<string, OptionDoc> {
  const start = markdown.indexOf("## Options");
  const section = markdown.slice(start, markdown.indexOf("\n## ", start + 1));
  const options = new Map<string, OptionDoc>();
  for (const match of section.matchAll(/^\| `(--[a-z][a-z-]*)` \| `([A-Z_]+)` \| ([^|]+) \|/gm)) {
    // The table writes "no default" as —.
    const text = (match[3] ?? "").trim();
    options.set(match[1] ?? "", { env: match[2] ?? "", default: text === "—" ? "none" : text });
  }
  return options;
}

describe("spreadops gateway --help and docs/gateway.md", () => {
  it("document the same flags with the same env vars and defaults", async () => {
    const help = helpOptions(await renderedHelp());
    const docs = documentedOptions(readFileSync(DOCS, "utf8"));
    // Both lists are read from their sources: an empty one would mean a parser that no longer matches.
    expect(help.size).toBeGreaterThan(25);
    expect([...docs.keys()].sort()).toEqual([...help.keys()].sort());
    for (const [flag, doc] of help) expect({ flag, ...docs.get(flag) }).toEqual({ flag, ...doc });
  });

  it("lists the TWS, leader-election and common options", async () => {
    const help = await renderedHelp();
    for (const flag of ["--tws-client-id", "--tws-restart-window", "--tws-message-budget", "--leader-election", "--lease-duration", "--port", "--drain-timeout"]) {
      expect(help).toContain(flag);
    }
  });
});
