/** A parsed resource command line: positionals plus the kubectl-style flags the CLI accepts. */
export interface ResourceArgs {
  readonly positionals: readonly string[];
  readonly namespace?: string;
  readonly allNamespaces: boolean;
  readonly output?: "table" | "wide" | "yaml" | "json";
  readonly files: readonly string[];
  readonly kubeconfig?: string;
  readonly yes: boolean;
  /** Free text saying why (`reject --reason TEXT`). */
  readonly reason?: string;
}

export class UsageError extends Error {}

const OUTPUTS = ["table", "wide", "yaml", "json"] as const;

/** Parses `-n NS`, `-A`, `-o FORMAT`, `-f FILE` (repeatable), `--kubeconfig FILE`, `--yes`, `--reason TEXT`; anything else unknown is a usage error. */
export function parseResourceArgs(argv: readonly string[]): ResourceArgs {
  const positionals: string[] = [];
  const files: string[] = [];
  let namespace: string | undefined;
  let output: ResourceArgs["output"];
  let kubeconfig: string | undefined;
  let reason: string | undefined;
  let allNamespaces = false;
  let yes = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-n": case "--namespace": namespace = value(); break;
      case "-A": case "--all-namespaces": allNamespaces = true; break;
      case "-o": case "--output": {
        const v = value();
        if (!(OUTPUTS as readonly string[]).includes(v)) throw new UsageError(`--output: expected one of ${OUTPUTS.join(", ")}, got "${v}"`);
        output = v as ResourceArgs["output"];
        break;
      }
      case "-f": case "--filename": files.push(value()); break;
      case "--kubeconfig": kubeconfig = value(); break;
      case "-y": case "--yes": yes = true; break;
      case "--reason": reason = value(); break;
      default:
        if (flag.startsWith("-")) throw new UsageError(`unknown flag ${flag}`);
        positionals.push(arg);
    }
  }
  return {
    positionals, allNamespaces, files, yes,
    ...(namespace === undefined ? {} : { namespace }),
    ...(output === undefined ? {} : { output }),
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(reason === undefined ? {} : { reason }),
  };
}
