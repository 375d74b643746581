import { describe, expect, it } from "vitest";
import { runCli, suggestCommand } from "./cli.js";
import { type Command, type CommandIo, ExitCode } from "./command.js";

function recorder(argv: string[]): { io: CommandIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { argv, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, out, err };
}

function command(name: string, seen: string[][]): Command {
  return {
    name,
    summary: `the ${name} command`,
    run: (io) => {
      seen.push([...io.argv]);
      return Promise.resolve(ExitCode.ok);
    },
  };
}

const meta = { programName: "spreadops", version: "9.9.9" };

describe("runCli", () => {
  it("passes the remaining arguments to the chosen sub-command", async () => {
    const seen: string[][] = [];
    const { io } = recorder(["scanner", "--port", "0"]);
    const code = await runCli(io, [command("gateway", seen), command("scanner", seen)], meta);
    expect(code).toBe(ExitCode.ok);
    expect(seen).toEqual([["--port", "0"]]);
  });

  it("prints help listing every command on --help, to stdout, exit 0", async () => {
    const { io, out, err } = recorder(["--help"]);
    const code = await runCli(io, [command("gateway", []), command("scanner", [])], meta);
    expect(code).toBe(ExitCode.ok);
    expect(err).toEqual([]);
    const help = out.join("");
    expect(help).toContain("gateway");
    expect(help).toContain("the scanner command");
  });

  it("treats a missing command as a usage error with the help on stderr", async () => {
    const { io, out, err } = recorder([]);
    expect(await runCli(io, [command("all", [])], meta)).toBe(ExitCode.usage);
    expect(out).toEqual([]);
    expect(err.join("")).toContain("Usage: spreadops <command>");
  });

  it("rejects an unknown command and suggests the closest one", async () => {
    const seen: string[][] = [];
    const { io, err } = recorder(["scaner"]);
    const code = await runCli(io, [command("scanner", seen), command("strategy", seen)], meta);
    expect(code).toBe(ExitCode.usage);
    expect(seen).toEqual([]);
    expect(err.join("")).toContain('unknown command "scaner" (did you mean "scanner"?)');
  });

  it("prints the version", async () => {
    const { io, out } = recorder(["--version"]);
    expect(await runCli(io, [], meta)).toBe(ExitCode.ok);
    expect(out.join("")).toBe("9.9.9\n");
  });
});

describe("suggestCommand", () => {
  const cmds = ["gateway", "scanner", "strategy", "execution", "controller", "all"].map((n) => command(n, []));
  it("suggests nothing for a word far from every command", () => {
    expect(suggestCommand("deploy", cmds)).toBeUndefined();
  });
  it("suggests within two edits", () => {
    expect(suggestCommand("gatway", cmds)).toBe("gateway");
    expect(suggestCommand("strategie", cmds)).toBe("strategy");
  });
});
