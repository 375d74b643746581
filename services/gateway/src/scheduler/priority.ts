/**
 * What a message to TWS is for. The scheduler sends higher ranks first; `cancel` and `control`
 * share a rank (FIFO between them) because both are small and keep the session healthy.
 */
export type Priority = "order" | "cancel" | "control" | "marketData" | "historical" | "bulk";

/** Every priority, most urgent first. */
export const PRIORITIES: readonly Priority[] = ["order", "cancel", "control", "marketData", "historical", "bulk"];

const RANK: Readonly<Record<Priority, number>> = {
  order: 0,
  cancel: 1,
  control: 1,
  marketData: 2,
  historical: 3,
  bulk: 4,
};

/** Number of distinct ranks. */
export const RANK_COUNT = 5;

/** The rank of a priority: 0 is sent first. */
export function rankOf(priority: Priority): number {
  return RANK[priority];
}
