/** Time, ids and accounts: the requests every client sends first. */
import {
  currentTimeFields,
  errorFields,
  managedAccountsFields,
  nextValidIdFields,
} from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import { FARM_NOTICES } from "../farms.js";
import type { Session } from "../session.js";
import type { HandlerTable } from "./types.js";

/** What TWS sends right after accepting startApi: accounts, the next order id, farm states. */
export function welcome(ctx: HandlerContext, session: Session): void {
  session.sendAlways(managedAccountsFields([ctx.settings.account]));
  session.sendAlways(nextValidIdFields(ctx.broker.nextValidOrderId()));
  for (const [farm, notice] of FARM_NOTICES) {
    const ok = ctx.link.farms.get(farm) ?? true;
    session.sendAlways(errorFields({ id: -1, ...(ok ? notice.ok : notice.broken) }));
  }
}

export const sessionHandlers: HandlerTable = {
  reqCurrentTime: (ctx, session) => {
    session.send(currentTimeFields(ctx.market.now() / 1000));
  },
  reqIds: (ctx, session) => {
    session.send(nextValidIdFields(ctx.broker.nextValidOrderId()));
  },
  reqManagedAccts: (ctx, session) => {
    session.send(managedAccountsFields([ctx.settings.account]));
  },
  startApi: (_ctx, session) => {
    // A second startApi on a started session changes nothing (TWS ignores it too).
    session.error(-1, 320, "Error reading request: startApi was already received");
  },
};
