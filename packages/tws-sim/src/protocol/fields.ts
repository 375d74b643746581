import { ProtocolError } from "./errors.js";

/** IB's "unset" int (Java `Integer.MAX_VALUE`). */
export const UNSET_INTEGER = 2147483647;

/** IB's "unset" double (Java `Double.MAX_VALUE`), equal to `Number.MAX_VALUE`. */
export const UNSET_DOUBLE = Number.MAX_VALUE;

// Plain decimal numbers only: `Number()` alone would also accept "0x10", " 7 " and "".
const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// JS clients send "Infinity"; ib_async sends "Infinite"; Python's own str() gives "inf".
const INFINITE_NUMBER = /^([+-]?)(?:inf|infinity|infinite)$/i;

/**
 * Parses a numeric field as the clients write it: `150`, `150.0`, `1.25`, `1e-05`, `-2`,
 * `Infinity`, `Infinite`. Returns `NaN` for anything else, including `""`.
 */
export function parseNumberField(raw: string): number {
  if (DECIMAL_NUMBER.test(raw)) return Number(raw);
  const infinite = INFINITE_NUMBER.exec(raw);
  if (infinite !== null) return infinite[1] === "-" ? -Infinity : Infinity;
  return Number.NaN;
}

/**
 * Parses a boolean field: any integer (non-zero is true, as TWS reads an int) or
 * `true`/`false`. Returns `undefined` for anything else, including `""`.
 */
export function parseBoolField(raw: string): boolean | undefined {
  if (raw === "1") return true;
  if (raw === "0") return false;
  const lower = raw.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  const n = parseNumberField(raw);
  return Number.isInteger(n) ? n !== 0 : undefined;
}

/**
 * Sequential, typed access to the fields of one client message.
 *
 * The plain readers (`readInt`, `readDouble`, …) require a value; the `readOptional…` ones
 * map `""` — which @stoqey/ib sends for every undefined value and ib_async for unset numbers —
 * and IB's "unset" sentinels (2147483647, 1.7976931348623157E308) to `undefined`. Every failure
 * throws a {@link ProtocolError} naming the message and the field; request decoders catch it at
 * their boundary.
 */
export class FieldReader {
  private index: number;

  /**
   * The request or order id once the decoder has read it, so that an error found later in the
   * message can still be answered against it.
   */
  requestId: number | undefined;

  /**
   * @param fields the frame's fields, message id first
   * @param messageName used in error messages, e.g. `placeOrder`
   * @param start index of the first field to read (1 skips the message id)
   */
  constructor(
    private readonly fields: readonly string[],
    readonly messageName: string,
    start = 1,
  ) {
    this.index = start;
  }

  /** Number of fields not read yet. */
  get remaining(): number {
    return this.fields.length - this.index;
  }

  /** Index of the next field to read. */
  get position(): number {
    return this.index;
  }

  /** Moves back to an earlier {@link position}, to read the rest of the message another way. */
  rewind(position: number): void {
    this.index = position;
  }

  /** Reads a field as text, exactly as sent. */
  readString(field: string): string {
    const raw = this.fields[this.index];
    if (raw === undefined) {
      throw new ProtocolError("underrun", `${this.messageName}: message ends before ${field}`, {
        messageName: this.messageName,
        field,
        fieldIndex: this.index,
      });
    }
    this.index++;
    return raw;
  }

  /** Skips a field whose value does not matter (version numbers, deprecated fields). */
  skip(field: string): void {
    this.readString(field);
  }

  /** Reads an integer; `""` is an error. Accepts `5.0` (a float-typed client field) but not `5.5`. */
  readInt(field: string): number {
    const value = this.readOptionalIntRaw(field);
    if (value === undefined) throw this.badField(field, "", "an integer");
    return value;
  }

  /** Reads an integer, or `undefined` for `""` or 2147483647. */
  readOptionalInt(field: string): number | undefined {
    const value = this.readOptionalIntRaw(field);
    return value === UNSET_INTEGER ? undefined : value;
  }

  /** Reads a double; `""` is an error. */
  readDouble(field: string): number {
    const value = this.readOptionalNumberRaw(field, "a number");
    if (value === undefined) throw this.badField(field, "", "a number");
    return value;
  }

  /** Reads a double, or `undefined` for `""` or 1.7976931348623157E308. */
  readOptionalDouble(field: string): number | undefined {
    const value = this.readOptionalNumberRaw(field, "a number");
    return value === UNSET_DOUBLE ? undefined : value;
  }

  /** Reads a decimal quantity (sizes, positions); `""` is an error. */
  readDecimal(field: string): number {
    const value = this.readOptionalNumberRaw(field, "a decimal");
    if (value === undefined) throw this.badField(field, "", "a decimal");
    return value;
  }

  /** Reads a decimal quantity, or `undefined` for `""` or 1.7976931348623157E308. */
  readOptionalDecimal(field: string): number | undefined {
    const value = this.readOptionalNumberRaw(field, "a decimal");
    return value === UNSET_DOUBLE ? undefined : value;
  }

  /** Reads a boolean (`0`/`1`); `""` is an error. */
  readBool(field: string): boolean {
    const value = this.readOptionalBool(field);
    if (value === undefined) throw this.badField(field, "", "a boolean");
    return value;
  }

  /** Reads a boolean, or `undefined` for `""`. */
  readOptionalBool(field: string): boolean | undefined {
    const raw = this.readString(field);
    if (raw === "") return undefined;
    const value = parseBoolField(raw);
    if (value === undefined) throw this.badField(field, raw, "a boolean");
    return value;
  }

  /**
   * Reads a boolean that @stoqey/ib leaves `""` when the user did not set it, with the
   * simulator's default for that case (trap T7).
   */
  readFlag(field: string, whenEmpty = false): boolean {
    return this.readOptionalBool(field) ?? whenEmpty;
  }

  /** Asserts the whole message was consumed; leftover fields mean the layout was misread. */
  end(): void {
    if (this.index < this.fields.length) {
      throw new ProtocolError(
        "leftoverFields",
        `${this.messageName}: ${this.fields.length - this.index} unexpected field(s) after the last one`,
        { messageName: this.messageName, fieldIndex: this.index, value: this.fields[this.index] },
      );
    }
  }

  private readOptionalIntRaw(field: string): number | undefined {
    const raw = this.readString(field);
    if (raw === "") return undefined;
    const value = parseNumberField(raw);
    if (!Number.isInteger(value)) throw this.badField(field, raw, "an integer");
    return value;
  }

  private readOptionalNumberRaw(field: string, expected: string): number | undefined {
    const raw = this.readString(field);
    if (raw === "") return undefined;
    const value = parseNumberField(raw);
    if (Number.isNaN(value)) throw this.badField(field, raw, expected);
    return value;
  }

  /** The field just read (or just found empty) is not what the layout needs. */
  private badField(field: string, raw: string, expected: string): ProtocolError {
    return new ProtocolError(
      "badField",
      `${this.messageName}: ${field} must be ${expected}, got ${JSON.stringify(raw)}`,
      { messageName: this.messageName, field, fieldIndex: this.index - 1, value: raw },
    );
  }
}
