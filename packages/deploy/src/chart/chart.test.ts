// The chart rendered for every install scenario (charts/spreadops/ci/*-values.yaml): kinds,
// labels, selectors against pod labels, probes, resources, security contexts, RBAC scope,
// the TWS/live wiring, the console's token and Ingress, and who may reach whom through the
// NetworkPolicies.
import { beforeAll, describe, expect, it } from "vitest";
import { renderChart, type KubeObject } from "../helm.js";
import {
  arrayAt, componentOf, containersOf, envOf, envValue, isRecord, ofKind, podSpecs, recordAt, scenarios, selects, stringMap, valueAt,
  type Container, type PodSpecOf, type Scenario,
} from "./scenarios.js";

const RELEASE = "spreadops";
const ALL_SCENARIOS = scenarios();
const SERVICES = ["gateway", "scanner", "strategy", "execution", "controller"] as const;
/** Where the console mounts its token Secret, and the file SPREADOPS_CONSOLE_TOKEN_FILE names. */
const TOKEN_DIR = "/etc/spreadops/console";

/** The component pods that run in a scenario (the console and the simulator are optional). */
function componentsOf(scenario: Scenario): string[] {
  return [
    ...SERVICES,
    ...(valueAt(scenario.values, "console.enabled") === true ? ["console"] : []),
    ...(valueAt(scenario.values, "sim.enabled") === true ? ["sim"] : []),
  ];
}

/** The port named `http` of a component's container and Service: the console's 8085, else 8080. */
function httpPort(component: string): number {
  return component === "console" ? 8085 : 8080;
}

function fullname(scenario: Scenario): string {
  const override = valueAt(scenario.values, "fullnameOverride");
  return typeof override === "string" && override !== "" ? override : `${RELEASE}-spreadops`.replace(/^spreadops-spreadops$/, "spreadops");
}

function byComponent(objects: readonly KubeObject[], kind: string, component: string): KubeObject {
  const found = objects.filter((object) => object.kind === kind && componentOf(object) === component);
  if (found.length !== 1) throw new Error(`expected one ${kind} of component ${component}, found ${String(found.length)}`);
  return found[0]!;
}

function mainContainer(objects: readonly KubeObject[], component: string): Container {
  const deployment = byComponent(objects, "Deployment", component);
  const containers = containersOf(recordAt(deployment, "spec.template.spec"));
  const container = containers.find((c) => c.name === component);
  if (container === undefined) throw new Error(`no container ${component}`);
  return container;
}

function selectorOf(object: KubeObject, path: string): Record<string, string> {
  return stringMap(recordAt(object, path));
}

/** The pods (Deployments' templates and Pods) a label selector picks in the render. */
function podsSelected(pods: readonly PodSpecOf[], selector: Record<string, string>): PodSpecOf[] {
  return pods.filter((pod) => selects(selector, pod.labels));
}

