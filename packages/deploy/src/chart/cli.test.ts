// Every container the chart runs names a real `spreadops` sub-command, and every environment
// variable the chart sets is one that sub-command's --help lists, with a value of the form the
// help expects (no invented flags, no typos, no `--log-format yaml`); options the help marks
// secret (the console's token) never get a literal value.
import { beforeAll, describe, expect, it } from "vitest";
import { renderChart, type KubeObject } from "../helm.js";
import {
  SERVICE_COMMANDS, commandHelp, componentOf, containersOf, envOf, parseHelp, podSpecs, scenarios, topLevelCommands, type CommandHelp,
} from "./scenarios.js";

const helps = new Map<string, CommandHelp>();
let commands = new Set<string>();

beforeAll(async () => {
  commands = await topLevelCommands();
  for (const command of SERVICE_COMMANDS) helps.set(command, await commandHelp(command));
}, 120_000);

/** Whether `value` has the form `--help` prints for the option (`<int>`, `<a|b>`, `--[no-]…`). */
function fitsForm(form: string, value: string): boolean {
  if (form === "boolean") return value === "true" || value === "false";
  if (form === "int") return /^-?\d+$/.test(value);
  if (form === "number") return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value);
  if (form === "duration") return /^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value);
  if (form === "url") return /^https?:\/\/[^\s]+$/.test(value);
  if (form.includes("|")) return form.split("|").includes(value);
  return value.length > 0; // string, value
}

describe("the CLI the chart runs", () => {
  it("lists every service as a sub-command and documents env vars for each", () => {
    for (const command of SERVICE_COMMANDS) {
      expect(commands.has(command), command).toBe(true);
      expect(helps.get(command)?.envVars.size ?? 0, command).toBeGreaterThan(5);
    }
  });

  it("has the console's token secret and a token file it can read instead", () => {
    const help = helps.get("console");
    expect(help?.secrets).toEqual(new Set(["SPREADOPS_CONSOLE_TOKEN"]));
    for (const name of ["SPREADOPS_CONSOLE_PORT", "SPREADOPS_CONSOLE_TOKEN_FILE", "SPREADOPS_CONSOLE_NAMESPACE", "SPREADOPS_CONSOLE_GATEWAY_URL",
      "SPREADOPS_CONSOLE_STRATEGY_URL", "SPREADOPS_CONSOLE_EXECUTION_URL", "SPREADOPS_CONSOLE_ALLOWED_ORIGINS", "SPREADOPS_CONSOLE_CLOCK_OFFSET"]) {
      expect(help?.envVars.has(name), name).toBe(true);
    }
  });

  it("reads env vars, forms and the secret mark from a help text", () => {
    const help = parseHelp("x", [
      "Options:",
      "",
      "  --port <int>                           env X_PORT",
      "      Port.",
      "      default: 8085; expects an integer from 0 to 65535",
      "  --token <string>                       env X_TOKEN",
      "      Token; not a secret in this sentence.",
      "      default: none; secret",
      "  --[no-]color                           env X_COLOR",
      "      default: true",
      "  -h, --help",
      "      Show this help and exit.",
    ].join("\n"));
    expect([...help.envVars]).toEqual(["X_PORT", "X_TOKEN", "X_COLOR"]);
    expect(Object.fromEntries(help.forms)).toEqual({ X_PORT: "int", X_TOKEN: "string", X_COLOR: "boolean" });
    expect([...help.secrets]).toEqual(["X_TOKEN"]);
  });

  it("checks forms the way the help prints them", () => {
    expect(fitsForm("int", "8080")).toBe(true);
    expect(fitsForm("int", "80a")).toBe(false);
    expect(fitsForm("auto|json|pretty", "yaml")).toBe(false);
    expect(fitsForm("duration", "30s")).toBe(true);
    expect(fitsForm("boolean", "yes")).toBe(false);
  });
});

describe.each(scenarios().map((scenario) => [scenario.name, scenario] as const))("containers of ci/%s", (_name, scenario) => {
  let objects: KubeObject[] = [];
  beforeAll(async () => {
    objects = await renderChart([scenario.file]);
  }, 300_000);

  it("run `spreadops <their component>` with the image's entrypoint (args only, no command)", () => {
    const deployments = objects.filter((object) => object.kind === "Deployment");
    expect(deployments.length).toBeGreaterThan(0);
    for (const pod of podSpecs(objects)) {
      for (const container of containersOf(pod.spec)) {
        if (pod.owner.kind === "Pod") {
          // helm test hooks run their own script; nothing else may override the entrypoint.
          expect(pod.owner.metadata.annotations?.["helm.sh/hook"]).toBe("test");
          continue;
        }
        expect(container.command, `${pod.owner.metadata.name}: no command override`).toBeUndefined();
        expect(Array.isArray(container.args)).toBe(true);
        const [subcommand, ...rest] = container.args as unknown[];
        expect(typeof subcommand === "string" && commands.has(subcommand), `${pod.owner.metadata.name} runs ${String(subcommand)}`).toBe(true);
        expect(subcommand).toBe(componentOf(pod.owner));
        expect(rest, "configuration goes through env vars").toEqual([]);
      }
    }
  });

  it("set only env vars the sub-command's --help lists, with values of the right form", () => {
    let checked = 0;
    for (const pod of podSpecs(objects).filter((p) => p.owner.kind === "Deployment")) {
      for (const container of containersOf(pod.spec)) {
        const subcommand = (container.args as string[])[0]!;
        const help = helps.get(subcommand);
        expect(help, subcommand).toBeDefined();
        const names = new Set<string>();
        for (const entry of envOf(container)) {
          const what = `${pod.owner.metadata.name}: ${entry.name}`;
          expect(names.has(entry.name), `${what} set twice`).toBe(false);
          names.add(entry.name);
          if (entry.name.startsWith("SPREADOPS_")) {
            expect(help!.envVars.has(entry.name), `${what} is not an option of spreadops ${subcommand}`).toBe(true);
          } else {
            // Standard variables the help names in its text (OTEL_EXPORTER_OTLP_ENDPOINT, POD_NAMESPACE).
            expect(new RegExp(`\\b${entry.name}\\b`).test(help!.text), `${what} is not mentioned by spreadops ${subcommand} --help`).toBe(true);
          }
          if (help!.secrets.has(entry.name)) {
            expect(entry.value, `${what} is secret: mount it (a file option) or use a secretKeyRef, never a literal value`).toBeUndefined();
            expect(entry.valueFrom?.["secretKeyRef"], `${what} is secret: only from a Secret`).toBeDefined();
          }
          const form = help!.forms.get(entry.name);
          if (form !== undefined && entry.value !== undefined) {
            expect(fitsForm(form, entry.value), `${what}=${entry.value} does not fit <${form}>`).toBe(true);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
