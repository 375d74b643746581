/**
 * @packageDocumentation
 * What every SpreadOps service shares: typed config, logging, metrics, the Connect server with
 * health endpoints, tracing, graceful shutdown, error mapping and leader election. See
 * docs/runtime.md and docs/leader-election.md.
 */

export {
  ConfigError,
  defineOptions,
  describeConfig,
  helpRequested,
  option,
  parseConfig,
  renderHelp,
} from "./config.js";
export type { ConfigIssue, ConfigOf, ConfigSources, HelpText, OptionSpec, OptionSpecs } from "./config.js";
export { editDistance, suggestClosest } from "./suggest.js";

export { DURATION_FORM, duration, formatDuration, parseDuration } from "./duration.js";
export type { DurationBounds } from "./duration.js";

export {
  DEFAULT_REDACT_PATHS,
  LOG_FORMATS,
  LOG_LEVELS,
  childLogger,
  createLogger,
  redactAccount,
  shouldPrettyPrint,
} from "./logger.js";
export type { LogFormat, LogIds, LogLevel, Logger, LoggerOptions } from "./logger.js";

export { METRIC_PREFIX, createMetrics, metricName, metricsHandler } from "./metrics.js";
export type { HistogramOptions, MetricOptions, Metrics, MetricsOptions } from "./metrics.js";
export { createRpcMetricsInterceptor } from "./rpc-metrics.js";

export type { HttpHandler, HttpRequest, HttpResponse } from "./http-handler.js";

export { Readiness, livenessHandler, readinessHandler } from "./health.js";
export type { CheckOutcome, CheckResult, ReadinessCheck, ReadinessOptions, ReadinessReport } from "./health.js";

export { buildServer } from "./server.js";
export type { CloseOptions, ConnectServer, ConnectTuning, ServerAddress, ServerOptions } from "./server.js";
export { kHttpRequest } from "./context-keys.js";
export type { HttpRequestInfo } from "./context-keys.js";

export {
  DomainError,
  INTERNAL_ERROR_MESSAGE,
  codeForKind,
  failedPrecondition,
  invalidArgument,
  notFound,
  resourceExhausted,
  toConnectError,
  unavailable,
} from "./errors.js";
export type { DomainErrorKind, DomainErrorOptions, ErrorMetadata, MappedError } from "./errors.js";
export { createErrorInterceptor } from "./error-interceptor.js";
export type { ErrorInterceptorOptions } from "./error-interceptor.js";

export { TRACER_NAME, resolveTraceExportUrl, setupTracing } from "./tracing.js";
export type { Tracing, TracingOptions } from "./tracing.js";
export {
  RPC_ATTRIBUTES,
  createClientTracingInterceptor,
  createServerTracingInterceptor,
} from "./tracing-interceptors.js";
export type { TracingInterceptorOptions } from "./tracing-interceptors.js";
export { connectService } from "./service-client.js";
export type { ServiceClientOptions, ServiceConnection } from "./service-client.js";

export { Lifecycle } from "./shutdown.js";
export type { CloseResult, LifecycleOptions, ShutdownReport, SignalSource } from "./shutdown.js";

export {
  commonOptions,
  defaultServerInterceptors,
  envPrefix,
  processIO,
  runService,
  serviceMain,
  ServiceExitCode,
} from "./service-main.js";
export type {
  CommonOptions,
  DefaultInterceptorOptions,
  ProcessIO,
  RunningService,
  ServiceContext,
  ServiceDefinition,
  ServiceIO,
  ServiceParts,
} from "./service-main.js";

export { systemClock } from "./clock.js";
export type { CancelTimer, Clock } from "./clock.js";
export { clockOffsetOption, offsetClock } from "./clock-offset.js";
export { StreamFollower, type StreamBackoff, type StreamFollowerOptions } from "./stream-follower.js";
export {
  ConflictError,
  LeaseStoreError,
  NotFoundError,
  TransientLeaseError,
  formatMicroTime,
} from "./lease-store.js";
export type { LeaseKey, LeaseRecord, LeaseStore } from "./lease-store.js";
export { MemoryLeaseStore } from "./memory-lease-store.js";
export type { LeaseOperation, MemoryLeaseStoreOptions } from "./memory-lease-store.js";
export { KubernetesLeaseStore, createKubernetesLeaseStore, leaseToRecord, recordToLease } from "./kubernetes-lease-store.js";
export type { LeaseApi } from "./kubernetes-lease-store.js";
export type { Leadership, LeadershipListener } from "./leadership.js";
export {
  DEFAULT_LEADER_ELECTION_TIMINGS,
  LeaderElector,
  defaultLeaderIdentity,
  validateLeaderElectionTimings,
} from "./leader-election.js";
export type { LeaderElectionTimings, LeaderElectorOptions } from "./leader-election.js";
export { AlwaysLeader } from "./always-leader.js";
export type { AlwaysLeaderOptions } from "./always-leader.js";
export {
  SERVICE_ACCOUNT_NAMESPACE_FILE,
  leaderElectionOptions,
  readTextFile,
  resolveLeaseNamespace,
} from "./leader-election-options.js";
export type { LeaderElectionConfig, LeaderElectionOptions, ReadTextFile } from "./leader-election-options.js";
export { createLeadership, findKubeConfig, instrumentLeadership } from "./leader-election-runtime.js";
export type { CreateLeadershipOptions, InstrumentLeadershipOptions } from "./leader-election-runtime.js";
