import type { DecodedRequest } from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { Session } from "../session.js";

/** The decoded request of one type. */
export type RequestOf<T extends DecodedRequest["type"]> = Extract<DecodedRequest, { type: T }>;

/** Answers one request type. Handlers are synchronous; a throw is caught by the dispatcher. */
export type Handler<T extends DecodedRequest["type"]> = (ctx: HandlerContext, session: Session, request: RequestOf<T>) => void;

/** Handlers by request type. */
export type HandlerTable = { readonly [T in DecodedRequest["type"]]?: Handler<T> };