describe.each(ALL_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))("chart rendered with ci/%s", (_name, scenario) => {
  let objects: KubeObject[] = [];
  let pods: PodSpecOf[] = [];
  const components = componentsOf(scenario);
  const base = fullname(scenario);

  beforeAll(async () => {
    objects = await renderChart([scenario.file]);
    pods = podSpecs(objects);
  }, 300_000);

  it("renders a Deployment, Service and ServiceAccount per component, and nothing for absent ones", () => {
    for (const component of components) {
      const deployment = byComponent(objects, "Deployment", component);
      expect(deployment.metadata.name).toBe(`${base}-${component}`);
      const service = byComponent(objects, "Service", component);
      expect(service.metadata.name).toBe(`${base}-${component}`);
      const ports = arrayAt(service, "spec.ports").filter(isRecord);
      expect(ports.find((port) => port["name"] === "http"), component).toMatchObject({ port: httpPort(component), targetPort: "http" });
      expect(byComponent(objects, "ServiceAccount", component).metadata.name).toBe(`${base}-${component}`);
    }
    expect(ofKind(objects, "Deployment")).toHaveLength(components.length);
    for (const absent of ["sim", "console"].filter((component) => !components.includes(component))) {
      expect(objects.filter((object) => componentOf(object) === absent).map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([]);
    }
    for (const object of objects) {
      if (!["ClusterRole", "ClusterRoleBinding"].includes(object.kind) && object.kind !== "ConfigMap") {
        expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(RELEASE);
      }
    }
  });

  it("puts the full label set on every object and only name/instance/component in selectors", () => {
    for (const object of objects) {
      const labels = object.metadata.labels ?? {};
      const what = `${object.kind}/${object.metadata.name}`;
      expect(labels["app.kubernetes.io/name"], what).toBe("spreadops");
      expect(labels["app.kubernetes.io/instance"], what).toBe(RELEASE);
      expect(labels["app.kubernetes.io/managed-by"], what).toBe("Helm");
      expect(labels["app.kubernetes.io/part-of"], what).toBe("spreadops");
      expect(labels["app.kubernetes.io/version"], what).toMatch(/^\d+\.\d+\.\d+/);
      expect(labels["helm.sh/chart"], what).toMatch(/^spreadops-\d+\.\d+\.\d+/);
      expect(labels["app.kubernetes.io/component"], what).toMatch(/^[a-z][a-z-]*$/);
      for (const [key, value] of Object.entries(stringMap(valueAt(scenario.values, "commonLabels")))) {
        expect(labels[key], `${what} commonLabels`).toBe(value);
      }
    }
    for (const deployment of ofKind(objects, "Deployment")) {
      const selector = selectorOf(deployment, "spec.selector.matchLabels");
      expect(Object.keys(selector).sort()).toEqual(["app.kubernetes.io/component", "app.kubernetes.io/instance", "app.kubernetes.io/name"]);
      expect(selects(selector, stringMap(recordAt(deployment, "spec.template.metadata")["labels"]))).toBe(true);
    }
  });

  it("has every Service, PDB, HPA and workload NetworkPolicy select exactly the pods of its component", () => {
    const selected = (object: KubeObject, selector: Record<string, string>): void => {
      const matching = podsSelected(pods, selector).filter((pod) => pod.owner.kind === "Deployment");
      expect(matching.map((pod) => componentOf(pod.owner)), `${object.kind}/${object.metadata.name}`).toEqual([componentOf(object)]);
    };
    for (const service of ofKind(objects, "Service")) selected(service, selectorOf(service, "spec.selector"));
    for (const pdb of ofKind(objects, "PodDisruptionBudget")) selected(pdb, selectorOf(pdb, "spec.selector.matchLabels"));
    for (const policy of ofKind(objects, "NetworkPolicy")) {
      if (componentOf(policy) === "test") {
        expect(podsSelected(pods, selectorOf(policy, "spec.podSelector.matchLabels")).map((pod) => pod.owner.kind)).toEqual(["Pod"]);
      } else {
        selected(policy, selectorOf(policy, "spec.podSelector.matchLabels"));
      }
    }
    for (const hpa of ofKind(objects, "HorizontalPodAutoscaler")) {
      const target = recordAt(hpa, "spec.scaleTargetRef");
      const deployment = ofKind(objects, "Deployment").find((d) => d.metadata.name === target["name"]);
      expect(deployment, `HPA target ${String(target["name"])}`).toBeDefined();
      expect(target).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment" });
      expect(componentOf(deployment!)).toBe("scanner");
    }
    for (const monitor of ofKind(objects, "ServiceMonitor")) {
      const selector = selectorOf(monitor, "spec.selector.matchLabels");
      const services = ofKind(objects, "Service").filter((service) => selects(selector, service.metadata.labels ?? {}));
      expect(services, `ServiceMonitor/${monitor.metadata.name} selects one Service`).toHaveLength(1);
      for (const endpoint of arrayAt(monitor, "spec.endpoints").filter(isRecord)) expect(endpoint["port"]).toBe("http");
    }
  });

  it("sets the autoscaler, the gateway's PDB and replica counts from values", () => {
    const hpa = ofKind(objects, "HorizontalPodAutoscaler");
    const scanner = byComponent(objects, "Deployment", "scanner");
    if (valueAt(scenario.values, "scanner.autoscaling.enabled") === true) {
      expect(hpa).toHaveLength(1);
      expect(hpa[0]!.apiVersion).toBe("autoscaling/v2");
      expect(recordAt(hpa[0], "spec")).toMatchObject({
        minReplicas: valueAt(scenario.values, "scanner.autoscaling.minReplicas"),
        maxReplicas: valueAt(scenario.values, "scanner.autoscaling.maxReplicas"),
      });
      const metric = arrayAt(hpa[0], "spec.metrics")[0];
      expect(metric).toMatchObject({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: valueAt(scenario.values, "scanner.autoscaling.targetCPUUtilizationPercentage") } } });
      expect(recordAt(scanner, "spec")["replicas"]).toBeUndefined();
    } else {
      expect(hpa).toEqual([]);
      expect(recordAt(scanner, "spec")["replicas"]).toBe(valueAt(scenario.values, "scanner.replicas"));
    }
    const pdbs = ofKind(objects, "PodDisruptionBudget");
    if (valueAt(scenario.values, "gateway.podDisruptionBudget.enabled") === true) {
      expect(pdbs.map((pdb) => [pdb.apiVersion, componentOf(pdb)])).toEqual([["policy/v1", "gateway"]]);
      expect(recordAt(pdbs[0], "spec")["unhealthyPodEvictionPolicy"]).toBe("AlwaysAllow");
    } else {
      expect(pdbs).toEqual([]);
    }
    for (const component of ["gateway", "controller"]) {
      const deployment = byComponent(objects, "Deployment", component);
      expect(recordAt(deployment, "spec")["replicas"]).toBe(valueAt(scenario.values, `${component}.replicas`));
      // Only the Lease holder is Ready: a surge-first rollout would never finish.
      expect(recordAt(deployment, "spec.strategy.rollingUpdate")).toEqual({ maxSurge: "100%", maxUnavailable: "100%" });
      const affinity = recordAt(deployment, "spec.template.spec.affinity.podAntiAffinity");
      const mode = valueAt(scenario.values, `${component}.podAntiAffinity`);
      const terms = mode === "required"
        ? arrayAt(affinity, "requiredDuringSchedulingIgnoredDuringExecution")
        : arrayAt(affinity, "preferredDuringSchedulingIgnoredDuringExecution").map((term) => recordAt(term, "podAffinityTerm"));
      expect(terms).toHaveLength(1);
      expect(selects(selectorOf(terms[0] as KubeObject, "labelSelector.matchLabels"), stringMap(recordAt(deployment, "spec.template.metadata")["labels"]))).toBe(true);
    }
    if (valueAt(scenario.values, "sim.enabled") === true) {
      const sim = byComponent(objects, "Deployment", "sim");
      expect(recordAt(sim, "spec")).toMatchObject({ replicas: 1, strategy: { type: "Recreate" } });
    }
  });

  it("probes every service container on its port http: liveness /healthz, readiness /readyz", () => {
    for (const pod of pods.filter((p) => p.owner.kind === "Deployment")) {
      for (const container of containersOf(pod.spec)) {
        const what = `${pod.owner.metadata.name}/${container.name}`;
        expect(container["livenessProbe"], what).toMatchObject({ httpGet: { path: "/healthz", port: "http" } });
        expect(container["readinessProbe"], what).toMatchObject({ httpGet: { path: "/readyz", port: "http" } });
        expect(container["startupProbe"], what).toMatchObject({ httpGet: { path: "/healthz", port: "http" } });
        const ports = arrayAt(container, "ports").filter(isRecord);
        expect(ports.find((port) => port["name"] === "http"), what).toMatchObject({ containerPort: httpPort(componentOf(pod.owner)) });
      }
    }
  });

  it("gives every container CPU/memory requests and a memory limit", () => {
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      for (const container of containersOf(pod.spec)) {
        const what = `${pod.owner.metadata.name}/${container.name}`;
        const resources = recordAt(container, "resources");
        expect(Object.keys(recordAt(resources, "requests")).sort(), what).toEqual(expect.arrayContaining(["cpu", "memory"]));
        expect(recordAt(resources, "limits")["memory"], what).toBeDefined();
      }
      for (const component of components) {
        if (componentOf(pod.owner) === component && pod.owner.kind === "Deployment") {
          expect(recordAt(containersOf(pod.spec)[0], "resources")).toEqual(valueAt(scenario.values, `${component}.resources`));
        }
      }
    }
  });

  it("runs every pod non-root (uid 10001), without privilege escalation or capabilities, read-only root with /tmp", () => {
    for (const pod of pods) {
      const what = `${pod.owner.kind}/${pod.owner.metadata.name}`;
      expect(recordAt(pod.spec, "securityContext"), what).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
      const volumes = arrayAt(pod.spec, "volumes").filter(isRecord);
      const tmp = volumes.find((volume) => volume["name"] === "tmp");
      expect(tmp, what).toMatchObject({ emptyDir: {} });
      // Only emptyDirs, and for the console its token Secret (checked in the console's own test).
      const others = volumes.filter((volume) => !isRecord(volume["emptyDir"]));
      expect(others.map((volume) => volume["name"]), `${what}: only emptyDir volumes`).toEqual(componentOf(pod.owner) === "console" ? ["console-token"] : []);
      expect(pod.spec["hostNetwork"] ?? false).toBe(false);
      expect(pod.spec["hostPID"] ?? false).toBe(false);
      for (const container of containersOf(pod.spec)) {
        const security = recordAt(container, "securityContext");
        expect(security, `${what}/${container.name}`).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 10001,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(security["privileged"] ?? false).toBe(false);
        expect(arrayAt(security, "capabilities.drop")).toContain("ALL");
        expect(arrayAt(security, "capabilities.add")).toEqual([]);
        expect(arrayAt(container, "volumeMounts")).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      }
    }
  });

  it("mounts a service account token only into the gateway, the controller and the console", () => {
    for (const pod of pods) {
      const component = componentOf(pod.owner);
      const token = pod.spec["automountServiceAccountToken"];
      expect(token, `${component} automountServiceAccountToken`).toBe(["gateway", "controller", "console"].includes(component));
      if (pod.owner.kind === "Deployment") expect(pod.spec["serviceAccountName"]).toBe(`${base}-${component}`);
    }
    for (const account of ofKind(objects, "ServiceAccount")) expect(account["automountServiceAccountToken"]).toBe(false);
  });

  it("grants least privilege: the gateway only its Lease, the controller only its CRDs, Events and Lease, the console only Strategies, Trades and Events", () => {
    const roles = [...ofKind(objects, "Role"), ...ofKind(objects, "ClusterRole")];
    const bindings = [...ofKind(objects, "RoleBinding"), ...ofKind(objects, "ClusterRoleBinding")];
    const watchAll = valueAt(scenario.values, "controller.watchAllNamespaces") === true;
    // The console's scope mirrors the controller's: a Role in the release namespace, or a ClusterRole.
    const clusterWide = watchAll ? ["controller", ...(components.includes("console") ? ["console"] : [])].sort() : [];
    expect(ofKind(objects, "ClusterRole").map(componentOf).sort()).toEqual(clusterWide);
    expect(ofKind(objects, "ClusterRoleBinding").map(componentOf).sort()).toEqual(clusterWide);
    expect(roles.filter((role) => componentOf(role) === "console").map((role) => role.kind)).toEqual(
      components.includes("console") ? [watchAll ? "ClusterRole" : "Role"] : []);
    const leaseName = (component: string): string | undefined =>
      envValue(mainContainer(objects, component), `SPREADOPS_${component.toUpperCase()}_LEASE_NAME`);

    const allowedRules: Record<string, (rule: Record<string, unknown>) => boolean> = {
      gateway: (rule) => isLeaseRule(rule, leaseName("gateway")),
      controller: (rule) => isLeaseRule(rule, leaseName("controller")) || isCrdRule(rule) || isEventRule(rule),
      console: isConsoleRule,
    };
    for (const role of roles) {
      const component = componentOf(role);
      const allowed = allowedRules[component];
      expect(allowed, `${role.kind}/${role.metadata.name} belongs to gateway, controller or console`).toBeDefined();
      const rules = arrayAt(role, "rules").filter(isRecord);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        for (const field of ["apiGroups", "resources", "verbs", "resourceNames"]) {
          expect(arrayAt(rule, field), `${role.metadata.name} ${field}`).not.toContain("*");
        }
        expect(arrayAt(rule, "nonResourceURLs")).toEqual([]);
        expect(allowed!(rule), `${role.kind}/${role.metadata.name} rule ${JSON.stringify(rule)}`).toBe(true);
      }
      if (role.kind === "ClusterRole") expect(rules.some((rule) => arrayAt(rule, "resources").includes("leases"))).toBe(false);
    }
    // The controller can do its job: the CRDs with status and finalizers, events, its lease.
    const controllerRules = roles.filter((role) => componentOf(role) === "controller").flatMap((role) => arrayAt(role, "rules").filter(isRecord));
    const can = (group: string, resource: string, verb: string): boolean =>
      controllerRules.some((rule) => arrayAt(rule, "apiGroups").includes(group) && arrayAt(rule, "resources").includes(resource) && arrayAt(rule, "verbs").includes(verb));
    for (const resource of ["strategies", "trades"]) {
      for (const verb of ["get", "list", "watch", "create", "update", "patch", "delete"]) expect(can("trading.spreadops.dev", resource, verb), `${resource} ${verb}`).toBe(true);
      expect(can("trading.spreadops.dev", `${resource}/status`, "update")).toBe(true);
      expect(can("trading.spreadops.dev", `${resource}/status`, "patch")).toBe(true);
      expect(can("trading.spreadops.dev", `${resource}/finalizers`, "update")).toBe(true);
    }
    for (const verb of ["create", "patch"]) expect(can("", "events", verb)).toBe(true);
    for (const component of ["gateway", "controller"]) {
      const leaseRules = roles.filter((role) => componentOf(role) === component).flatMap((role) => arrayAt(role, "rules").filter(isRecord)).filter((rule) => arrayAt(rule, "resources").includes("leases"));
      const verbs = new Set(leaseRules.flatMap((rule) => arrayAt(rule, "verbs")));
      expect([...verbs].sort(), component).toEqual(["create", "get", "update"]);
    }
    // The console can do its job, and not one thing more: no status (it cannot fake a fill), no
    // finalizers, no delete, no Trades of its own making, nothing outside its CRDs and Events.
    if (components.includes("console")) {
      const consoleRules = roles.filter((role) => componentOf(role) === "console").flatMap((role) => arrayAt(role, "rules").filter(isRecord));
      const consoleCan = (group: string, resource: string, verb: string): boolean =>
        consoleRules.some((rule) => arrayAt(rule, "apiGroups").includes(group) && arrayAt(rule, "resources").includes(resource) &&
          (arrayAt(rule, "verbs").includes(verb) || arrayAt(rule, "verbs").includes("*")));
      const granted = (group: string, resource: string): string[] =>
        ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"].filter((verb) => consoleCan(group, resource, verb));
      expect(granted("trading.spreadops.dev", "strategies")).toEqual(["get", "list", "watch", "create", "update", "patch"]);
      expect(granted("trading.spreadops.dev", "trades")).toEqual(["get", "list", "watch", "patch"]);
      expect(granted("", "events")).toEqual(["list", "create", "patch"]);
      for (const resource of ["trades/status", "strategies/status", "trades/finalizers", "strategies/finalizers"]) {
        expect(granted("trading.spreadops.dev", resource), `console ${resource}`).toEqual([]);
      }
      for (const [group, resource] of [["", "pods"], ["", "secrets"], ["", "configmaps"], ["", "pods/exec"], ["coordination.k8s.io", "leases"]] as const) {
        expect(granted(group, resource), `console ${resource}`).toEqual([]);
      }
      expect(consoleRules.flatMap((rule) => [...arrayAt(rule, "apiGroups"), ...arrayAt(rule, "resources"), ...arrayAt(rule, "verbs")])).not.toContain("*");
    }
    // Every binding binds its own component's role to its own component's ServiceAccount.
    expect(bindings.length).toBe(roles.length);
    for (const binding of bindings) {
      const component = componentOf(binding);
      const roleRef = recordAt(binding, "roleRef");
      const role = roles.find((r) => r.metadata.name === roleRef["name"] && r.kind === roleRef["kind"]);
      expect(role, `${binding.metadata.name} -> ${String(roleRef["name"])}`).toBeDefined();
      expect(componentOf(role!)).toBe(component);
      expect(arrayAt(binding, "subjects")).toEqual([{ kind: "ServiceAccount", name: `${base}-${component}`, namespace: RELEASE }]);
    }
  });

  it("wires the TWS connection: the simulator, an external host or a Secret; live only with both opt-ins", () => {
    const gateway = mainContainer(objects, "gateway");
    const execution = mainContainer(objects, "execution");
    const env = new Map(envOf(gateway).map((entry) => [entry.name, entry]));
    const secret = valueAt(scenario.values, "tws.existingSecret");
    const hostKey = valueAt(scenario.values, "tws.existingSecretKeys.host");
    if (valueAt(scenario.values, "sim.enabled") === true) {
      expect(env.get("SPREADOPS_GATEWAY_TWS_HOST")?.value).toBe(`${base}-sim`);
      const simService = byComponent(objects, "Service", "sim");
      expect(arrayAt(simService, "spec.ports")).toContainEqual(expect.objectContaining({ name: "tws", port: valueAt(scenario.values, "sim.twsPort"), targetPort: "tws" }));
      expect(env.get("SPREADOPS_GATEWAY_TWS_PORT")?.value).toBe(String(valueAt(scenario.values, "sim.twsPort")));
      const sim = mainContainer(objects, "sim");
      expect(envValue(sim, "SPREADOPS_SIM_HOST")).toBe("0.0.0.0");
      expect(envValue(sim, "SPREADOPS_SIM_PORT")).toBe("7497");
      expect(envValue(sim, "SPREADOPS_SIM_ADMIN_PORT")).toBe("8080");
    } else if (typeof hostKey === "string" && hostKey !== "") {
      expect(env.get("SPREADOPS_GATEWAY_TWS_HOST")?.valueFrom).toEqual({ secretKeyRef: { name: secret, key: hostKey } });
    } else {
      expect(env.get("SPREADOPS_GATEWAY_TWS_HOST")?.value).toBe(valueAt(scenario.values, "tws.host"));
      expect(env.get("SPREADOPS_GATEWAY_TWS_PORT")?.value).toBe(String(valueAt(scenario.values, "tws.port")));
    }
    const live = valueAt(scenario.values, "tws.tradingMode") === "live" && valueAt(scenario.values, "tws.liveTradingConfirmed") === true;
    expect(env.get("SPREADOPS_GATEWAY_TRADING_MODE")?.value).toBe(valueAt(scenario.values, "tws.tradingMode"));
    expect(env.get("SPREADOPS_GATEWAY_LIVE_TRADING_CONFIRMED")?.value).toBe(String(live));
    expect(envValue(execution, "SPREADOPS_EXECUTION_ALLOW_LIVE")).toBe(String(live));
    expect(envValue(execution, "SPREADOPS_EXECUTION_KILL_SWITCH")).toBe(String(valueAt(scenario.values, "execution.killSwitch")));
  });

  it("gives the console its token as a file from a Secret (never an env var), its Ingress and allowed origins", () => {
    if (!components.includes("console")) {
      expect(ofKind(objects, "Secret")).toEqual([]);
      expect(ofKind(objects, "Ingress")).toEqual([]);
      return;
    }
    const deployment = byComponent(objects, "Deployment", "console");
    const container = mainContainer(objects, "console");
    const existing = valueAt(scenario.values, "console.existingSecret");
    const secretName = typeof existing === "string" && existing !== "" ? existing : `${base}-console-token`;

    // The Secret volume, mounted read-only, named by SPREADOPS_CONSOLE_TOKEN_FILE.
    const volume = arrayAt(deployment, "spec.template.spec.volumes").filter(isRecord).find((v) => v["name"] === "console-token");
    expect(volume).toEqual({ name: "console-token", secret: { secretName, defaultMode: 0o440, items: [{ key: "token", path: "token" }] } });
    expect(arrayAt(container, "volumeMounts")).toContainEqual({ name: "console-token", mountPath: TOKEN_DIR, readOnly: true });
    expect(envValue(container, "SPREADOPS_CONSOLE_TOKEN_FILE")).toBe(`${TOKEN_DIR}/token`);

    // The token itself never travels in an env var: not as a value, not from the Secret.
    const env = envOf(container);
    expect(env.map((entry) => entry.name)).not.toContain("SPREADOPS_CONSOLE_TOKEN");
    expect(env.filter((entry) => entry.valueFrom !== undefined).map((entry) => entry.name)).toEqual([]);

    // The chart's own Secret: a random 32-character token (kept across upgrades by `lookup`,
    // which `helm template` cannot show), or none when the user brings theirs.
    const secrets = ofKind(objects, "Secret");
    if (secretName === existing) {
      expect(secrets).toEqual([]);
    } else {
      expect(secrets.map((secret) => secret.metadata.name)).toEqual([secretName]);
      const secret = secrets[0]!;
      expect(secret["type"]).toBe("Opaque");
      expect(Object.keys(recordAt(secret, "data"))).toEqual(["token"]);
      const encoded = String(recordAt(secret, "data")["token"]);
      const token = Buffer.from(encoded, "base64").toString("utf8");
      expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
      for (const object of objects.filter((o) => o !== secret)) {
        const text = JSON.stringify(object);
        expect(text.includes(token) || text.includes(encoded), `${object.kind}/${object.metadata.name} carries the token`).toBe(false);
      }
    }

    // The Ingress, when asked, routes its host to the console's port http; its origin may mutate.
    const ingresses = ofKind(objects, "Ingress");
    const host = valueAt(scenario.values, "console.ingress.host");
    const tlsSecret = valueAt(scenario.values, "console.ingress.tls.secretName");
    const origins: string[] = [];
    const extra = valueAt(scenario.values, "console.allowedOrigins");
    if (typeof extra === "string" && extra !== "") origins.push(extra);
    if (valueAt(scenario.values, "console.ingress.enabled") === true) {
      expect(ingresses.map((ingress) => [ingress.apiVersion, componentOf(ingress)])).toEqual([["networking.k8s.io/v1", "console"]]);
      const spec = recordAt(ingresses[0], "spec");
      const className = valueAt(scenario.values, "console.ingress.className");
      expect(spec["ingressClassName"]).toBe(className === "" ? undefined : className);
      expect(spec["rules"]).toEqual([{
        host,
        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: `${base}-console`, port: { name: "http" } } } }] },
      }]);
      expect(spec["tls"]).toEqual(tlsSecret === "" ? undefined : [{ hosts: [host], secretName: tlsSecret }]);
      expect(ingresses[0]!.metadata.annotations ?? {}).toEqual(valueAt(scenario.values, "console.ingress.annotations"));
      origins.push(`${tlsSecret === "" ? "http" : "https"}://${String(host)}`);
    } else {
      expect(ingresses).toEqual([]);
    }
    expect(envValue(container, "SPREADOPS_CONSOLE_ALLOWED_ORIGINS")).toBe(origins.length > 0 ? origins.join(",") : undefined);

    // No PDB or autoscaler: one stateless replica by default, like strategy and execution.
    expect(recordAt(deployment, "spec")["replicas"]).toBe(valueAt(scenario.values, "console.replicas"));
    expect([...ofKind(objects, "PodDisruptionBudget"), ...ofKind(objects, "HorizontalPodAutoscaler")].map(componentOf)).not.toContain("console");
    expect(arrayAt(byComponent(objects, "Service", "console"), "spec.ports")).toEqual([expect.objectContaining({ name: "http", port: 8085 })]);
    expect(recordAt(byComponent(objects, "Service", "console"), "spec")["type"]).toBe(valueAt(scenario.values, "console.service.type"));
  });

  it("points every *_URL at a rendered Service's port 8080 and the OTLP endpoint at otel.endpoint", () => {
    if (components.includes("console")) {
      const consoleContainer = mainContainer(objects, "console");
      const shown = valueAt(scenario.values, "console.namespace");
      expect(envValue(consoleContainer, "SPREADOPS_CONSOLE_PORT")).toBe("8085");
      expect(envValue(consoleContainer, "SPREADOPS_CONSOLE_NAMESPACE")).toBe(typeof shown === "string" && shown !== "" ? shown : RELEASE);
      for (const callee of ["gateway", "strategy", "execution"]) {
        expect(envValue(consoleContainer, `SPREADOPS_CONSOLE_${callee.toUpperCase()}_URL`)).toBe(`http://${base}-${callee}:8080`);
      }
    }
    const services = new Set(ofKind(objects, "Service").map((service) => service.metadata.name));
    const endpoint = valueAt(scenario.values, "otel.endpoint");
    for (const component of components) {
      const container = mainContainer(objects, component);
      for (const entry of envOf(container)) {
        if (!entry.name.endsWith("_URL")) continue;
        const match = /^http:\/\/([a-z0-9-]+):8080$/.exec(entry.value ?? "");
        expect(match, `${component} ${entry.name}=${String(entry.value)}`).not.toBeNull();
        expect(services.has(match![1]!), `${component} ${entry.name}`).toBe(true);
      }
      expect(envValue(container, "OTEL_EXPORTER_OTLP_ENDPOINT"), component).toBe(endpoint === "" ? undefined : endpoint);
      expect(envValue(container, `SPREADOPS_${component.toUpperCase()}_LOG_LEVEL`)).toBe(valueAt(scenario.values, "log.level"));
    }
    const controller = mainContainer(objects, "controller");
    expect(envValue(controller, "SPREADOPS_CONTROLLER_NAMESPACE")).toBe(valueAt(scenario.values, "controller.watchAllNamespaces") === true ? undefined : RELEASE);
    for (const component of ["gateway", "controller"]) {
      expect(envOf(mainContainer(objects, component)).find((entry) => entry.name === "POD_NAMESPACE")?.valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.namespace" } });
      expect(envValue(mainContainer(objects, component), `SPREADOPS_${component.toUpperCase()}_LEADER_ELECTION`)).toBe("on");
    }
  });

  it("lets exactly the intended callers through the NetworkPolicies", () => {
    if (valueAt(scenario.values, "networkPolicy.enabled") !== true) {
      expect(ofKind(objects, "NetworkPolicy")).toEqual([]);
      return;
    }
    const policies = ofKind(objects, "NetworkPolicy");
    const sources = [...components, ...(valueAt(scenario.values, "tests.enabled") === true ? ["test"] : [])];
    const reach = new Set<string>();
    for (const from of sources) {
      const fromPod = pods.find((pod) => componentOf(pod.owner) === from);
      expect(fromPod, from).toBeDefined();
      for (const to of components) {
        if (to === from) continue;
        const toPod = pods.find((pod) => componentOf(pod.owner) === to)!;
        for (const port of [8080, 7497, 8085]) {
          if (allowed(policies, fromPod!.labels, toPod.labels, port)) reach.add(`${from}->${to}:${String(port)}`);
        }
      }
    }
    const expected = new Set<string>([
      "controller->strategy:8080", "controller->execution:8080", "controller->gateway:8080",
      "strategy->gateway:8080", "strategy->scanner:8080", "strategy->execution:8080",
      "scanner->gateway:8080", "execution->gateway:8080",
    ]);
    if (components.includes("sim")) expected.add("gateway->sim:7497");
    // The console calls gateway, strategy and execution (never the scanner, the controller or the
    // simulator); no component calls the console (it is the UI, reached from outside the release).
    if (components.includes("console")) for (const to of ["gateway", "strategy", "execution"]) expected.add(`console->${to}:8080`);
    if (sources.includes("test")) for (const to of components) expected.add(`test->${to}:${String(httpPort(to))}`);
    expect([...reach].sort()).toEqual([...expected].sort());

    // Egress beyond the release: DNS for all but the simulator; the API server for gateway,
    // controller and console only; TWS for the gateway only.
    for (const component of components) {
      const policy = byComponent(objects, "NetworkPolicy", component);
      expect(arrayAt(policy, "spec.policyTypes")).toEqual(["Ingress", "Egress"]);
      const egress = arrayAt(policy, "spec.egress").filter(isRecord);
      const ports = egress.flatMap((rule) => arrayAt(rule, "ports").filter(isRecord).map((port) => Number(port["port"])));
      expect(ports.includes(53), `${component} DNS`).toBe(component !== "sim");
      const ipBlocks = egress.filter((rule) => arrayAt(rule, "to").some((peer) => isRecord(peer) && isRecord(peer["ipBlock"])));
      const apiPorts = (valueAt(scenario.values, "networkPolicy.apiServer.ports") as number[]);
      const apiRules = ipBlocks.filter((rule) => arrayAt(rule, "ports").filter(isRecord).every((port) => apiPorts.includes(Number(port["port"]))));
      expect(apiRules.length > 0, `${component} API server`).toBe(["gateway", "controller", "console"].includes(component));
      const unbounded = egress.filter((rule) => !("to" in rule));
      if (component === "gateway" && unbounded.length > 0) {
        // Only a TWS host name with no peers: the TWS port, to anywhere.
        expect(valueAt(scenario.values, "sim.enabled")).toBe(false);
        expect(arrayAt(unbounded[0], "ports")).toEqual([{ protocol: "TCP", port: valueAt(scenario.values, "tws.port") }]);
      } else {
        expect(unbounded, `${component}: every egress rule names its peers`).toEqual([]);
      }
    }
    const gatewayEgress = arrayAt(byComponent(objects, "NetworkPolicy", "gateway"), "spec.egress").filter(isRecord);
    const host = valueAt(scenario.values, "tws.host");
    if (typeof host === "string" && /^\d+\.\d+\.\d+\.\d+$/.test(host)) {
      expect(gatewayEgress).toContainEqual({ to: [{ ipBlock: { cidr: `${host}/32` } }], ports: [{ protocol: "TCP", port: valueAt(scenario.values, "tws.port") }] });
    }
    const peers = valueAt(scenario.values, "networkPolicy.tws.peers");
    if (valueAt(scenario.values, "sim.enabled") !== true && Array.isArray(peers) && peers.length > 0) {
      expect(gatewayEgress).toContainEqual({ to: peers, ports: [{ protocol: "TCP", port: valueAt(scenario.values, "tws.port") }] });
    }
    // Metrics scrapers reach every component's port http.
    for (const component of components) {
      const ingress = arrayAt(byComponent(objects, "NetworkPolicy", component), "spec.ingress").filter(isRecord);
      const metrics = ingress.find((rule) => arrayAt(rule, "from").some((peer) => isRecord(peer) && isRecord(peer["namespaceSelector"])));
      expect(metrics, `${component} metrics ingress`).toBeDefined();
      expect(arrayAt(metrics, "from")).toContainEqual({
        namespaceSelector: valueAt(scenario.values, "networkPolicy.metrics.namespaceSelector"),
        podSelector: valueAt(scenario.values, "networkPolicy.metrics.podSelector"),
      });
      expect(arrayAt(metrics, "ports")).toEqual([{ protocol: "TCP", port: httpPort(component) }]);
    }
    // The console is the UI: every pod in the cluster (an ingress controller) reaches its port
    // 8085; a NodePort/LoadBalancer Service brings outside sources, so then anything may.
    if (components.includes("console")) {
      const ingress = arrayAt(byComponent(objects, "NetworkPolicy", "console"), "spec.ingress").filter(isRecord);
      const ports = [{ protocol: "TCP", port: 8085 }];
      expect(ingress.filter((rule) => !arrayAt(rule, "ports").every((port) => isRecord(port) && port["port"] === 8085))).toEqual([]);
      const open = valueAt(scenario.values, "console.service.type") !== "ClusterIP";
      expect(ingress).toContainEqual(open ? { ports } : { from: [{ namespaceSelector: {} }], ports });
    } else {
      for (const policy of policies) {
        expect(JSON.stringify(policy.spec), `${policy.metadata.name} names no console`).not.toContain('"console"');
      }
    }
  });

  it("renders the example Strategy only when asked, in the release namespace", () => {
    const strategies = ofKind(objects, "Strategy");
    if (valueAt(scenario.values, "exampleStrategy.enabled") === true) {
      expect(strategies).toHaveLength(1);
      expect(strategies[0]!.apiVersion).toBe("trading.spreadops.dev/v1alpha1");
      expect(strategies[0]!.metadata.name).toBe(valueAt(scenario.values, "exampleStrategy.name"));
      expect(recordAt(strategies[0], "spec")).toEqual(valueAt(scenario.values, "exampleStrategy.spec"));
    } else {
      expect(strategies).toEqual([]);
    }
  });
});

