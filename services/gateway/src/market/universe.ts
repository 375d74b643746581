/**
 * SearchUniverse as an IB market scan: one scanner subscription with the filters as TWS filter
 * tags, cancelled after the first scannerDataEnd; optionable = the symbol has option parameters.
 *
 * @packageDocumentation
 */
import { create } from "@bufbuild/protobuf";
import { UniverseMemberSchema, type SearchUniverseRequest, type UniverseMember } from "@spreadops/api";
import { EventName, Instrument, LocationCode, ScanCode, type ContractDetails as IbContractDetails, type IBApi, type TagValue } from "@stoqey/ib";
import { invalidArgument } from "@spreadops/runtime";
import type { ContractDirectory } from "./contract-directory.js";
import { contractError } from "./contract-directory.js";
import { twsRequest } from "./tws-request.js";
import type { TwsRequestDeps } from "./tws-request-deps.js";

/** IB caps a scan at 50 rows. */
export const MAX_SCAN_ROWS = 50;

/** The scan filters of a request as TWS filter tag-values (market caps in millions, as IB wants). */
export function scannerFilterTags(req: SearchUniverseRequest): TagValue[] {
  const tags: TagValue[] = [];
  if (req.minPrice !== undefined) tags.push({ tag: "priceAbove", value: String(req.minPrice) });
  if (req.maxPrice !== undefined) tags.push({ tag: "priceBelow", value: String(req.maxPrice) });
  if (req.minAvgVolume !== undefined) tags.push({ tag: "avgVolumeAbove", value: String(req.minAvgVolume) });
  if (req.minMarketCap !== undefined) tags.push({ tag: "marketCapAbove1e6", value: String(req.minMarketCap / 1e6) });
  return tags;
}

/** Collaborators of {@link UniverseSearch}. */
export interface UniverseSearchDeps extends TwsRequestDeps {
  readonly directory: ContractDirectory;
}

interface ScanRow {
  readonly rank: number;
  readonly details: IbContractDetails;
}

/** Market scans. */
export class UniverseSearch {
  readonly #deps: UniverseSearchDeps;

  constructor(deps: UniverseSearchDeps) {
    this.#deps = deps;
  }

  /** The scan's passing stocks in rank order. */
  async scan(req: SearchUniverseRequest, signal?: AbortSignal): Promise<UniverseMember[]> {
    const rows: ScanRow[] = [];
    const maxRows = req.maxResults === 0 ? MAX_SCAN_ROWS : Math.min(req.maxResults, MAX_SCAN_ROWS);
    type Subscription = Parameters<IBApi["reqScannerSubscription"]>[1];
    // @stoqey encodes the scan code by its enum name, so only codes it knows can be sent.
    const scanName = req.scanCode === "" ? "MOST_ACTIVE" : req.scanCode;
    const scanCode = (ScanCode as unknown as Record<string, ScanCode | undefined>)[scanName];
    if (typeof scanCode !== "number") throw invalidArgument("scan_code", "an IB scan code such as MOST_ACTIVE", scanName);
    const wanted = req.location === "" ? "STK.US.MAJOR" : req.location;
    const location = Object.values(LocationCode).find((code: string) => code === wanted);
    if (location === undefined) throw invalidArgument("location", "an IB location code such as STK.US.MAJOR", req.location);
    const subscription: Subscription = { numberOfRows: maxRows, instrument: Instrument.STK, locationCode: location, scanCode };
    let reqIdUsed = 0;
    await twsRequest(this.#deps, {
      priority: "bulk",
      what: `market scan ${subscription.scanCode}`,
      timeoutMs: 15_000,
      signal,
      send: (ib, reqId) => {
        reqIdUsed = reqId;
        return ib.reqScannerSubscription(reqId, subscription, [], scannerFilterTags(req));
      },
      handlers: (_reqId, done) => ({
        [EventName.scannerData]: (_id, rank, details) => {
          rows.push({ rank, details });
        },
        [EventName.scannerDataEnd]: () => {
          done();
        },
      }),
      result: () => rows,
      onError: (error) => contractError(error, `market scan ${subscription.scanCode}`),
    }).finally(() => {
      // A scan subscription is refreshed by TWS until cancelled: the first answer is all we want.
      if (reqIdUsed !== 0) void this.#deps.connection.send("cancel", (ib) => ib.cancelScannerSubscription(reqIdUsed)).catch(() => undefined);
    });
    const members = await Promise.all(
      rows.map(async (row) => {
        const c = row.details.contract;
        const member = create(UniverseMemberSchema, { symbol: c.symbol ?? "", conId: c.conId ?? 0, primaryExchange: c.primaryExch ?? "", rank: row.rank, passed: true });
        if (req.optionableOnly) {
          const params = await this.#deps.directory.optionParams({ symbol: member.symbol, conId: member.conId, secType: "STK" }).catch(() => []);
          member.optionable = params.length > 0;
        }
        return member;
      }),
    );
    return members.filter((m) => !req.optionableOnly || m.optionable === true).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  }
}
