import { SMOKE } from "@spreadops/core";
export const x: number = SMOKE + 1;
