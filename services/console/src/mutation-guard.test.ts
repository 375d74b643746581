import { Code, ConnectError, createContextValues } from "@connectrpc/connect";
import { kHttpRequest } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import type { CallContext } from "./mutation-guard.js";
import { MutationGuard, cleanActor, loadConsoleToken, parseAllowedOrigins, tokenFingerprint } from "./mutation-guard.js";

const TOKEN = "0123456789abcdef-token";

function call(headers: Record<string, string>, options: { url?: string; protocol?: string; remote?: string } = {}): CallContext {
  return {
    requestHeader: new Headers({ "content-type": "application/json", ...headers }),
    url: options.url ?? "http://console.local:8085/spreadops.v1.ConsoleService/ApproveTrade",
    protocolName: options.protocol ?? "connect",
    values: createContextValues().set(kHttpRequest, { httpVersion: "1.1", remoteAddress: options.remote ?? "10.1.2.3" }),
  };
}

function refusal(guard: MutationGuard, context: CallContext): ConnectError | undefined {
  try {
    guard.authorize(context);
    return undefined;
  } catch (error) {
    return ConnectError.from(error);
  }
}

describe("MutationGuard", () => {
  const guard = new MutationGuard({ token: TOKEN, allowedOrigins: parseAllowedOrigins("https://Console.Example.com:443") });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it("lets a call with the token through and names the token by its fingerprint only", () => {
    expect(guard.authorize(call(bearer))).toBe(tokenFingerprint(TOKEN));
    expect(tokenFingerprint(TOKEN)).toMatch(/^[0-9a-f]{8}$/);
    expect(guard.authorize(call({ authorization: `bearer   ${TOKEN} ` }))).toBe(tokenFingerprint(TOKEN));
  });

  it("refuses a missing, malformed or wrong token with Unauthenticated", () => {
    for (const headers of [{} as Record<string, string>, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: `Bearer ${TOKEN} extra` }]) {
      expect(refusal(guard, call(headers))?.code).toBe(Code.Unauthenticated);
    }
  });

  it("refuses foreign origins and cross-site fetches with PermissionDenied, whatever the token", () => {
    expect(refusal(guard, call({ ...bearer, origin: "https://evil.example" }))?.code).toBe(Code.PermissionDenied);
    expect(refusal(guard, call({ ...bearer, origin: "http://console.local:8086" }))?.code).toBe(Code.PermissionDenied);
    expect(refusal(guard, call({ ...bearer, origin: "null" }))?.code).toBe(Code.PermissionDenied);
    expect(refusal(guard, call({ ...bearer, origin: "not a url" }))?.code).toBe(Code.PermissionDenied);
    expect(refusal(guard, call({ ...bearer, "sec-fetch-site": "cross-site" }))?.code).toBe(Code.PermissionDenied);
    // Own origin (either scheme: TLS may end at an ingress), an allowed one, same-site fetches.
    expect(refusal(guard, call({ ...bearer, origin: "http://console.local:8085", "sec-fetch-site": "same-origin" }))).toBeUndefined();
    expect(refusal(guard, call({ ...bearer, origin: "https://console.local:8085" }))).toBeUndefined();
    expect(refusal(guard, call({ ...bearer, origin: "https://console.example.com" }))).toBeUndefined();
    expect(refusal(guard, call({ ...bearer, "sec-fetch-site": "same-site" }))).toBeUndefined();
  });

  it("accepts changes only as Connect calls with a JSON or binary body", () => {
    expect(refusal(guard, call({ ...bearer, "content-type": "application/proto" }))).toBeUndefined();
    expect(refusal(guard, call({ ...bearer, "content-type": "application/json; charset=utf-8" }))).toBeUndefined();
    expect(refusal(guard, call({ ...bearer, "content-type": "text/plain" }))?.code).toBe(Code.PermissionDenied);
    expect(refusal(guard, call({ ...bearer, "content-type": "application/grpc-web+proto" }, { protocol: "grpc-web" }))?.code).toBe(Code.PermissionDenied);
  });

  it("makes a console without a token read-only", () => {
    const readOnly = new MutationGuard({ token: undefined });
    expect(readOnly.mutationsEnabled).toBe(false);
    const error = refusal(readOnly, call(bearer));
    expect(error?.code).toBe(Code.PermissionDenied);
    expect(error?.rawMessage).toBe("the console is read-only: start it with --token or --token-file");
  });

  it("tells who is calling: the cleaned actor and the peer address", () => {
    expect(guard.caller(call({ "x-spreadops-actor": "  alice  " }))).toEqual({ actor: "alice", remote: "10.1.2.3" });
    expect(guard.caller(call({}))).toEqual({ actor: "anonymous", remote: "10.1.2.3" });
  });
});

describe("cleanActor", () => {
  it("trims, strips control and format characters, and caps the length at 64", () => {
    expect(cleanActor("  bob\u0007 \u202Eevil\u200B ")).toBe("bob evil");
    expect(cleanActor("x".repeat(100))).toHaveLength(64);
    expect(cleanActor("\u0001\u0002")).toBe("anonymous");
    expect(cleanActor(null)).toBe("anonymous");
  });
});

describe("loadConsoleToken", () => {
  it("reads the token from --token or the trimmed content of --token-file", () => {
    expect(loadConsoleToken({})).toBeUndefined();
    expect(loadConsoleToken({ token: TOKEN })).toBe(TOKEN);
    expect(loadConsoleToken({ tokenFile: "/run/secrets/token" }, () => `\n  ${TOKEN}\n`)).toBe(TOKEN);
  });

  it("refuses both at once, an unreadable file and a short token", () => {
    expect(() => loadConsoleToken({ token: TOKEN, tokenFile: "/x" }, () => TOKEN)).toThrow(/not both/);
    expect(() => loadConsoleToken({ tokenFile: "/x" }, () => { throw new Error("ENOENT: no such file"); })).toThrow(/cannot read the console token from \/x: ENOENT/);
    expect(() => loadConsoleToken({ tokenFile: "/x" }, () => "  \n")).toThrow(/is empty/);
    expect(() => loadConsoleToken({ tokenFile: "/x" }, () => "short")).toThrow(/shorter than 16/);
  });
});

describe("parseAllowedOrigins", () => {
  it("normalises origins and refuses anything else", () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins(" https://A.example:443 , http://localhost:5173,")).toEqual(["https://a.example", "http://localhost:5173"]);
    expect(() => parseAllowedOrigins("console.example.com")).toThrow(/not an origin/);
    expect(() => parseAllowedOrigins("https://a.example/path")).toThrow(/no path/);
    expect(() => parseAllowedOrigins("ftp://a.example")).toThrow(/not an origin/);
  });
});
