import type { Command, CommandIo } from "../command.js";

/** An option as both `--help` and a docs Options table describe it. */
export interface OptionDoc {
  readonly env: string;
  /** As printed; an option without a default is "none". */
  readonly default: string;
}

/** What `spreadops <command> --help` prints, and its exit code. */
export async function renderedHelp(command: Command): Promise<{ text: string; code: number }> {
  const out: string[] = [];
  const io: CommandIo = {
    argv: ["--help"],
    env: {},
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    signals: { on: () => undefined, off: () => undefined },
  };
  const code = await command.run(io);
  return { text: out.join(""), code };
}

/**
 * flag → env var and default of the help's option blocks (`  --flag <form>   env NAME` or
 * `(flag only)`, description, `default: …`); a flag-only option has env "".
 */
export function helpOptions(help: string): Map<string, OptionDoc> {
  const options = new Map<string, OptionDoc>();
  // Boolean flags print as `--[no-]name`; the docs name them `--name`.
  for (const match of help.matchAll(/^ {2}--(?:\[no-\])?([a-z][a-z-]*)\b.*?\s(?:env (\S+)|\(flag only\))\s*\n {6}.*\n {6}default: ([^;\n]+)/gm)) {
    options.set(`--${match[1] ?? ""}`, { env: match[2] ?? "", default: match[3] ?? "" });
  }
  return options;
}

/**
 * flag → env var and default of a docs Options table (`| \`--flag\` | \`ENV\` or — | default | meaning |`)
 * under the line `heading`, up to the next heading; a flag-only option (env —) has env "".
 * `noDefault` lists the words the table uses for "no default" (— always).
 */
export function documentedOptions(markdown: string, heading: string, noDefault: readonly string[] = []): Map<string, OptionDoc> {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section`);
  // The section ends at the next heading of any level (a `###` per command may follow).
  const end = markdown.slice(start + 1).search(/\n#{1,6} /);
  const section = markdown.slice(start, end < 0 ? undefined : start + 1 + end);
  const none = new Set(["—", ...noDefault]);
  const options = new Map<string, OptionDoc>();
  for (const match of section.matchAll(/^\| `(--[a-z][a-z-]*)` \| (?:`([A-Z_]+)`|—) \| ([^|]+) \|/gm)) {
    const text = (match[3] ?? "").trim();
    options.set(match[1] ?? "", { env: match[2] ?? "", default: none.has(text) ? "none" : text });
  }
  return options;
}
