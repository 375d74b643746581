#!/usr/bin/env node
// The console's own entrypoint (container image); `spreadops console` runs the same definition.
import { readFileSync } from "node:fs";
import { processIO, serviceMain } from "@spreadops/runtime";
import { consoleDefinition } from "./console-main.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

await serviceMain(consoleDefinition(version), processIO());
