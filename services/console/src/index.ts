export { consoleDefinition, type ConsoleParts } from "./console-main.js";
export { consoleOptions, type ConsoleConfig } from "./console-options.js";