function isLeaseRule(rule: Record<string, unknown>, leaseName: string | undefined): boolean {
  if (leaseName === undefined) return false;
  const groups = arrayAt(rule, "apiGroups");
  const resources = arrayAt(rule, "resources");
  const verbs = arrayAt(rule, "verbs");
  const names = arrayAt(rule, "resourceNames");
  if (groups.join() !== "coordination.k8s.io" || resources.join() !== "leases") return false;
  // create cannot be limited by name; everything else only on its own Lease.
  if (names.length === 0) return verbs.join() === "create";
  return names.join() === leaseName && verbs.every((verb) => verb === "get" || verb === "update");
}

function isCrdRule(rule: Record<string, unknown>): boolean {
  const resources = arrayAt(rule, "resources");
  return arrayAt(rule, "apiGroups").join() === "trading.spreadops.dev" &&
    resources.every((resource) => typeof resource === "string" && /^(strategies|trades)(\/status|\/finalizers)?$/.test(resource));
}

function isEventRule(rule: Record<string, unknown>): boolean {
  return arrayAt(rule, "apiGroups").join() === "" && arrayAt(rule, "resources").join() === "events" &&
    arrayAt(rule, "verbs").every((verb) => verb === "create" || verb === "get" || verb === "patch");
}

/** The console's rules: Strategies (no delete), Trades (read and patch the spec), Events; never a subresource. */
function isConsoleRule(rule: Record<string, unknown>): boolean {
  const group = arrayAt(rule, "apiGroups").join();
  const resources = arrayAt(rule, "resources").join();
  const verbs = arrayAt(rule, "verbs");
  const only = (allowed: readonly string[]): boolean => verbs.length > 0 && verbs.every((verb) => typeof verb === "string" && allowed.includes(verb));
  if (arrayAt(rule, "resourceNames").length > 0) return false;
  if (group === "trading.spreadops.dev" && resources === "strategies") return only(["get", "list", "watch", "create", "update", "patch"]);
  if (group === "trading.spreadops.dev" && resources === "trades") return only(["get", "list", "watch", "patch"]);
  if (group === "" && resources === "events") return only(["create", "patch", "list"]);
  return false;
}

