import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { createKubernetesResourceStore } from "@spreadops/resources";
import { findKubeConfig } from "@spreadops/runtime";
import type { ResourceArgs } from "./args.js";
import type { StoreConnector, StoreSession } from "./resource-commands.js";

/** Where a running all-in-one writes the kubeconfig of its embedded store (see `spreadops all --data-dir`). */
export const ALL_IN_ONE_KUBECONFIG = ".spreadops/kubeconfig";

/**
 * Which API the resource commands talk to, like kubectl picks a cluster: `--kubeconfig FILE`;
 * else the all-in-one running from this folder (its `.spreadops/kubeconfig`); else the
 * cluster of KUBECONFIG or ~/.kube/config. The namespace is `-n`, else the kubeconfig's.
 */
export function kubeconfigStoreConnector(options: { cwd?: string; exists?: (path: string) => boolean } = {}): StoreConnector {
  const exists = options.exists ?? existsSync;
  return (args: ResourceArgs, io): Promise<StoreSession> => {
    let kubeConfig: KubeConfig | undefined;
    let target: string;
    const local = resolve(options.cwd ?? process.cwd(), ALL_IN_ONE_KUBECONFIG);
    if (args.kubeconfig !== undefined) {
      kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(args.kubeconfig);
      target = `kubeconfig ${args.kubeconfig}`;
    } else if (exists(local)) {
      kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(local);
      target = `the all-in-one's store at ${kubeConfig.getCurrentCluster()?.server ?? "?"} (${ALL_IN_ONE_KUBECONFIG}; is \`npm start\` running in this folder?)`;
    } else {
      kubeConfig = findKubeConfig(io.env);
      if (kubeConfig === undefined) {
        return Promise.reject(new Error(`no store to talk to: no running all-in-one here (${ALL_IN_ONE_KUBECONFIG} is missing — start it with \`npm start\`), no --kubeconfig, no KUBECONFIG or ~/.kube/config`));
      }
      target = `cluster ${kubeConfig.getCurrentCluster()?.server ?? "?"}`;
    }
    const namespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? "default";
    const store = createKubernetesResourceStore(kubeConfig, { fieldManager: "spreadops-cli" });
    return Promise.resolve({ store, namespace, target, close: () => Promise.resolve() });
  };
}
