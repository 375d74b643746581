import { serviceMain, type CommonOptions, type ConfigOf, type RunningService, type ServiceDefinition, type ServiceIO, type Tracing } from "@spreadops/runtime";

/**
 * Starts one service inside the all-in-one exactly as its own process would run it (its config
 * parser, logger, metrics registry, server and lifecycle), with the all-in-one's stdout and
 * tracing (OpenTelemetry's provider is process-global). It never
 * ends the process: a service that cannot start is an error for the caller to report.
 */
export async function hostService<O extends CommonOptions>(
  definition: ServiceDefinition<O>,
  argv: readonly string[],
  io: Pick<ServiceIO, "env" | "stdout" | "stderr" | "stdoutIsTty">,
  tracing: Tracing,
): Promise<RunningService<ConfigOf<O>>> {
  let exitCode: number | undefined;
  const running = await serviceMain(definition, {
    argv,
    env: io.env,
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.stdoutIsTty === undefined ? {} : { stdoutIsTty: io.stdoutIsTty }),
    exit: (code) => { exitCode = code; },
    tracing,
  });
  if (running === undefined) {
    throw new Error(`${definition.name} did not start (exit code ${String(exitCode)}); its log lines above say why (a port in use: another \`npm start\` running, or move it with --port-base)`);
  }
  return running;
}
