// Runs every benchmark and prints one JSON line per benchmark.
// Usage: npm run bench   (builds with tsc -b first, then runs this file)
import console from "node:console";
import process from "node:process";
import { run as ivGreeks } from "./iv-greeks.js";

const benches = [
  () => ivGreeks(),
  // The same chain in random order: speed must not depend on neighbouring options.
  () => ivGreeks({ shuffle: true }),
];
let failed = false;
for (const bench of benches) {
  const result = bench();
  if (result.ok === false) failed = true;
  console.log(JSON.stringify(result));
}
if (failed) process.exitCode = 1;
