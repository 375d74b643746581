/**
 * Connect clients of the console's own origin. The console server answers ConsoleService itself
 * and forwards an allowlist of read-only Gateway, Strategy and Execution calls to the services;
 * everything that changes state goes through ConsoleService, which checks the token.
 */
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { ConsoleService, ExecutionService, GatewayService, StrategyService } from "@spreadops/api";
import type { SessionStore } from "./session";

export interface ConsoleClients {
  readonly console: Client<typeof ConsoleService>;
  readonly gateway: Client<typeof GatewayService>;
  readonly strategy: Client<typeof StrategyService>;
  readonly execution: Client<typeof ExecutionService>;
}

/** Header the console server records as "who" in its audit log. */
export const ACTOR_HEADER = "x-spreadops-actor";

/** Adds the session's token and actor to every ConsoleService call (the server ignores them on reads). */
export function sessionInterceptor(session: SessionStore): Interceptor {
  return (next) => (request) => {
    if (request.service.typeName === ConsoleService.typeName) {
      const { token, actor } = session.current;
      if (token !== undefined) request.header.set("authorization", `Bearer ${token}`);
      if (actor !== "") request.header.set(ACTOR_HEADER, actor);
    }
    return next(request);
  };
}

export function createTransport(baseUrl: string, session: SessionStore): Transport {
  return createConnectTransport({ baseUrl, interceptors: [sessionInterceptor(session)] });
}

export function createClients(transport: Transport): ConsoleClients {
  return {
    console: createClient(ConsoleService, transport),
    gateway: createClient(GatewayService, transport),
    strategy: createClient(StrategyService, transport),
    execution: createClient(ExecutionService, transport),
  };
}
