import type { IncomingMessage, ServerResponse } from "node:http";
import { StoreError } from "../../store/types.js";
import { isRecord } from "../objects.js";

/** The API server's own request-body limit. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
  res.end(text);
}

/** The request body as a JSON object; BadRequest for anything else. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new StoreError("BadRequest", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch (error) {
    throw new StoreError("BadRequest", `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(value)) throw new StoreError("BadRequest", "the request body must be a JSON object");
  return value;
}

/** The media type of the request without parameters ("application/json; charset=utf-8" → "application/json"). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
}
