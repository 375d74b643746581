/**
 * Writes k8s/install/spreadops.yaml: the plain-manifest install for people without Helm,
 * rendered from charts/spreadops with its default values (the simulator on, paper trading)
 * except the console's token:
 *
 *   helm template spreadops charts/spreadops --namespace spreadops --include-crds --skip-tests \
 *     --set console.existingSecret=spreadops-console-token
 *
 * preceded by the Namespace. The chart would render a fresh random token on every run (only a
 * live `helm install` can keep it, through `lookup`), and a token committed to the repository
 * would be everyone's: the console reads a Secret the user creates (see HEADER) instead.
 * `install.test.ts` fails when the file and a fresh render differ. Regenerate with INSTALL_COMMAND.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT, RELEASE_NAME, RELEASE_NAMESPACE, templateChart } from "../helm.js";

export const INSTALL_FILE = join(REPO_ROOT, "k8s", "install", "spreadops.yaml");
export const INSTALL_COMMAND = "npm run build && node packages/deploy/dist/chart/write-install.js";
/** The console's token Secret, which the plain-manifest user creates (the chart's default name). */
export const INSTALL_CONSOLE_SECRET = `${RELEASE_NAME}-console-token`;
/** The values the plain manifest sets beyond the chart's defaults. */
export const INSTALL_SET: Readonly<Record<string, string>> = { "console.existingSecret": INSTALL_CONSOLE_SECRET };

const HEADER = `# SpreadOps: plain-manifest install (no Helm needed), generated from charts/spreadops with its
# default values: the whole platform in namespace "${RELEASE_NAMESPACE}" against the built-in TWS simulator,
# paper trading, NetworkPolicies on. Do not edit: change the chart, then regenerate with
#   ${INSTALL_COMMAND}
# (helm template spreadops charts/spreadops --namespace ${RELEASE_NAMESPACE} --include-crds --skip-tests
#  --set console.existingSecret=${INSTALL_CONSOLE_SECRET}).
#
#   kubectl apply --server-side -f k8s/install/spreadops.yaml
#   kubectl -n ${RELEASE_NAMESPACE} create secret generic ${INSTALL_CONSOLE_SECRET} \\
#     --from-literal=token="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
#   kubectl -n ${RELEASE_NAMESPACE} apply -f k8s/examples/strategy-bull-put.yaml
#
# The web console's token is the one thing this file does not carry (a token committed here would
# be the same for everyone): the console pod waits in ContainerCreating until you create the
# Secret ${INSTALL_CONSOLE_SECRET} (key "token", at least 16 characters) as above.
#
# For any other setting (a real TWS, live trading, monitoring) install the chart with Helm
# (docs/install.md). The objects carry Helm's labels; they are not a Helm release.
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${RELEASE_NAMESPACE}
  labels:
    app.kubernetes.io/part-of: spreadops
`;

/** The full text of k8s/install/spreadops.yaml as the chart renders it now. */
export async function renderInstallManifest(): Promise<string> {
  const rendered = await templateChart({ includeCrds: true, includeTests: false, set: INSTALL_SET });
  return `${HEADER}${rendered.startsWith("---") ? "" : "---\n"}${rendered}`;
}

async function main(): Promise<void> {
  const text = await renderInstallManifest();
  await mkdir(dirname(INSTALL_FILE), { recursive: true });
  await writeFile(INSTALL_FILE, text);
  process.stdout.write(`wrote ${INSTALL_FILE}\n`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main();
}