/** Does one NetworkPolicy peer list admit a pod with these labels (same namespace, no namespaceSelector)? */
function peersAdmit(peers: readonly unknown[] | undefined, labels: Record<string, string>): boolean {
  if (peers === undefined) return true; // no `to`/`from`: any peer
  return peers.some((peer) => {
    if (!isRecord(peer)) return false;
    if (isRecord(peer["namespaceSelector"]) || isRecord(peer["ipBlock"])) return false; // other namespaces / addresses
    return isRecord(peer["podSelector"]) && selects(stringMap(peer["podSelector"]["matchLabels"]), labels);
  });
}

function portsAdmit(ports: readonly unknown[] | undefined, port: number): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((entry) => isRecord(entry) && Number(entry["port"]) === port);
}

/** Whether traffic from pod `from` to pod `to` on `port` passes both pods' policies (Kubernetes semantics). */
function allowed(policies: readonly KubeObject[], from: Record<string, string>, to: Record<string, string>, port: number): boolean {
  const side = (labels: Record<string, string>, direction: "ingress" | "egress", peer: Record<string, string>): boolean => {
    const applying = policies.filter((policy) =>
      selects(stringMap(recordAt(policy, "spec.podSelector")["matchLabels"]), labels) &&
      arrayAt(policy, "spec.policyTypes").includes(direction === "ingress" ? "Ingress" : "Egress"));
    if (applying.length === 0) return true;
    return applying.some((policy) => arrayAt(policy, `spec.${direction}`).some((rule) => {
      if (!isRecord(rule)) return false;
      const peers = rule[direction === "ingress" ? "from" : "to"];
      const rulePorts = rule["ports"];
      return peersAdmit(Array.isArray(peers) ? peers : undefined, peer) && portsAdmit(Array.isArray(rulePorts) ? rulePorts : undefined, port);
    }));
  };
  return side(from, "egress", to) && side(to, "ingress", from);
}

describe("install scenarios", () => {
  it("cover the simulator, an external TWS, a Secret, live mode, monitoring, all namespaces and minimal resources", () => {
    const names = ALL_SCENARIOS.map((scenario) => scenario.name);
    expect(names).toEqual(expect.arrayContaining([
      "default-values.yaml", "sim-disabled-values.yaml", "existing-secret-values.yaml", "live-values.yaml",
      "monitoring-values.yaml", "all-namespaces-values.yaml", "minimal-resources-values.yaml", "kind-values.yaml",
      "console-disabled-values.yaml", "console-ingress-values.yaml",
    ]));
    // The console: on by default, off, with the chart's token or the user's Secret, behind an Ingress.
    const consoleValues = (path: string): unknown[] => ALL_SCENARIOS.map((scenario) => valueAt(scenario.values, `console.${path}`));
    expect(consoleValues("enabled")).toEqual(expect.arrayContaining([true, false]));
    expect(consoleValues("existingSecret")).toEqual(expect.arrayContaining(["", expect.stringMatching(/./)]));
    expect(consoleValues("ingress.enabled")).toContain(true);
  });
});
