import { clone, create } from "@bufbuild/protobuf";
import type { DoubleRange, FilterSet, OptionChainQuery, SpreadSettings } from "@spreadops/api";
import { DoubleRangeSchema, IntRangeSchema, OptionChainQuerySchema, OptionRight, SpreadKindSelection } from "@spreadops/api";

/**
 * The union of the set |delta| ranges as one band; an open bound in any set range opens the
 * union on that side. Undefined when no range is set (then the whole chain is fetched).
 */
export function deltaBandOf(filters: FilterSet | undefined): DoubleRange | undefined {
  const ranges = [filters?.shortDelta, filters?.longDelta].filter((r): r is DoubleRange => r !== undefined);
  if (ranges.length === 0) return undefined;
  const mins = ranges.map((r) => r.min);
  const maxs = ranges.map((r) => r.max);
  const min = mins.some((m) => m === undefined) ? undefined : Math.min(...(mins as number[]));
  const max = maxs.some((m) => m === undefined) ? undefined : Math.max(...(maxs as number[]));
  if (min === undefined && max === undefined) return undefined;
  return create(DoubleRangeSchema, { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
}

/** The one option right a concrete kind uses; UNSPECIFIED (both) for AUTO or no settings. */
export function rightOf(settings: SpreadSettings | undefined): OptionRight {
  switch (settings?.kind) {
    case SpreadKindSelection.BULL_PUT:
    case SpreadKindSelection.BEAR_PUT:
      return OptionRight.PUT;
    case SpreadKindSelection.BEAR_CALL:
    case SpreadKindSelection.BULL_CALL:
      return OptionRight.CALL;
    default:
      return OptionRight.UNSPECIFIED;
  }
}

/**
 * The gateway query for a scan, per scanner.proto's ChainFetch: unset DTE bounds come from
 * `filters.dte`, an unset band from the union of `short_delta` and `long_delta`. Beyond the
 * proto, an unspecified right is narrowed to the one right a concrete kind uses, which halves
 * the contracts the gateway must quote (its market-data lines and 50 msg/s are the scarce part).
 * The given query is not modified.
 */
export function chainQueryFor(
  query: OptionChainQuery | undefined,
  symbol: string,
  filters: FilterSet | undefined,
  settings: SpreadSettings | undefined,
): OptionChainQuery {
  const base = query ?? create(OptionChainQuerySchema, { underlyingSymbol: symbol });
  const min = base.dte?.min ?? filters?.dte?.min;
  const max = base.dte?.max ?? filters?.dte?.max;
  const band = base.band.case === undefined ? deltaBandOf(filters) : undefined;
  const filled = clone(OptionChainQuerySchema, base);
  if (filled.underlyingSymbol === "" && filled.underlyingConId === 0) filled.underlyingSymbol = symbol;
  filled.dte = create(IntRangeSchema, { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
  if (band !== undefined) filled.band = { case: "absDelta", value: band };
  if (filled.right === OptionRight.UNSPECIFIED) filled.right = rightOf(settings);
  return filled;
}
