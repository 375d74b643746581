import type { FilterSet, OptionChain, ScanResult, SpreadSettings, UnderlyingStats } from "@spreadops/api";

/** Everything one scan of one underlying needs; the chain is already fetched. */
export interface ScanInput {
  readonly chain: OptionChain;
  /** Unset = no filters beyond the built-in checks. */
  readonly filters: FilterSet | undefined;
  /** Unset = defaults (see scanner.proto). */
  readonly settings: SpreadSettings | undefined;
  /** The underlying's IV percentile / rank / IV as known (given or fetched); unset = unknown. */
  readonly underlying: UnderlyingStats | undefined;
  /**
   * Epoch ms after which the scan must stop: it then throws the runtime's DomainError of kind
   * deadline_exceeded ("scan stopped at its deadline after N of M pairs"). Unset = no deadline.
   */
  readonly deadlineMs?: number;
}

/**
 * The scan itself: pure CPU, no I/O. Implemented over packages/core's typed-array engine. It
 * fills every ScanResult field it can (kinds, kind choice for AUTO, ranked candidates,
 * underlying-level rejections, diagnostics except fetch_duration). Errors are the runtime's
 * DomainErrors: failed_precondition when AUTO needs an unknown IV percentile, invalid_argument
 * for a filter set or settings it cannot use (naming the field), deadline_exceeded as above.
 */
export interface SpreadScanEngine {
  scan(input: ScanInput): ScanResult;
}
