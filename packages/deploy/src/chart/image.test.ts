// The Dockerfile, checked without a Docker engine: every path it copies from the build context
// exists and is not excluded by .dockerignore, the runtime stage is the hardened one (non-root
// 10001, tini, the CLI entrypoint, production dependencies only, OCI labels), and the Tiltfile
// and kind config it works with say what docs/install.md promises.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHART_DIR, REPO_ROOT } from "../helm.js";

const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const ignore = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8")
  .split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));

/** Logical Dockerfile lines (continuations joined, comments dropped). */
function instructions(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#") && current === "") continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(`${current}${line}`.trim());
    current = "";
  }
  return out.filter((line) => line !== "");
}

/** The stages: name → instructions. */
function stages(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let name = "";
  for (const line of instructions(text)) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from !== null) {
      name = from[1] ?? `stage${String(map.size)}`;
      map.set(name, [line]);
    } else if (name !== "") {
      map.get(name)!.push(line);
    }
  }
  return map;
}

/** A .dockerignore pattern that excludes this context path (literal patterns and `**\/name`). */
function ignored(path: string): string | undefined {
  const clean = path.replace(/\/$/, "");
  return ignore.find((pattern) => {
    if (pattern.startsWith("!")) return false;
    const p = pattern.replace(/^\*\*\//, "").replace(/\/$/, "");
    return clean === p || clean.startsWith(`${p}/`) || (pattern.startsWith("**/") && clean.split("/").includes(p));
  });
}

describe("Dockerfile", () => {
  const all = stages(dockerfile);
  const runtime = [...all.entries()].at(-1)!;

  it("copies only context paths that exist and that .dockerignore keeps", () => {
    const copies = instructions(dockerfile).filter((line) => /^COPY\s/i.test(line) && !/--from=/.test(line));
    expect(copies.length).toBeGreaterThan(3);
    for (const line of copies) {
      const args = line.split(/\s+/).slice(1).filter((arg) => !arg.startsWith("--"));
      for (const source of args.slice(0, -1)) {
        expect(existsSync(join(REPO_ROOT, source)), `${source} exists`).toBe(true);
        expect(ignored(source), `${source} is not dockerignored`).toBeUndefined();
      }
    }
    expect(ignored("packages/core/src"), "sanity: a kept path").toBeUndefined();
    expect(ignored("node_modules")).toBe("**/node_modules");
    expect(ignored("packages/runtime/node_modules")).toBe("**/node_modules");
    expect(ignored(".git")).toBe(".git");
  });

  it("builds in stages and ends in a hardened Node 22 runtime", () => {
    expect([...all.keys()]).toEqual(["manifests", "build", "prod-deps", "runtime"]);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    const [name, lines] = runtime;
    expect(name).toBe("runtime");
    const text = lines.join("\n");
    expect(lines[0]).toBe("FROM ${NODE_IMAGE} AS runtime");
    expect(text).toContain("apt-get install -y --no-install-recommends tini");
    expect(text).toMatch(/useradd --system --uid 10001 --gid 10001/);
    expect(lines).toContain("USER 10001:10001");
    expect(lines).toContain('ENTRYPOINT ["tini", "--", "node", "/app/services/cli/dist/main.js"]');
    expect(lines.at(-1)).toBe('CMD ["--help"]');
    expect(text).toContain("SPREADOPS_ALL_DATA_DIR=/tmp/spreadops");
    for (const label of ["title", "description", "version", "revision", "created", "licenses", "source", "url", "documentation", "vendor"]) {
      expect(text, label).toContain(`org.opencontainers.image.${label}=`);
    }
    // Nothing from the build stage but compiled JS; no dev dependencies.
    expect(text).not.toMatch(/npm (ci|install)/);
    expect(text).toContain("COPY --from=prod-deps");
    expect(all.get("prod-deps")!.join("\n")).toContain("npm ci --omit=dev");
    const build = all.get("build")!.join("\n");
    expect(build).toContain("npm run build");
    for (const dropped of ["-name testing", "'*.test.js'", "'*.d.ts'", "packages/deploy"]) expect(build).toContain(dropped);
  });

  it("ships the console's web app (services/console/dist/web, source maps included) without the web project's declarations", () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    // `npm run build` bundles the web app after tsc; the build stage runs exactly that.
    expect(root.scripts?.["build"]).toContain("node services/console/build-web.js");
    const build = all.get("build")!;
    const text = build.join("\n");
    const buildRun = build.find((line) => line.startsWith("RUN ") && line.includes("npm run build"));
    expect(buildRun).toBeDefined();
    // Every dist/ is copied (the web bundle lives in services/console/dist/web) and checked present.
    expect(buildRun).toContain('cp -R "$dir/dist" "/out/$dir/dist"');
    expect(buildRun).toMatch(/test -f services\/console\/dist\/web\/index\.html -a -f services\/console\/dist\/web\/app\.js/);
    expect(buildRun).toContain("rm -rf /out/services/console/dist/web-types");
    // The deletions spare the bundle and its maps: only tests, declarations and build info go.
    const patterns = [...buildRun!.matchAll(/-name '([^']+)'/g)].map((match) => match[1]);
    expect(patterns.length).toBeGreaterThan(3);
    for (const pattern of patterns) expect(["*.test.js", "*.test.js.map", "*.test-cluster.js", "*.test-cluster.js.map", "*.d.ts", "*.d.ts.map", "*.tsbuildinfo"]).toContain(pattern);
    // esbuild's binary is an optional platform dependency: no install scripts needed.
    expect(text).toContain("npm ci --ignore-scripts");
    // The web sources are in the build context.
    expect(ignored("services/console/web/src")).toBeUndefined();
    expect(ignored("services/console/build-web.js")).toBeUndefined();
    expect(dockerfile.split("\n").filter((line) => line.startsWith("#")).join("\n")).toContain("console");
    expect(runtime[1]).toContain("EXPOSE 8080 8085");
  });

  it("leaves the application read-only for the app user unless Tilt asks (APP_OWNER)", () => {
    const text = runtime[1].join("\n");
    expect(text).toContain("ARG APP_OWNER=0");
    for (const line of runtime[1].filter((l) => l.startsWith("COPY"))) expect(line).toContain("--chown=${APP_OWNER}:${APP_OWNER}");
    const tiltfile = readFileSync(join(REPO_ROOT, "Tiltfile"), "utf8");
    expect(tiltfile).toContain("--build-arg APP_OWNER=10001");
    expect(tiltfile).toContain("containerSecurityContext.readOnlyRootFilesystem=false");
  });
});

