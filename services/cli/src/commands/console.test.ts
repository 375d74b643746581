import { describe, expect, it } from "vitest";
import { ExitCode } from "../command.js";
import { helpOptions, renderedHelp } from "../testing/options-docs.js";
import { consoleCommand } from "./console.js";

describe("spreadops console", () => {
  it("lists the console's options with env vars and defaults on --help", async () => {
    const { text, code } = await renderedHelp(consoleCommand("0.0.0-test"));
    expect(code).toBe(ExitCode.ok);
    const help = helpOptions(text);
    expect(help.get("--port")).toEqual({ env: "SPREADOPS_CONSOLE_PORT", default: "8085" });
    for (const flag of ["--gateway-url", "--strategy-url", "--execution-url", "--namespace", "--token", "--token-file", "--allowed-origins", "--audit-log", "--clock-offset"]) {
      expect(help.has(flag), flag).toBe(true);
    }
    // The token is a secret: --help never shows a value for it.
    expect(help.get("--token")?.default).toBe("none");
    expect(text).toMatch(/--token <[^>]+>[\s\S]*?secret/);
  });

  it("refuses a token shorter than 16 characters without echoing it", async () => {
    const err: string[] = [];
    const code = await consoleCommand("0.0.0-test").run({
      argv: ["--token", "short-secret"],
      env: {},
      stdout: () => undefined,
      stderr: (t) => err.push(t),
    });
    expect(code).toBe(ExitCode.config);
    expect(err.join("")).toContain("--token");
    expect(err.join("")).not.toContain("short-secret");
  });
});
