import type { Farm } from "./control.js";

/** A farm's OK and broken notices (error messages with id −1). */
export interface FarmNotice {
  readonly ok: { readonly code: number; readonly message: string };
  readonly broken: { readonly code: number; readonly message: string };
}

/** The notices of every farm, in the order TWS sends them at connect (2104, 2106, 2158). */
export const FARM_NOTICES: ReadonlyMap<Farm, FarmNotice> = new Map<Farm, FarmNotice>([
  [
    "marketData",
    {
      ok: { code: 2104, message: "Market data farm connection is OK:usfarm" },
      broken: { code: 2103, message: "Market data farm connection is broken:usfarm" },
    },
  ],
  [
    "historical",
    {
      ok: { code: 2106, message: "HMDS data farm connection is OK:ushmds" },
      broken: { code: 2105, message: "HMDS data farm connection is broken:ushmds" },
    },
  ],
  [
    "secDef",
    {
      ok: { code: 2158, message: "Sec-def data farm connection is OK:secdefnj" },
      broken: { code: 2157, message: "Sec-def data farm connection is broken:secdefnj" },
    },
  ],
]);
