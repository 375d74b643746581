import { readFileSync } from "node:fs";
import { z } from "zod";
import { option } from "./config.js";
import type { ConfigOf, OptionSpec } from "./config.js";
import { duration } from "./duration.js";
import { envPrefix } from "./service-main.js";

/** Where Kubernetes mounts the pod's namespace with its service account token. */
export const SERVICE_ACCOUNT_NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

// A Lease name is a DNS subdomain.
const LEASE_NAME = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: "a DNS subdomain such as spreadops-gateway" });

/**
 * The leader election options of a service, to spread into its options next to
 * `commonOptions(service)`: `--leader-election on|off`, `--lease-name`, `--lease-namespace`,
 * `--leader-identity`, `--lease-duration`, `--renew-deadline`, `--retry-period`, with env vars
 * `SPREADOPS_<SERVICE>_…`.
 */
export function leaderElectionOptions(service: string) {
  const prefix = envPrefix(service);
  return {
    leaderElection: option({
      type: z.enum(["on", "off"]),
      env: `${prefix}LEADER_ELECTION`,
      flag: "--leader-election",
      default: "on",
      description: "Elect one leader among replicas with a Kubernetes Lease (on), or always lead (off). Without a cluster, always leads.",
    }),
    leaseName: option({
      type: LEASE_NAME,
      env: `${prefix}LEASE_NAME`,
      flag: "--lease-name",
      default: `spreadops-${service}`,
      description: "Name of the coordination.k8s.io Lease that replicas compete for.",
    }),
    leaseNamespace: option({
      type: z.string().min(1).optional(),
      env: `${prefix}LEASE_NAMESPACE`,
      flag: "--lease-namespace",
      description: "Namespace of the Lease; default POD_NAMESPACE, then the pod's service account namespace, then the kubeconfig's.",
    }),
    leaderIdentity: option({
      type: z.string().min(1).optional(),
      env: `${prefix}LEADER_IDENTITY`,
      flag: "--leader-identity",
      description: "This replica's identity in the Lease; default HOSTNAME (the pod name) plus a random suffix.",
    }),
    leaseDuration: option({
      type: duration({ min: "1s" }),
      env: `${prefix}LEASE_DURATION`,
      flag: "--lease-duration",
      default: "15s",
      description: "How long followers wait after the Lease last changed before taking it over (whole seconds).",
    }),
    renewDeadline: option({
      type: duration({ min: "1ms" }),
      env: `${prefix}RENEW_DEADLINE`,
      flag: "--renew-deadline",
      default: "10s",
      description: "How long the leader keeps failing to renew before it stops leading; below --lease-duration.",
    }),
    retryPeriod: option({
      type: duration({ min: "1ms" }),
      env: `${prefix}RETRY_PERIOD`,
      flag: "--retry-period",
      default: "2s",
      description: "Pause between attempts to acquire or renew the Lease.",
    }),
  } satisfies Record<string, OptionSpec>;
}

/** The options of {@link leaderElectionOptions}. */
export type LeaderElectionOptions = ReturnType<typeof leaderElectionOptions>;

/** Parsed leader election configuration. */
export type LeaderElectionConfig = ConfigOf<LeaderElectionOptions>;

/** Reads a file as text, or `undefined` if it cannot be read. */
export type ReadTextFile = (path: string) => string | undefined;

/** `readFileSync` that answers `undefined` instead of throwing. */
export const readTextFile: ReadTextFile = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

/**
 * The Lease's namespace: the option, else `POD_NAMESPACE` (downward API), else the service
 * account's namespace file, else `fallback` (the kubeconfig context's), else `default`.
 */
export function resolveLeaseNamespace(
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadTextFile = readTextFile,
  fallback?: string,
): string {
  const candidates = [configured, env["POD_NAMESPACE"], readFile(SERVICE_ACCOUNT_NAMESPACE_FILE)?.trim(), fallback];
  return candidates.find((c): c is string => c !== undefined && c !== "") ?? "default";
}
