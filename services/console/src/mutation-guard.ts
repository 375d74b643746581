/**
 * Who may change anything through the console, and from where.
 *
 * Why a token in a header plus origin checks is enough against cross-site request forgery: the
 * token travels in `Authorization: Bearer …`, a header no browser attaches by itself (unlike a
 * cookie), so a page on another site cannot make the trader's browser send it; and a cross-site
 * page cannot read the token either (it lives in the console origin's sessionStorage). On top of
 * that, defence in depth: a mutating call must come over the Connect protocol with a JSON or
 * binary protobuf body — types a plain HTML form cannot send and that make a cross-origin fetch
 * need a CORS preflight, which the console never grants — and a browser's `Origin` must be the
 * console's own (or one of --allowed-origins) and `Sec-Fetch-Site` must not say cross-site.
 * A DNS-rebinding page passes the origin check (it is same-origin by construction) but still
 * has no token. Clients without a browser (curl, scripts) send no Origin and need only the token.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { HandlerContext } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { kHttpRequest } from "@spreadops/runtime";

/** Header carrying the name the user typed at login, recorded as "who" in the audit log. */
export const ACTOR_HEADER = "x-spreadops-actor";

/** Longest actor name kept. */
const MAX_ACTOR_LENGTH = 64;

/** Body types of the Connect protocol's unary calls: JSON and binary protobuf. */
const CONNECT_UNARY_TYPES = new Set(["application/json", "application/proto"]);

/** The parts of a call's context the guard looks at. */
export type CallContext = Pick<HandlerContext, "requestHeader" | "url" | "values" | "protocolName">;

/** Who is calling, as far as can be told before any check. */
export interface Caller {
  /** The name from x-spreadops-actor, cleaned; "anonymous" when none. */
  readonly actor: string;
  /** The peer's address (the ingress when there is one); "unknown" when not known. */
  readonly remote: string;
}

/**
 * The console's token: `token` itself, or the trimmed content of `tokenFile`; undefined (the
 * console is read-only) when neither is given.
 * @throws Error when both are given, or the file cannot be read or holds fewer than 16 characters.
 */
