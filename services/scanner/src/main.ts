#!/usr/bin/env node
// The scanner's own entrypoint (container image); `spreadops scanner` runs the same definition.
import { readFileSync } from "node:fs";
import { processIO, serviceMain } from "@spreadops/runtime";
import { defaultEngine } from "./default-engine.js";
import { scannerDefinition } from "./scanner-main.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

await serviceMain(scannerDefinition(version, { engine: defaultEngine }), processIO());
