import type { DescService } from "@bufbuild/protobuf";
import { connectService, type ServiceConnection } from "@spreadops/runtime";

/** A Connect client and the way to release its HTTP/2 session. */
export type Connection<S extends DescService> = ServiceConnection<S>;

/**
 * A client of `service` at `baseUrl` through the runtime's one service client, so an
 * evaluation's trace continues into the gateway, scanner and execution service.
 */
export function connect<S extends DescService>(service: S, baseUrl: string): Connection<S> {
  return connectService(service, { baseUrl });
}
