/**
 * TWS error codes and texts the engine reports (ids/texts from IB's API message-code table).
 *
 * @packageDocumentation
 */

/** The codes the engine emits in `error` events. */
export const ErrorCode = {
  /** Order id not above the client's previous ids, or the id of a finished order. */
  DuplicateOrderId: 103,
  /** A modification changes the contract or side of the order. */
  ModifyMismatch: 105,
  /** Terminal rejection of a new order. */
  OrderRejected: 201,
  /** Cancel confirmation. */
  OrderCanceled: 202,
  /** Invalid parameters of a modification; the order keeps working unchanged. */
  ValidationError: 321,
  /** Cancel of an id the client has no order for. */
  CancelNotFound: 10147,
  /** Cancel of an order that is already finished. */
  CancelNotPossible: 10148,
} as const;

/** Text of error 103. */
export const duplicateOrderIdText = (): string => "Duplicate order id";
/** Text of error 105. */
export const modifyMismatchText = (): string => "Order being modified does not match original order";
/** Text of error 201 (TWS appends the reason right after the colon). */
export const orderRejectedText = (reason: string): string => `Order rejected - reason:${reason}`;
/** Text of error 202. */
export const orderCanceledText = (): string => "Order Canceled - reason:";
/** Text of error 321. */
export const validationErrorText = (cause: string): string => `Error validating request.-'bO' : cause - ${cause}`;
/** Text of error 10147. */
export const cancelNotFoundText = (orderId: number): string =>
  `OrderId ${orderId} that needs to be cancelled is not found.`;
/** Text of error 10148. */
export const cancelNotPossibleText = (orderId: number, status: string): string =>
  `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${status}.`;
