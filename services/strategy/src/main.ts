#!/usr/bin/env node
// The strategy service's own entrypoint (container image); `spreadops strategy` runs the same definition.
import { readFileSync } from "node:fs";
import { processIO, serviceMain } from "@spreadops/runtime";
import { strategyDefinition } from "./strategy-main.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

await serviceMain(strategyDefinition(version), processIO());