describe("kind-config.yaml and Tiltfile", () => {
  it("wire the local registry through containerd's certs.d and map the console/metrics ports", () => {
    const kind = readFileSync(join(REPO_ROOT, "kind-config.yaml"), "utf8");
    expect(kind).toContain('config_path = "/etc/containerd/certs.d"');
    expect(kind).toContain('[host."http://kind-registry:5000"]');
    for (const port of ["30090", "30300", "30800"]) expect(kind).toContain(`containerPort: ${port}`);
    // The console's node port in the kind values is the one kind maps to the host.
    const values = parse(readFileSync(join(CHART_DIR, "ci", "kind-values.yaml"), "utf8")) as { console?: { service?: unknown } };
    expect(values.console?.service).toEqual({ type: "NodePort", nodePort: 30800 });
    expect(kind).toMatch(/- containerPort: 30800\n\s+hostPort: 8000\n/);
  });

  it("deploy the chart with helm() and the kind values, and the example Strategy as its own resource", () => {
    const tiltfile = readFileSync(join(REPO_ROOT, "Tiltfile"), "utf8");
    expect(tiltfile).toMatch(/helm\(\s*'charts\/spreadops'/);
    expect(tiltfile).toContain("charts/spreadops/ci/kind-values.yaml");
    expect(tiltfile).toContain("new_name='example-strategy'");
    for (const component of ["sim", "gateway", "scanner", "strategy", "execution", "controller", "console"]) {
      expect(tiltfile).toContain(`k8s_resource('spreadops-${component}', new_name='${component}'`);
    }
    // The console: port-forwarded on its own port, its web app rebuilt by esbuild's watch, a token
    // that survives Tiltfile reloads (the chart's `lookup` cannot under helm()).
    expect(tiltfile).toMatch(/k8s_resource\('spreadops-console', new_name='console', port_forwards=\['8085:8085'\]/);
    expect(tiltfile).toContain("node services/console/build-web.js --watch");
    expect(tiltfile).toContain("'console.existingSecret=' + RELEASE + '-console-token'");
    expect(existsSync(join(REPO_ROOT, "k8s", "examples", "strategy-bull-put.yaml"))).toBe(true);
  });
});
