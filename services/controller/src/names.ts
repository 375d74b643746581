import { GROUP } from "@spreadops/resources";

/** Label on every Trade: the name of the Strategy that proposed it. */
export const STRATEGY_LABEL = `${GROUP}/strategy`;

/** Annotation on a Trade: the Strategy's `metadata.generation` it was proposed from. */
export const STRATEGY_GENERATION_ANNOTATION = `${GROUP}/strategy-generation`;

/** Annotation on a Trade: the strategy service's proposal key (strategy/candidate/date). */
export const PROPOSAL_KEY_ANNOTATION = `${GROUP}/proposal-key`;

/** Annotation on a Trade: how it was approved at creation, `auto` or `manual`. */
export const APPROVAL_ANNOTATION = `${GROUP}/approval`;

/** Annotation on a Trade: the risk (max loss, USD) the proposal used, before any preview. */
export const RISK_ANNOTATION = `${GROUP}/risk-usd`;

/** Annotation on a Trade orphaned by its Strategy's deletion: why it has no owner. */
export const ORPHANED_ANNOTATION = `${GROUP}/orphaned-from`;
