/**
 * The contract as clients send it in requests (the 12 fields every request carries). Numbers a
 * client left empty are 0: @stoqey/ib sends `""` where ib_async sends `0`/`0.0`, and both mean
 * "not specified".
 */
export interface Contract {
  /** IB's contract id; 0 when not specified. */
  readonly conId: number;
  readonly symbol: string;
  /** `STK`, `OPT`, `BAG`, … as sent (not normalised). */
  readonly secType: string;
  /** `YYYYMMDD` or `YYYYMM`; `""` for stocks. */
  readonly lastTradeDateOrContractMonth: string;
  /** 0 when not specified. */
  readonly strike: number;
  /** As sent: `C`, `P`, `CALL`, `PUT`, `?` or `""`. */
  readonly right: string;
  /** As sent, e.g. `100` or `""`. */
  readonly multiplier: string;
  readonly exchange: string;
  readonly primaryExch: string;
  readonly currency: string;
  readonly localSymbol: string;
  readonly tradingClass: string;
}

/**
 * A combo (BAG) leg. Market-data and historical requests carry only the first four fields;
 * placeOrder and openOrder carry all eight.
 */
export interface ComboLeg {
  readonly conId: number;
  readonly ratio: number;
  /** `BUY` or `SELL`. */
  readonly action: string;
  readonly exchange: string;
  /** 0 same as parent, 1 open, 2 close, 3 unknown. */
  readonly openClose?: number;
  /** 0 for retail; 1 or 2 for institutions. */
  readonly shortSaleSlot?: number;
  readonly designatedLocation?: string;
  /** −1 when not used. */
  readonly exemptCode?: number;
}

/** The underlying hedge of a delta-neutral combo. */
export interface DeltaNeutralContract {
  readonly conId: number;
  readonly delta: number;
  readonly price: number;
}

/** A contract with the combo and delta-neutral parts that market-data and order requests add. */
export interface ComboContract extends Contract {
  /** The legs when `secType` is BAG; empty otherwise. */
  readonly comboLegs: readonly ComboLeg[];
  readonly deltaNeutralContract?: DeltaNeutralContract;
}

/** The contract of a placeOrder request. */
export interface OrderContract extends ComboContract {
  readonly secIdType: string;
  readonly secId: string;
}

/**
 * A contract as the server writes it. Only the identifying fields are required; the rest
 * default to `""` (strings) or 0 (numbers).
 */
export interface ContractInput {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly lastTradeDateOrContractMonth?: string;
  readonly strike?: number;
  /** Must be exactly `C` or `P` for options (@stoqey/ib maps anything else to undefined). */
  readonly right?: string;
  /** e.g. `100`; `""` for stocks. */
  readonly multiplier?: string;
  readonly exchange?: string;
  readonly primaryExch?: string;
  readonly currency?: string;
  readonly localSymbol?: string;
  readonly tradingClass?: string;
}

/** A contract as openOrder and completedOrder write it: the basic fields plus the combo parts. */
export interface OrderContractInput extends ContractInput {
  /** BAG legs; all 8 leg fields are written (missing ones as 0, 0, "", −1). */
  readonly comboLegs?: readonly ComboLeg[];
  /** e.g. `265598|1,265599|-1`; TWS fills it for combos, `""` is accepted. */
  readonly comboLegsDescription?: string;
  readonly deltaNeutralContract?: DeltaNeutralContract;
}
