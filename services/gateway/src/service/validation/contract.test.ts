import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ComboContractSchema, ContractSpecSchema, OptionRight, OrderAction, OrderContractSchema, SecType } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { expectInvalid, withRawEnum } from "../testing/expect-invalid.js";
import { validateCombo, validateContractSpec, validateOrderContract } from "./contract.js";

const spec = (init: MessageInitShape<typeof ContractSpecSchema>) => create(ContractSpecSchema, init);
const combo = (init: MessageInitShape<typeof ComboContractSchema>) => create(ComboContractSchema, init);
const legs = [
  { conId: 11, ratio: 1, action: OrderAction.BUY },
  { conId: 12, ratio: 1, action: OrderAction.SELL },
];

describe("validateContractSpec", () => {
  it("accepts a con_id alone, or a symbol with option fields", () => {
    expect(() => validateContractSpec(spec({ conId: 756733 }), "contract")).not.toThrow();
    expect(() =>
      validateContractSpec(spec({ symbol: "SPY", secType: SecType.OPTION, expiry: 20260320, strike: 500, right: OptionRight.PUT, currency: "USD" }), "contract"),
    ).not.toThrow();
  });

  it.each([
    ["missing contract", undefined, "contract"],
    ["negative con_id", spec({ conId: -1 }), "contract.con_id"],
    ["no con_id and no symbol", spec({}), "contract.symbol"],
    ["blank symbol", spec({ symbol: "  " }), "contract.symbol"],
    ["over-long symbol", spec({ symbol: "X".repeat(33) }), "contract.symbol"],
    ["unknown sec_type", withRawEnum(spec({ symbol: "SPY" }), "secType", 99), "contract.sec_type"],
    ["combo sec_type", spec({ symbol: "SPY", secType: SecType.COMBO }), "contract.sec_type"],
    ["bad currency", spec({ symbol: "SPY", currency: "usd" }), "contract.currency"],
    ["impossible expiry", spec({ symbol: "SPY", expiry: 20260231 }), "contract.expiry"],
    ["short expiry", spec({ symbol: "SPY", expiry: 2603 }), "contract.expiry"],
    ["zero strike", spec({ symbol: "SPY", strike: 0 }), "contract.strike"],
    ["NaN strike", spec({ symbol: "SPY", strike: Number.NaN }), "contract.strike"],
    ["infinite strike", spec({ symbol: "SPY", strike: Number.POSITIVE_INFINITY }), "contract.strike"],
    ["unknown right", withRawEnum(spec({ symbol: "SPY" }), "right", 7), "contract.right"],
    ["blank exchange", spec({ symbol: "SPY", exchange: " " }), "contract.exchange"],
    ["blank primary exchange", spec({ symbol: "SPY", primaryExchange: " " }), "contract.primary_exchange"],
    ["over-long trading class", spec({ symbol: "SPY", tradingClass: "C".repeat(40) }), "contract.trading_class"],
  ])("refuses %s", (_name, value, field) => {
    expectInvalid(() => validateContractSpec(value, "contract"), field);
  });
});

describe("validateOrderContract / validateCombo", () => {
  it("accepts a single contract and a two-leg combo", () => {
    expect(() => { validateOrderContract(create(OrderContractSchema, { instrument: { case: "single", value: { conId: 5 } } }), "c"); }).not.toThrow();
    expect(() => { validateCombo(combo({ symbol: "SPY", legs }), "c"); }).not.toThrow();
  });

  it.each([
    ["missing", undefined, "c"],
    ["no instrument", create(OrderContractSchema, {}), "c"],
    ["bad single", create(OrderContractSchema, { instrument: { case: "single", value: {} } }), "c.single.symbol"],
  ])("refuses an order contract: %s", (_name, value, field) => {
    expectInvalid(() => { validateOrderContract(value, "c"); }, field);
  });

  it.each([
    ["no symbol", combo({ legs }), "c.symbol"],
    ["one leg", combo({ symbol: "SPY", legs: legs.slice(0, 1) }), "c.legs"],
    ["nine legs", combo({ symbol: "SPY", legs: Array.from({ length: 9 }, (_, i) => ({ conId: i + 1, ratio: 1, action: OrderAction.BUY })) }), "c.legs"],
    ["leg without con_id", combo({ symbol: "SPY", legs: [legs[0] ?? {}, { ratio: 1, action: OrderAction.SELL }] }), "c.legs[1].con_id"],
    ["duplicate leg", combo({ symbol: "SPY", legs: [legs[0] ?? {}, { conId: 11, ratio: 1, action: OrderAction.SELL }] }), "c.legs[1].con_id"],
    ["zero ratio", combo({ symbol: "SPY", legs: [{ conId: 11, ratio: 0, action: OrderAction.BUY }, legs[1] ?? {}] }), "c.legs[0].ratio"],
    ["unspecified leg action", combo({ symbol: "SPY", legs: [legs[0] ?? {}, { conId: 12, ratio: 1 }] }), "c.legs[1].action"],
    ["bad currency", combo({ symbol: "SPY", currency: "US", legs }), "c.currency"],
  ])("refuses a combo: %s", (_name, value, field) => {
    expectInvalid(() => { validateCombo(value, "c"); }, field);
  });
});
