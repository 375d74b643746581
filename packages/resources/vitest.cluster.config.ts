import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:cluster`: the ResourceStore conformance suite against the cluster of KUBECONFIG
// (the CRDs of k8s/crds applied). Its files end in .test-cluster.ts so `npm test` never runs them.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "resources-cluster",
    include: ["src/**/*.test-cluster.ts"],
    // One suite against one shared namespace; a real API server and GC need time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
