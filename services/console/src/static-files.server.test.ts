// The web app as the console's fallback handler, over the real server.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultWebRoot } from "./static-files.js";
import { startConsole } from "./testing/index.js";
import type { ConsoleUnderTest } from "./testing/index.js";

const INDEX = "<!doctype html><html><head><script type=\"module\" src=\"/app.js\"></script></head><body><div id=\"root\"></div></body></html>";

/** A GET with the path sent exactly as given (fetch would normalise "/../"). */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }); });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the web app", () => {
  let parent: string;
  let root: string;
  let app: ConsoleUnderTest;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), "console-static-"));
    root = join(parent, "web");
    await mkdir(join(root, "assets"), { recursive: true });
    await writeFile(join(root, "index.html"), INDEX);
    await writeFile(join(root, "app.js"), "console.log('hi');\n");
    await writeFile(join(root, "app.css"), "body{margin:0}\n");
    await writeFile(join(root, "app.js.map"), "{\"version\":3}");
    await writeFile(join(root, ".env"), "SECRET=1");
    await writeFile(join(parent, "secret.txt"), "outside the root");
    app = await startConsole({ parts: { webRoot: root } });
  });

  afterAll(async () => {
    await app.stop();
    await rm(parent, { recursive: true, force: true });
  });

  it("serves index.html for / and for client-side routes, with the security headers", async () => {
    for (const path of ["/", "/trades", "/trades/spy-bull-put-1a2b", "/strategies/my.strategy"]) {
      const response = await fetch(`${app.url}${path}`, { headers: { accept: "text/html,application/xhtml+xml" } });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(await response.text()).toBe(INDEX);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      const csp = response.headers.get("content-security-policy") ?? "";
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("serves the bundle's files with their types, and answers a missing asset with 404", async () => {
    const js = await fetch(`${app.url}/app.js`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await js.text()).toBe("console.log('hi');\n");
    expect((await fetch(`${app.url}/app.css`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`${app.url}/app.js.map`)).headers.get("content-type")).toBe("application/json; charset=utf-8");
    const missing = await fetch(`${app.url}/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-security-policy")).toContain("default-src 'self'");
    // A HEAD has the headers and no body; an ETag revalidates to 304.
    const head = await fetch(`${app.url}/app.js`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("19");
    const etag = head.headers.get("etag") ?? "";
    expect((await fetch(`${app.url}/app.js`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await fetch(`${app.url}/app.js`, { method: "POST", body: "x" })).status).toBe(405);
  });

  it("never serves anything outside its folder, nor dot-files", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/..%2fsecret.txt", "/.env", "/%00index.html", "/..\\secret.txt"]) {
      const response = await rawGet(app.url, path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body).not.toContain("outside the root");
      expect(response.body).not.toContain("SECRET");
    }
  });

  it("leaves the RPCs and the runtime's endpoints alone", async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toContain("spreadops_console_streams");
  });
});

describe("a console whose web app is not built", () => {
  it("answers 503 with the command to run, and still serves its API", async () => {
    const parent = await mkdtemp(join(tmpdir(), "console-unbuilt-"));
    const app = await startConsole({ parts: { webRoot: join(parent, "missing") } });
    try {
      for (const path of ["/", "/trades", "/app.js"]) {
        const response = await fetch(`${app.url}${path}`);
        expect({ path, status: response.status }).toEqual({ path, status: 503 });
        expect(await response.text()).toBe("the console's web app is not built: run npm run build\n");
        expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      }
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    } finally {
      await app.stop();
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe("defaultWebRoot", () => {
  it("is the package's dist/web, from src/ as from dist/", () => {
    const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
    expect(defaultWebRoot()).toBe(join(packageDir, "dist", "web") + "/");
    // The compiled module sits in dist/ and resolves the same folder.
    const fromDist = fileURLToPath(new URL("../dist/web/", new URL("../dist/static-files.js", import.meta.url)));
    expect(fromDist).toBe(defaultWebRoot());
    expect(existsSync(join(packageDir, "build-web.js"))).toBe(true);
  });
});
