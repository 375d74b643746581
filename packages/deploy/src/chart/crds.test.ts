// charts/spreadops/crds/ holds exact copies of the generated k8s/crds/ (copy, never edit).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHART_DIR, REPO_ROOT } from "../helm.js";

const SOURCE = join(REPO_ROOT, "k8s", "crds");
const CHART_CRDS = join(CHART_DIR, "crds");

describe("chart CRDs", () => {
  it("are the same files as k8s/crds", () => {
    const source = readdirSync(SOURCE).filter((name) => name.endsWith(".yaml")).sort();
    expect(source.length).toBeGreaterThan(0);
    expect(readdirSync(CHART_CRDS).sort()).toEqual(source);
  });

  it.each(readdirSync(SOURCE).filter((name) => name.endsWith(".yaml")))("%s is byte-identical (cp k8s/crds/*.yaml charts/spreadops/crds/)", (name) => {
    expect(readFileSync(join(CHART_CRDS, name), "utf8") === readFileSync(join(SOURCE, name), "utf8"), `charts/spreadops/crds/${name} differs from k8s/crds/${name}`).toBe(true);
  });
});
