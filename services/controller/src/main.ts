#!/usr/bin/env node
// The controller's own entrypoint (container image); `spreadops controller` runs the same definition.
import { readFileSync } from "node:fs";
import { processIO, serviceMain } from "@spreadops/runtime";
import { controllerDefinition } from "./controller-main.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

await serviceMain(controllerDefinition(version), processIO());
