/** A tag/value pair: algo parameters, smart-combo routing parameters, scanner filters, misc options. */
export interface TagValue {
  readonly tag: string;
  readonly value: string;
}

/**
 * Parses the single-field list form `tag1=value1;tag2=value2;` that clients use for
 * orderMiscOptions, mktDataOptions, chartOptions and the scanner option lists. A value keeps any
 * `=` after the first; empty entries are ignored.
 */
export function parseTagValueList(raw: string): TagValue[] {
  if (raw === "") return [];
  const result: TagValue[] = [];
  for (const entry of raw.split(";")) {
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    result.push(eq < 0 ? { tag: entry, value: "" } : { tag: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
  return result;
}
