import { describe, expect, it } from "vitest";
import { x } from "./index.js";
describe("smoke", () => { it("resolves sibling source", () => { expect(x).toBe(2); }); });
