import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { HttpHandler, HttpRequest, HttpResponse, Logger } from "@spreadops/runtime";

/**
 * Where `npm run build` puts the web app (build-web.js: services/console/dist/web). This module
 * sits directly in src/ and compiles to dist/, so `../dist/web/` is the same folder from both.
 */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL("../dist/web/", import.meta.url));
}

/**
 * Headers on every page and file. The CSP allows only the console's own scripts, styles and
 * API (no inline scripts, no eval, no other hosts); inline style attributes are allowed because
 * React renders `style={…}` as attributes. No framing (clickjacking), no base-tag or form
 * tricks, no Referer with the console's URLs sent anywhere.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};

const NOT_BUILT = "the console's web app is not built: run npm run build\n";

interface CachedFile {
  readonly body: Buffer;
  readonly mtimeMs: number;
  readonly etag: string;
}

/** Options for {@link staticFiles}. */
export interface StaticFilesOptions {
  /** The folder holding index.html, app.js, app.css. */
  readonly root: string;
  readonly logger: Logger;
}

function send(res: HttpResponse, status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers })) res.setHeader(name, value);
  res.end(body);
}

/** The request path as a relative file path, or undefined when it could leave the root (or is malformed). */
function relativePath(url: string | undefined): string | undefined {
  const pathname = (url ?? "/").split(/[?#]/, 1)[0] ?? "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const segments = decoded.split("/").filter((s) => s !== "");
  // No dot-files, and no ".." at all (rather than resolving it): nothing legitimate uses either.
  if (segments.some((s) => s.startsWith("."))) return undefined;
  return segments.join("/");
}

/**
 * The console's web app as the server's fallback handler (every path that is not an RPC or a
 * health/metrics endpoint): files from `root` with their content types, `index.html` for `/`
 * and for client-side routes (paths without a file extension, or any page a browser asks HTML
 * for), 404 for a missing asset or a path that tries to leave the root, 503 with a hint when the
 * app has not been built. GET and HEAD only. Files are read into memory once and re-read when
 * they change on disk (build-web.js --watch); every response carries {@link SECURITY_HEADERS}
 * and `cache-control: no-cache` (the bundle's names carry no hash, so browsers revalidate, with
 * an ETag to keep that cheap).
 */
export function staticFiles(options: StaticFilesOptions): HttpHandler {
  const root = resolve(options.root);
  const cache = new Map<string, CachedFile>();

  async function load(path: string): Promise<CachedFile | undefined> {
    let info;
    try {
      info = await stat(path);
    } catch {
      cache.delete(path);
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const cached = cache.get(path);
    if (cached?.mtimeMs === info.mtimeMs && cached.body.length === info.size) return cached;
    const body = await readFile(path);
    const file = { body, mtimeMs: info.mtimeMs, etag: `W/"${body.length.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
    cache.set(path, file);
    return file;
  }

  async function serve(req: HttpRequest, res: HttpResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "only GET and HEAD are served here\n", { allow: "GET, HEAD" });
      return;
    }
    const relative = relativePath(req.url);
    if (relative === undefined) {
      send(res, 404, "not found\n");
      return;
    }
    const index = resolve(root, "index.html");
    const wantsPage = relative === "" || extname(relative) === "" || (req.headers.accept ?? "").includes("text/html");
    let path = relative === "" ? index : resolve(root, relative);
    // Belt and braces after the segment checks: whatever resolves outside the root is not served.
    if (path !== root && !path.startsWith(root + sep)) {
      send(res, 404, "not found\n");
      return;
    }
    let file = await load(path);
    if (file === undefined && wantsPage) {
      path = index;
      file = await load(index);
    }
    if (file === undefined) {
      if (await load(index) === undefined) send(res, 503, NOT_BUILT, { "retry-after": "10" });
      else send(res, 404, "not found\n");
      return;
    }
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      "content-type": CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
      "cache-control": "no-cache",
      etag: file.etag,
    };
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (req.headers["if-none-match"] === file.etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader("content-length", file.body.length);
    res.end(req.method === "HEAD" ? undefined : file.body);
  }

  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      options.logger.error({ err: error, path: req.url }, "serving a web app file failed");
      try {
        send(res, 500, "internal error\n");
      } catch {
        // The response was already under way; nothing more to do.
      }
    });
  };
}
