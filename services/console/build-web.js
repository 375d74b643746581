// Bundles the console's web app (web/src/main.tsx) into dist/web with esbuild and copies the
// static files next to it. Part of `npm run build`; `--watch` rebuilds on change.
import console from "node:console";
import { cp, mkdir } from "node:fs/promises";
import process from "node:process";
import { URL, fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const outdir = `${here}dist/web`;
const watch = process.argv.includes("--watch");

await mkdir(outdir, { recursive: true });
await cp(`${here}web/static`, outdir, { recursive: true });

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: { app: `${here}web/src/main.tsx` },
  outdir,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome120", "firefox120", "safari17"],
  // Workspace packages resolve to their TypeScript sources, as in the tests.
  conditions: ["source"],
  jsx: "automatic",
  minify: !watch,
  sourcemap: true,
  legalComments: "linked",
  define: { "process.env.NODE_ENV": watch ? '"development"' : '"production"' },
  logLevel: "warning",
  metafile: true,
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log(`watching web/src → ${outdir}`);
} else {
  const result = await esbuild.build(options);
  const bytes = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".js") || file.endsWith(".css")).reduce((sum, [, out]) => sum + out.bytes, 0);
  console.log(`console web app: ${(bytes / 1024).toFixed(0)} KiB in ${outdir}`);
}
