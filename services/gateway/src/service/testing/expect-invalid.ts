import { Code, ConnectError } from "@connectrpc/connect";
import { expect } from "vitest";

/** Asserts that `run` throws InvalidArgument whose message names `field` (the runtime's `invalid <field>: …`). */
export function expectInvalid(run: () => unknown, field: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected InvalidArgument for ${field}`).toBeInstanceOf(ConnectError);
  const error = thrown as ConnectError;
  expect(error.code).toBe(Code.InvalidArgument);
  expect(error.rawMessage.startsWith(`invalid ${field}: `), `"${error.rawMessage}" should name ${field}`).toBe(true);
}

/** `message` with `field` set to a raw number no generated enum has (what a newer or broken client can send). */
export function withRawEnum<T extends object>(message: T, field: keyof T & string, value: number): T {
  Reflect.set(message, field, value);
  return message;
}
