/**
 * Small JSON-over-HTTP helpers for the admin endpoints: bounded body reading, JSON replies and
 * per-method dispatch with the error mapping every endpoint shares.
 *
 * @packageDocumentation
 */

import type { Readable } from "node:stream";
import type { HttpHandler, HttpRequest, HttpResponse, Logger } from "@spreadops/runtime";
import { FaultRequestError } from "../faults/fault-request.js";

/** What an endpoint answers: a status and a JSON body. */
export interface JsonReply {
  readonly status: number;
  readonly body: unknown;
}

/** An endpoint's logic for one method; `body` is the parsed JSON (undefined when empty). */
export type JsonEndpoint = (body: unknown) => JsonReply;

/** Default bound on request bodies: fault requests are a few hundred bytes. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** Sends `body` as JSON with `status`. */
export function sendJson(res: HttpResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.end(`${JSON.stringify(body)}\n`);
}

/** Reads a request body up to `maxBytes`; `undefined` when it is larger. */
function readBody(req: HttpRequest, maxBytes: number): Promise<string | undefined> {
  const declared = Number(req.headers["content-length"] ?? "0");
  // Both request types are Readable; the union's overloaded `on` signatures do not combine.
  const stream: Readable = req;
  if (Number.isFinite(declared) && declared > maxBytes) {
    stream.resume(); // discard, so the connection stays usable
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > maxBytes) {
        stream.off("data", onData);
        stream.off("end", onEnd);
        stream.resume();
        resolve(undefined);
        return;
      }
      chunks.push(buf);
    };
    const onEnd = (): void => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new FaultRequestError("body", `valid JSON (${detail})`, text);
  }
}

/** Options for {@link jsonRoute}. */
export interface RouteOptions {
  readonly logger: Logger;
  readonly maxBodyBytes: number;
}

/**
 * One path's handler: dispatches on the method (405 with `allow` otherwise), reads and parses the
 * body for POST, and maps errors — {@link FaultRequestError} to 400 with `field`, `expected` and
 * `given`, anything else to 500 (logged).
 */
export function jsonRoute(path: string, methods: Readonly<Partial<Record<"GET" | "POST", JsonEndpoint>>>, opts: RouteOptions): HttpHandler {
  const allow = Object.keys(methods).join(", ");
  return (req, res) => {
    const method = req.method ?? "GET";
    const endpoint = method === "GET" || method === "POST" ? methods[method] : undefined;
    if (endpoint === undefined) {
      res.setHeader("allow", allow);
      sendJson(res, 405, { error: `method ${method} not allowed on ${path}; use ${allow}` });
      return;
    }
    const answer = (body: unknown): void => {
      try {
        const reply = endpoint(body);
        sendJson(res, reply.status, reply.body);
      } catch (error: unknown) {
        fail(error);
      }
    };
    const fail = (error: unknown): void => {
      if (error instanceof FaultRequestError) {
        sendJson(res, 400, { error: error.message, field: error.field, expected: error.expected, given: error.given });
        return;
      }
      opts.logger.error({ err: error, path, method }, "admin request failed");
      sendJson(res, 500, { error: `${method} ${path} failed: ${error instanceof Error ? error.message : String(error)}` });
    };
    if (method === "GET") {
      answer(undefined);
      return;
    }
    readBody(req, opts.maxBodyBytes).then(
      (text) => {
        if (text === undefined) {
          sendJson(res, 413, { error: `request body larger than ${opts.maxBodyBytes} bytes` });
          return;
        }
        let body: unknown;
        try {
          body = parseJson(text);
        } catch (error: unknown) {
          fail(error);
          return;
        }
        answer(body);
      },
      (error: unknown) => {
        fail(error);
      },
    );
  };
}
