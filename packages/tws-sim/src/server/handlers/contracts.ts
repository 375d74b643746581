/** Contract details, sec-def option parameters and market rules. */
import { priceIncrements, toIbDate } from "../../market/index.js";
import type { StockContract } from "../../market/index.js";
import {
  contractDataEndFields,
  contractDataFields,
  marketRuleFields,
  securityDefinitionOptionParameterEndFields,
  securityDefinitionOptionParameterFields,
} from "../../protocol/index.js";
import { contractDetails } from "../wire.js";
import { matchContracts, NO_SECURITY_DEFINITION } from "./resolve.js";
import type { HandlerTable } from "./types.js";

/** Days of trading hours contract details carry (TWS sends about a week). */
const TRADING_HOURS_DAYS = 7;

export const contractHandlers: HandlerTable = {
  reqContractDetails: (ctx, session, request) => {
    const market = ctx.market;
    const found = matchContracts(market, request.contract, request.includeExpired);
    if (found.length === 0) {
      session.error(request.reqId, 200, NO_SECURITY_DEFINITION);
      return;
    }
    const hours = market.calendar.tradingHoursString(market.calendar.dayOf(market.now()), TRADING_HOURS_DAYS);
    for (const contract of found) {
      const underlying =
        contract.secType === "OPT" ? (market.contractByConId(contract.underlyingConId) as StockContract | undefined) : undefined;
      session.send(contractDataFields(contractDetails(request.reqId, contract, underlying, hours)));
    }
    session.send(contractDataEndFields(request.reqId));
  },

  reqSecDefOptParams: (ctx, session, request) => {
    const market = ctx.market;
    const stock =
      request.underlyingConId > 0 ? market.contractByConId(request.underlyingConId) : market.stock(request.underlyingSymbol);
    const symbol = stock?.secType === "STK" ? stock.symbol : request.underlyingSymbol;
    const parameters = market.optionParameters(symbol);
    if (parameters !== undefined) {
      for (const exchange of ["SMART", "CBOE"]) {
        session.send(
          securityDefinitionOptionParameterFields({
            reqId: request.reqId,
            exchange,
            underlyingConId: parameters.underlyingConId,
            tradingClass: parameters.tradingClass,
            multiplier: String(parameters.multiplier),
            expirations: parameters.expirations.map(toIbDate),
            strikes: parameters.strikes,
          }),
        );
      }
    }
    // TWS ends with the End message even when nothing matched.
    session.send(securityDefinitionOptionParameterEndFields(request.reqId));
  },

  reqMarketRule: (_ctx, session, request) => {
    const increments =
      request.marketRuleId === 110 ? priceIncrements("penny") : request.marketRuleId === 32 ? priceIncrements("nickel") : [{ lowEdge: 0, increment: 0.01 }];
    session.send(marketRuleFields(request.marketRuleId, increments));
  },
};
