import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";

/** A request on either protocol: HTTP/1.1 or HTTP/2 (compatibility API). */
export type HttpRequest = IncomingMessage | Http2ServerRequest;

/** The part of a response, on either protocol, that plain endpoints use. */
export interface HttpResponse {
  statusCode: number;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  end(data?: string | Uint8Array): unknown;
  once(event: "close", listener: () => void): unknown;
}

/** A plain HTTP endpoint such as `/metrics`, served next to the RPCs. */
export type HttpHandler = (req: HttpRequest, res: HttpResponse) => void;
