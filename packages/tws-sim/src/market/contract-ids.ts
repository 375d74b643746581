/**
 * Option contract ids that decode back to the contract, so the server can resolve any option
 * id without a table and an id never changes between runs.
 *
 * Layout (a positive int32, as IB's conIds are): `2³⁰ + (((class·2¹⁰ + week)·2¹³ + 2·strike)·2 + right)`
 * - class: the underlying's option class, 1–63;
 * - week: weeks since the Friday 2024-01-05 (0–1023, i.e. expiries until August 2043); an
 *   underlying has at most one expiry per week (that Friday, or the trading day before it when
 *   the Friday is a holiday);
 * - strike in half dollars, 1–8191 (strikes are multiples of $0.50 up to $4,095.50);
 * - right: 1 call, 0 put.
 * Stock ids are below 2³⁰, so the two never collide.
 *
 * @packageDocumentation
 */

import { daysFromCivil } from "./civil-date.js";

/** Option ids are ≥ this; stock ids are below. */
export const OPTION_CONID_BASE = 2 ** 30;
/** Day number of the Friday that is week 0 of the expiry-week numbering. */
export const EXPIRY_WEEK_EPOCH_DAY = daysFromCivil(2024, 1, 5);
/** Number of expiry weeks an id can encode. */
export const MAX_EXPIRY_WEEKS = 1024;
/** Largest strike an id can encode. */
export const MAX_STRIKE = 4095.5;

/** The fields an option id encodes. */
export interface OptionIdFields {
  /** Underlying's option class, 1–63. */
  readonly optionClass: number;
  /** Expiry week number (see {@link expiryWeek}). */
  readonly week: number;
  /** Strike in dollars (a multiple of 0.5). */
  readonly strike: number;
  /** Call or put. */
  readonly right: "C" | "P";
}

/** The expiry-week number of a date: the week whose Friday is on or after the date. */
export function expiryWeek(day: number): number {
  return Math.ceil((day - EXPIRY_WEEK_EPOCH_DAY) / 7);
}

/** Day number of the Friday of an expiry week. */
export function fridayOfWeek(week: number): number {
  return EXPIRY_WEEK_EPOCH_DAY + 7 * week;
}

/** True when the id is in the option range. */
export function isOptionConId(conId: number): boolean {
  return Number.isInteger(conId) && conId >= OPTION_CONID_BASE && conId < 2 * OPTION_CONID_BASE;
}

/**
 * The id of an option.
 * @throws RangeError when a field is outside what the layout can hold.
 */
export function encodeOptionConId(fields: OptionIdFields): number {
  const { optionClass, week, strike, right } = fields;
  const halves = strike * 2;
  if (!Number.isInteger(optionClass) || optionClass < 1 || optionClass > 63) throw new RangeError(`option class must be 1–63, got ${optionClass}`);
  if (!Number.isInteger(week) || week < 0 || week >= MAX_EXPIRY_WEEKS) throw new RangeError(`expiry week out of range (2024-01-05 … 2043-08): ${week}`);
  if (!Number.isInteger(halves) || halves < 1 || halves > 8191) throw new RangeError(`strike must be a multiple of 0.5 in [0.5, ${MAX_STRIKE}], got ${strike}`);
  const payload = ((optionClass * MAX_EXPIRY_WEEKS + week) * 8192 + halves) * 2 + (right === "C" ? 1 : 0);
  return OPTION_CONID_BASE + payload;
}

/** The fields of an option id, or undefined when the id is not a well-formed option id. */
export function decodeOptionConId(conId: number): OptionIdFields | undefined {
  if (!isOptionConId(conId)) return undefined;
  let payload = conId - OPTION_CONID_BASE;
  const right = payload % 2 === 1 ? "C" : "P";
  payload = Math.floor(payload / 2);
  const halves = payload % 8192;
  payload = Math.floor(payload / 8192);
  const week = payload % MAX_EXPIRY_WEEKS;
  const optionClass = Math.floor(payload / MAX_EXPIRY_WEEKS);
  if (halves === 0 || optionClass === 0) return undefined;
  return { optionClass, week, strike: halves / 2, right };
}
