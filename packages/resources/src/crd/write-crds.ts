/**
 * Writes k8s/crds/*.yaml (and the field reference in docs/operator.md) from the schemas (`npm run generate:crds` = `node
 * packages/resources/dist/crd/write-crds.js`). With `--check` it writes nothing and exits 1 when a
 * committed file differs, for CI.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { crdFiles } from "./crd-manifests.js";
import { withFieldReference } from "./field-reference.js";

/** k8s/crds of the repository: four levels up from src/crd and from dist/crd alike. */
export const DEFAULT_CRD_DIR = fileURLToPath(new URL("../../../../k8s/crds/", import.meta.url));

/** docs/operator.md, whose field reference is generated from the same schemas. */
export const OPERATOR_DOC = fileURLToPath(new URL("../../../../docs/operator.md", import.meta.url));

/** docs/operator.md as it should be: its field-reference block re-rendered. */
export function operatorDocWithReference(path: string = OPERATOR_DOC): { current: string; wanted: string } {
  const current = readFileSync(path, "utf8");
  return { current, wanted: withFieldReference(current) };
}

/** Writes every CRD file into `dir`; returns the paths written. */
export function writeCrdFiles(dir: string = DEFAULT_CRD_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  return crdFiles().map(({ fileName, content }) => {
    const path = join(dir, fileName);
    writeFileSync(path, content);
    return path;
  });
}

/** The files in `dir` that are missing or differ from what the schemas render. */
export function staleCrdFiles(dir: string = DEFAULT_CRD_DIR): string[] {
  return crdFiles()
    .filter(({ fileName, content }) => {
      try {
        return readFileSync(join(dir, fileName), "utf8") !== content;
      } catch {
        return true;
      }
    })
    .map(({ fileName }) => join(dir, fileName));
}

function main(args: readonly string[]): number {
  if (args.includes("--check")) {
    const doc = operatorDocWithReference();
    const stale = [...staleCrdFiles(), ...(doc.current === doc.wanted ? [] : [OPERATOR_DOC])];
    for (const path of stale) process.stderr.write(`out of date: ${path}\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const path of writeCrdFiles()) process.stdout.write(`wrote ${path}\n`);
  const doc = operatorDocWithReference();
  if (doc.current !== doc.wanted) {
    writeFileSync(OPERATOR_DOC, doc.wanted);
    process.stdout.write(`wrote the field reference in ${OPERATOR_DOC}\n`);
  }
  return 0;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  process.exitCode = main(process.argv.slice(2));
}