export function loadConsoleToken(
  config: { readonly token?: string | undefined; readonly tokenFile?: string | undefined },
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): string | undefined {
  if (config.token !== undefined && config.tokenFile !== undefined) {
    throw new Error("give the console token once: --token (SPREADOPS_CONSOLE_TOKEN) or --token-file (SPREADOPS_CONSOLE_TOKEN_FILE), not both");
  }
  if (config.token !== undefined) return config.token;
  if (config.tokenFile === undefined) return undefined;
  let content: string;
  try {
    content = readFile(config.tokenFile);
  } catch (error) {
    throw new Error(`cannot read the console token from ${config.tokenFile}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const token = content.trim();
  if (token.length < 16) throw new Error(`the console token in ${config.tokenFile} is ${token.length === 0 ? "empty" : "shorter than 16 characters"}`);
  return token;
}

/**
 * The extra origins of --allowed-origins, normalised (`https://Console.Example:443` →
 * `https://console.example`).
 * @throws Error naming an entry that is not an http(s) origin.
 */
export function parseAllowedOrigins(value: string | undefined): string[] {
  if (value === undefined) return [];
  const origins: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`--allowed-origins: ${JSON.stringify(entry)} is not an origin (scheme://host[:port])`);
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
      throw new Error(`--allowed-origins: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], no path)`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/** First 8 hex digits of the token's SHA-256: tells tokens apart in the audit log without revealing one. */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex").slice(0, 8);
}

/** The actor header as recorded: trimmed, control and format characters removed, at most 64 characters. */
export function cleanActor(raw: string | null | undefined): string {
  const cleaned = (raw ?? "").replace(/[\p{Cc}\p{Cf}]/gu, "").trim().slice(0, MAX_ACTOR_LENGTH).trim();
  return cleaned === "" ? "anonymous" : cleaned;
}

function denied(message: string): ConnectError {
  return new ConnectError(message, Code.PermissionDenied);
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Options for {@link MutationGuard}. */
export interface MutationGuardOptions {
  /** The token mutations must carry; undefined = the console is read-only. */
  readonly token: string | undefined;
  /** Origins besides the console's own allowed to send mutating calls (normalised). */
  readonly allowedOrigins?: readonly string[];
}

/** The checks every mutating ConsoleService call passes before it touches anything. */
export class MutationGuard {
  readonly #tokenDigest: Buffer | undefined;
  readonly #tokenId: string | undefined;
  readonly #allowedOrigins: ReadonlySet<string>;

  constructor(options: MutationGuardOptions) {
    this.#tokenDigest = options.token === undefined ? undefined : sha256(options.token);
    this.#tokenId = options.token === undefined ? undefined : tokenFingerprint(options.token);
    this.#allowedOrigins = new Set(options.allowedOrigins ?? []);
  }

  /** False when the console was started without a token. */
  get mutationsEnabled(): boolean {
    return this.#tokenDigest !== undefined;
  }

  /** Who is calling (for the audit log), whether or not the call will be allowed. */
  caller(context: CallContext): Caller {
    return {
      actor: cleanActor(context.requestHeader.get(ACTOR_HEADER)),
      remote: context.values.get(kHttpRequest)?.remoteAddress ?? "unknown",
    };
  }

  /**
   * Lets a mutating call through, or throws: PermissionDenied for a read-only console, another
   * protocol or body type, or a cross-site origin; Unauthenticated for a missing or wrong token.
   * @returns the token's fingerprint, for the audit log.
   */
  authorize(context: CallContext): string {
    if (this.#tokenDigest === undefined || this.#tokenId === undefined) {
      throw denied("the console is read-only: start it with --token or --token-file");
    }
    this.#checkRequestShape(context);
    this.#checkOrigin(context);
    const given = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(context.requestHeader.get("authorization") ?? "")?.[1];
    if (given === undefined) throw new ConnectError("this call changes state: sign in with the console token (Authorization: Bearer <token>)", Code.Unauthenticated);
    // Digests have one length whatever was sent, so the comparison takes the same time for any token.
    if (!timingSafeEqual(sha256(given), this.#tokenDigest)) throw new ConnectError("the console token is not valid: sign in again with the current token", Code.Unauthenticated);
    return this.#tokenId;
  }

  #checkRequestShape(context: CallContext): void {
    const type = (context.requestHeader.get("content-type") ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
    if (context.protocolName !== "connect" || !CONNECT_UNARY_TYPES.has(type)) {
      throw denied(`changes are accepted only as Connect calls with an application/json or application/proto body, not ${context.protocolName} ${type === "" ? "without a content type" : type}`);
    }
  }

  #checkOrigin(context: CallContext): void {
    const fetchSite = context.requestHeader.get("sec-fetch-site");
    if (fetchSite?.trim().toLowerCase() === "cross-site") throw denied("cross-site request refused: changes can only be made from the console's own pages");
    const origin = context.requestHeader.get("origin");
    if (origin === null) return;
    const host = new URL(context.url).host;
    // The console's own origin is the host the browser asked for; the scheme is that of the
    // browser's page, which is https behind a TLS-terminating ingress and http otherwise.
    const own = new Set([`http://${host}`, `https://${host}`]);
    let normalized: string;
    try {
      normalized = new URL(origin).origin;
    } catch {
      throw denied(`request from origin ${JSON.stringify(origin)} refused: not the console's own origin`);
    }
    if (origin === "null" || normalized === "null" || (!own.has(normalized) && !this.#allowedOrigins.has(normalized))) {
      throw denied(`request from origin ${origin} refused: only the console's own origin (${[...own][0] ?? host}) and --allowed-origins may make changes`);
    }
  }
}
