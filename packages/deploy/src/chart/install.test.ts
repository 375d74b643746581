// k8s/install/spreadops.yaml is the chart rendered with its defaults (no drift), and it is a
// complete install: the Namespace, both CRDs, every component — but no console token, which the
// user creates (a token committed to the repository would be everyone's).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseObjects } from "../helm.js";
import { INSTALL_COMMAND, INSTALL_CONSOLE_SECRET, INSTALL_FILE, renderInstallManifest } from "./write-install.js";

describe("k8s/install/spreadops.yaml", () => {
  it("agrees with a fresh render of the chart", async () => {
    const committed = readFileSync(INSTALL_FILE, "utf8");
    const fresh = await renderInstallManifest();
    expect(committed === fresh, `k8s/install/spreadops.yaml drifted from charts/spreadops; regenerate with: ${INSTALL_COMMAND}`).toBe(true);
  }, 300_000);

  it("installs the namespace, the CRDs and every component, without helm test hooks", () => {
    const objects = parseObjects(readFileSync(INSTALL_FILE, "utf8"));
    expect(objects[0]).toMatchObject({ kind: "Namespace", metadata: { name: "spreadops" } });
    expect(objects.filter((o) => o.kind === "CustomResourceDefinition").map((o) => o.metadata.name).sort()).toEqual([
      "strategies.trading.spreadops.dev", "trades.trading.spreadops.dev",
    ]);
    expect(objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.labels?.["app.kubernetes.io/component"]).sort()).toEqual([
      "console", "controller", "execution", "gateway", "scanner", "sim", "strategy",
    ]);
    expect(objects.filter((o) => o.metadata.annotations?.["helm.sh/hook"] !== undefined)).toEqual([]);
    // The console reads the token from a Secret the user creates; the file carries none.
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const consoleDeployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "spreadops-console");
    expect(JSON.stringify(consoleDeployment)).toContain(`"secretName":"${INSTALL_CONSOLE_SECRET}"`);
    expect(readFileSync(INSTALL_FILE, "utf8")).toContain(`kubectl -n spreadops create secret generic ${INSTALL_CONSOLE_SECRET}`);
    for (const object of objects) {
      if (!["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"].includes(object.kind)) {
        expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe("spreadops");
      }
    }
  });
});
