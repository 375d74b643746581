import { STRATEGY, TRADE, type ResourceType } from "@spreadops/resources";

/** The resource kinds the CLI manages, with the names kubectl would accept for them. */
const KINDS: readonly { type: ResourceType; names: readonly string[] }[] = [
  { type: STRATEGY, names: ["strategies", "strategy", "strat"] },
  { type: TRADE, names: ["trades", "trade", "trd"] },
];

export const KIND_NAMES = KINDS.map((k) => k.names[0] ?? k.type.plural);

/** The resource type for a name like `trades`, `trade` or `strat`; undefined when unknown. */
export function resolveKind(name: string): ResourceType | undefined {
  const lower = name.toLowerCase();
  return KINDS.find((k) => k.names.includes(lower) || `${k.type.plural}.${k.type.group}` === lower)?.type;
}
