import { suggestClosest } from "@spreadops/runtime";
import { type Command, type CommandIo, ExitCode } from "./command.js";

/** Renders the top-level help: usage, every registered command, and where to read more. */
export function renderHelp(programName: string, version: string, commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), "help".length);
  const lines = [
    `${programName} ${version} — automated vertical option spreads on Interactive Brokers`,
    "",
    `Usage: ${programName} <command> [options]`,
    `       ${programName} <command> --help     options of one command, with env vars and defaults`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${"help".padEnd(width)}  show this help`,
    "",
    "Every option can also be set by an environment variable (shown in each command's --help).",
    "Docs: README.md and docs/ in the repository.",
  ];
  return lines.join("\n") + "\n";
}

/** The closest command name, if the given one looks like a typo of it. */
export function suggestCommand(given: string, commands: readonly Command[]): string | undefined {
  return suggestClosest(given, commands.map((c) => c.name));
}

/**
 * Dispatches `argv` (without node and script path) to a sub-command. Unknown commands and a
 * missing command are usage errors (exit 64) with the help on stderr, so a typo in a Kubernetes
 * manifest's `args` fails loudly instead of starting the wrong thing.
 */
export async function runCli(
  io: CommandIo,
  commands: readonly Command[],
  meta: { programName: string; version: string },
): Promise<number> {
  const [first, ...rest] = io.argv;
  const help = renderHelp(meta.programName, meta.version, commands);
  if (first === undefined) {
    io.stderr(help);
    return ExitCode.usage;
  }
  if (first === "help" || first === "--help" || first === "-h") {
    io.stdout(help);
    return ExitCode.ok;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`${meta.version}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === first);
  if (command === undefined) {
    const hint = suggestCommand(first, commands);
    io.stderr(
      `${meta.programName}: unknown command "${first}"` +
        (hint === undefined ? "" : ` (did you mean "${hint}"?)`) +
        `\n\n${help}`,
    );
    return ExitCode.usage;
  }
  return command.run({ ...io, argv: rest });
}
