import { StoreError } from "../../store/types.js";

/**
 * Equality-only selectors ("a=b,c==d"): the ResourceStore contract filters by label equality, so
 * set-based terms (in, notin, !=, exists) are refused rather than half-honoured.
 */
export function parseEqualitySelector(text: string | null, what: string): Record<string, string> {
  const selector: Record<string, string> = {};
  if (text === null || text.trim() === "") return selector;
  for (const term of text.split(",")) {
    const match = /^\s*([^=!\s]+)\s*==?\s*([^=!\s]*)\s*$/.exec(term);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new StoreError("BadRequest", `unsupported ${what} "${term}": only equality terms (key=value) are served`);
    }
    selector[match[1]] = match[2];
  }
  return selector;
}

/** The fields of `selector` other than `allowed`; a BadRequest names the first one. */
export function refuseFields(selector: Record<string, string>, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(selector).find((field) => !allowed.includes(field));
  if (unknown !== undefined) throw new StoreError("BadRequest", `field selector "${unknown}" is not supported for ${what}; use ${allowed.join(", ")}`);
}

export function matchesLabels(labels: Record<string, string> | undefined, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}
