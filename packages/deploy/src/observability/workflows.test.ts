/**
 * The GitHub Actions workflows: valid YAML, least privilege (`permissions: {}` at the top, a
 * minimal block per job), every action pinned by a full commit SHA with its version in a
 * comment, shell steps that parse, and the jobs issue 8 asks for.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { REPO_ROOT } from "../helm.js";

const WORKFLOWS = join(REPO_ROOT, ".github", "workflows");

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}

interface Job {
  readonly name?: string;
  readonly "runs-on"?: unknown;
  readonly "timeout-minutes"?: unknown;
  readonly permissions?: unknown;
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly steps?: readonly Step[];
}

interface Workflow {
  readonly name?: string;
  readonly on?: unknown;
  readonly permissions?: unknown;
  readonly jobs?: Readonly<Record<string, Job>>;
}

interface WorkflowFile {
  readonly file: string;
  readonly text: string;
  readonly workflow: Workflow;
}

let files: WorkflowFile[];

beforeAll(async () => {
  const names = (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f)).sort();
  files = await Promise.all(names.map(async (file) => {
    const text = await readFile(join(WORKFLOWS, file), "utf8");
    const document = parseDocument(text, { uniqueKeys: true });
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
    return { file, text, workflow: document.toJS() as Workflow };
  }));
});

function workflow(file: string): Workflow {
  const found = files.find((f) => f.file === file);
  if (found === undefined) throw new Error(`.github/workflows/${file} is missing`);
  return found.workflow;
}

function steps(job: Job | undefined): readonly Step[] {
  return job?.steps ?? [];
}

function allRun(job: Job | undefined): string {
  return steps(job).map((s) => s.run ?? "").join("\n");
}

describe("every workflow", () => {
  it("parses, has a name, triggers and jobs", () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(["ci.yml", "chart.yml", "proto.yml"]));
    for (const { file, workflow: w } of files) {
      expect(typeof w.name, file).toBe("string");
      expect(w.on, file).toBeDefined();
      expect(Object.keys(w.jobs ?? {}).length, file).toBeGreaterThan(0);
    }
  });

  it("grants nothing by default and a minimal permissions block per job", () => {
    for (const { file, workflow: w } of files) {
      expect(w.permissions, `${file}: top-level permissions`).toEqual({});
      for (const [id, job] of Object.entries(w.jobs ?? {})) {
        expect(typeof job.permissions, `${file} ${id}: permissions`).toBe("object");
        for (const [scope, level] of Object.entries(job.permissions as Record<string, unknown>)) {
          expect(level, `${file} ${id}: ${scope} must be read-only`).toBe("read");
        }
        expect(job["runs-on"], `${file} ${id}`).toBeDefined();
        expect(typeof job["timeout-minutes"], `${file} ${id}: timeout-minutes`).toBe("number");
      }
    }
  });

  it("pins every action by a full commit SHA with its version in a comment, one SHA per action", () => {
    const pins = new Map<string, Set<string>>();
    for (const { file, text } of files) {
      for (const [i, line] of text.split("\n").entries()) {
        const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (uses === null) continue;
        const [, ref = "", rest = ""] = uses;
        const pinned = /^([\w.-]+\/[\w./-]+)@([0-9a-f]{40})$/.exec(ref);
        expect(pinned, `${file}:${String(i + 1)} ${ref} is not pinned by a commit SHA`).not.toBeNull();
        expect(rest, `${file}:${String(i + 1)} ${ref} has no "# vX.Y.Z" comment`).toMatch(/^\s+#\s*v\d+\.\d+\.\d+\s*$/);
        const [, action = "", sha = ""] = pinned ?? [];
        pins.set(action, (pins.get(action) ?? new Set()).add(sha));
      }
    }
    for (const [action, shas] of pins) expect(shas.size, `${action} is pinned to several SHAs`).toBe(1);
    expect([...pins.keys()].sort()).toEqual(expect.arrayContaining([
      "actions/checkout", "actions/setup-node", "azure/setup-helm", "docker/build-push-action", "docker/setup-buildx-action", "helm/kind-action",
    ]));
  });

  it("checks out without persisting the token", () => {
    for (const { file, workflow: w } of files) {
      for (const [id, job] of Object.entries(w.jobs ?? {})) {
        for (const step of steps(job).filter((s) => s.uses?.startsWith("actions/checkout@") === true)) {
          expect(step.with?.["persist-credentials"], `${file} ${id}`).toBe(false);
        }
      }
    }
  });

  it("has run steps that are valid bash", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spreadops-workflows-"));
    try {
      const scripts: { where: string; path: string }[] = [];
      for (const { file, workflow: w } of files) {
        for (const [id, job] of Object.entries(w.jobs ?? {})) {
          for (const [n, step] of steps(job).entries()) {
            if (step.run === undefined) continue;
            const path = join(dir, `${file}-${id}-${String(n)}.sh`);
            await writeFile(path, step.run);
            scripts.push({ where: `${file} ${id} step ${String(n + 1)} (${step.name ?? step.run.split("\n")[0] ?? ""})`, path });
          }
        }
      }
      expect(scripts.length).toBeGreaterThan(10);
      for (const s of scripts) {
        await expect(promisify(execFile)("bash", ["-n", s.path]), s.where).resolves.toBeDefined();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the jobs issue 8 asks for", () => {
  it("ci: lint, typecheck and tests (.ci/run) on Node 20 and 22", () => {
    const test = workflow("ci.yml").jobs?.["test"];
    expect(test?.strategy?.matrix?.["node"]).toEqual(["20", "22"]);
    expect(allRun(test)).toContain("bash .ci/run");
  });

  it("proto: buf lint always, buf breaking against main on pull requests only", () => {
    const w = workflow("proto.yml");
    const job = Object.values(w.jobs ?? {})[0];
    expect(allRun(job)).toContain("npx buf lint");
    const breaking = steps(job).find((s) => s.run?.includes("buf breaking") === true);
    expect(breaking?.run).toContain("npx buf breaking --against '.git#branch=main'");
    expect(breaking?.if).toBe("github.event_name == 'pull_request'");
    const checkout = steps(job).find((s) => s.uses?.startsWith("actions/checkout@") === true);
    expect(checkout?.with?.["fetch-depth"]).toBe(0);
  });

  it("chart: helm lint of every ci/*-values.yaml and the deploy tests", () => {
    const lint = workflow("chart.yml").jobs?.["lint"];
    expect(allRun(lint)).toContain("helm lint --strict");
    expect(allRun(lint)).toContain("charts/spreadops/ci/*-values.yaml");
    expect(allRun(lint)).toContain("npx vitest run --project deploy");
  });

  it("image: buildx and build-push-action without pushing", () => {
    const image = workflow("chart.yml").jobs?.["image"];
    expect(steps(image).some((s) => s.uses?.startsWith("docker/setup-buildx-action@") === true)).toBe(true);
    const build = steps(image).find((s) => s.uses?.startsWith("docker/build-push-action@") === true);
    expect(build?.with?.["push"]).toBe(false);
  });

  it("kind: cluster, image loaded, chart installed with the simulator, example applied, Trade Open, test:cluster, logs on failure", () => {
    const kind = workflow("chart.yml").jobs?.["kind"];
    const run = allRun(kind);
    expect(steps(kind).some((s) => s.uses?.startsWith("helm/kind-action@") === true)).toBe(true);
    expect(steps(kind).find((s) => s.uses?.startsWith("docker/build-push-action@") === true)?.with).toMatchObject({ push: false, load: true });
    expect(run).toContain("kind load docker-image spreadops:ci");
    expect(run).toMatch(/helm install "\$RELEASE" charts\/spreadops[^\n]*\n[^\n]*ci\/kind-values\.yaml/);
    expect(run).not.toContain("sim.enabled=false");
    expect(run).toContain("k8s/examples/strategy-bull-put.yaml");
    expect(run).toContain("grep -qx Open");
    // The console has one replica and no Lease: its rollout completes, unlike the gateway's.
    expect(run).toContain('kubectl -n "$NAMESPACE" rollout status "deploy/$RELEASE-console"');
    expect(run).toContain("npm run test:cluster");
    const dump = steps(kind).at(-1);
    expect(dump?.if).toBe("failure()");
    expect(dump?.run).toContain("logs");
    expect(dump?.run).toContain("describe");
    expect(dump?.run).toContain("events");
  });
});
