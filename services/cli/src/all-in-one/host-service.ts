import { serviceMain, type CheckOutcome, type CommonOptions, type ConfigOf, type RunningService, type ServiceDefinition, type ServiceIO, type Tracing } from "@spreadops/runtime";

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

/**
 * A hosted service's own readiness as one check of the all-in-one's /readyz: ready with its URL,
 * or failing with each of its failing checks by name.
 */
export async function hostedReadiness(service: RunningService<unknown>): Promise<CheckOutcome> {
  const report = await service.readiness.evaluate();
  const failing = report.checks.filter((c) => !c.ok);
  if (failing.length > 0) throw new Error(failing.map((c) => `${c.name}: ${c.message}`).join("; "));
  return { ok: true, message: service.address.url };
}
