import { ServiceExitCode, type ServiceIO } from "@spreadops/runtime";

/**
 * What a sub-command sees of the outside world; `main` passes the real process, tests pass fakes.
 * It is the runtime's {@link ServiceIO}, so a service sub-command hands it straight to `runService`.
 */
export type CommandIo = ServiceIO;

/** One `spreadops <name>` sub-command. `run` resolves to the process exit code. */
export interface Command {
  readonly name: string;
  /** One line for the command list in `spreadops --help`. */
  readonly summary: string;
  run(io: CommandIo): Promise<number>;
}

/** Exit codes: the services' own (0, 1, 78 for bad config) plus 64 for a bad command line. */
export const ExitCode = {
  ...ServiceExitCode,
  usage: 64,
} as const;
