// Runs every benchmark and prints one JSON line per benchmark.
// Usage: npm run bench   (builds with tsc -b first, then runs this file)
import console from "node:console";
import process from "node:process";
import { run as ivGreeks } from "./iv-greeks.js";
import { run as orderPath } from "./order-path.js";
import { run as scanner } from "./scanner.js";
import { run as twsSim } from "./tws-sim.js";

const benches = [
  () => ivGreeks(),
  // The same chain in random order: speed must not depend on neighbouring options.
  () => ivGreeks({ shuffle: true }),
  // The TWS simulator: inbound message rate and option streaming cost (async, two results).
  () => twsSim(),
  // The vertical-spread scan engine: 10,000 contracts, 50 × 2,000, 100,000 (three results).
  () => scanner(),
  // The order path: PlaceSpread → simulator acknowledgment through execution + gateway (200 orders).
  () => orderPath(),
];
let failed = false;
for (const bench of benches) {
  const outcome = await bench();
  for (const result of Array.isArray(outcome) ? outcome : [outcome]) {
    if (result.ok === false) failed = true;
    console.log(JSON.stringify(result));
  }
}
if (failed) process.exitCode = 1;
