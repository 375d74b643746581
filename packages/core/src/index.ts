export const SMOKE = 1;
