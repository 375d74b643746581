#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { runCli } from "./cli.js";
import { allCommand } from "./commands/all.js";
import { consoleCommand } from "./commands/console.js";
import { controllerCommand } from "./commands/controller.js";
import { executionCommand } from "./commands/execution.js";
import { gatewayCommand } from "./commands/gateway.js";
import { scannerCommand } from "./commands/scanner.js";
import { simCommand } from "./commands/sim.js";
import { strategyCommand } from "./commands/strategy.js";
import { applyManifestFiles } from "./resources/apply.js";
import { kubeconfigStoreConnector } from "./resources/connect-store.js";
import { resourceCommands } from "./resources/resource-commands.js";

// The one place that touches the real process: everything below takes its io as an argument.
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const code = await runCli(
  {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY,
    signals: process,
  },
  [
    allCommand(version), consoleCommand(version), controllerCommand(version), executionCommand(version), gatewayCommand(version), scannerCommand(version), simCommand(version), strategyCommand(version),
    ...resourceCommands({ connect: kubeconfigStoreConnector(), apply: applyManifestFiles }),
  ],
  { programName: "spreadops", version },
);
process.exit(code);
