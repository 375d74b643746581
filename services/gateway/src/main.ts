#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { processIO, serviceMain } from "@spreadops/runtime";
import { gatewayDefinition } from "./gateway-main.js";

// The one place that touches the real process (`node dist/main.js`, the container's entrypoint).
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
await serviceMain(gatewayDefinition(version), processIO());
