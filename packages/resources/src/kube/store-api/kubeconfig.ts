import { chmod, mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

export interface KubeconfigOptions {
  /** The store API's URL, e.g. `http://127.0.0.1:6443`. */
  server: string;
  token: string;
  /** The namespace kubectl uses when none is given. */
  namespace: string;
  /** PEM of the server's certificate (StoreApiServer.certificateAuthority) for an https server. */
  certificateAuthority?: string;
  /** Cluster, user and context name. Default "spreadops-local". */
  name?: string;
}

/** A kubeconfig for the store API as YAML text. */
export function kubeconfigText(options: KubeconfigOptions): string {
  const name = options.name ?? "spreadops-local";
  const cluster: Record<string, unknown> = { server: options.server };
  if (options.certificateAuthority !== undefined) cluster["certificate-authority-data"] = Buffer.from(options.certificateAuthority).toString("base64");
  // client-node refuses plain http:// unless TLS verification is off; there is no TLS to verify.
  else if (options.server.startsWith("http://")) cluster["insecure-skip-tls-verify"] = true;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster }],
    users: [{ name, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: options.namespace } }],
    "current-context": name,
    preferences: {},
  });
}

/** The same configuration in memory, for a KubernetesResourceStore in the same process or a test. */
export function storeApiKubeConfig(options: KubeconfigOptions): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigText(options));
  return kubeConfig;
}

/**
 * Writes a kubeconfig for the store API, readable by its owner only (it holds the token).
 * Written beside and renamed into place, so a reader never sees half a file.
 */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, kubeconfigText(options), { mode: 0o600 });
  // The mode of writeFile is masked by the umask and ignored for an existing file.
  await chmod(partial, 0o600);
  await rename(partial, path);
}
