#!/usr/bin/env node
// The execution service's own entrypoint (container image); `spreadops execution` runs the same definition.
import { readFileSync } from "node:fs";
import { processIO, serviceMain } from "@spreadops/runtime";
import { executionDefinition } from "./execution-main.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

await serviceMain(executionDefinition(version), processIO());
