import { isStoreError, STRATEGY, TRADE, type KubeObject, type ResourceStore, type ResourceType, type StrategyResource, type TradeResource } from "@spreadops/resources";
import { stringify } from "yaml";
import type { Command, CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { parseResourceArgs, UsageError, type ResourceArgs } from "./args.js";
import { describeObject } from "./describe.js";
import { KIND_NAMES, resolveKind } from "./kinds.js";
import { strategyTable, tradeTable } from "./tables.js";

/** A store to work on, and the namespace to use when the command line names none. */
export interface StoreSession {
  readonly store: ResourceStore;
  readonly namespace: string;
  /** What the CLI is talking to, for error messages ("the all-in-one at …", "cluster …"). */
  readonly target: string;
  close(): Promise<void>;
}

/** Opens the store a command works on (the all-in-one's, or a cluster's); tests pass an embedded one. */
export type StoreConnector = (args: ResourceArgs, io: CommandIo) => Promise<StoreSession>;

export interface ResourceCommandDeps {
  readonly connect: StoreConnector;
  readonly now?: () => number;
  /** Applies manifests from files/folders; returns one line per object ("strategy/x created"). */
  readonly apply?: (session: StoreSession, files: readonly string[]) => Promise<string[]>;
}

interface Invocation {
  readonly args: ResourceArgs;
  readonly session: StoreSession;
  readonly io: CommandIo;
  readonly now: number;
}

const kindOrThrow = (name: string | undefined): ResourceType => {
  if (name === undefined) throw new UsageError(`name a kind: ${KIND_NAMES.join(" or ")}`);
  const type = resolveKind(name);
  if (type === undefined) throw new UsageError(`unknown kind "${name}": expected ${KIND_NAMES.join(" or ")}`);
  return type;
};

const nameOrThrow = (name: string | undefined, what: string): string => {
  if (name === undefined) throw new UsageError(`name the ${what}`);
  return name;
};

function printObjects(inv: Invocation, type: ResourceType, items: readonly KubeObject[], single: boolean): void {
  const output = inv.args.output ?? "table";
  if (output === "json") { inv.io.stdout(JSON.stringify(single ? items[0] : { apiVersion: "v1", kind: "List", items }, null, 2) + "\n"); return; }
  if (output === "yaml") { inv.io.stdout(stringify(single ? items[0] : { apiVersion: "v1", kind: "List", items })); return; }
  if (items.length === 0) { inv.io.stderr(`No ${type.plural} found${inv.args.allNamespaces ? "" : ` in namespace ${inv.args.namespace ?? inv.session.namespace}`}.\n`); return; }
  inv.io.stdout(type === STRATEGY
    ? strategyTable(items as StrategyResource[], inv.now, inv.args.allNamespaces)
    : tradeTable(items as TradeResource[], inv.now, inv.args.allNamespaces));
}

const namespaceOf = (inv: Invocation): string => inv.args.namespace ?? inv.session.namespace;

async function get(inv: Invocation): Promise<void> {
  const [kind, name] = inv.args.positionals;
  const type = kindOrThrow(kind);
  if (name !== undefined) {
    printObjects(inv, type, [await inv.session.store.get(type, namespaceOf(inv), name)], true);
    return;
  }
  const list = await inv.session.store.list(type, inv.args.allNamespaces ? undefined : namespaceOf(inv));
  const items = [...list.items].sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name));
  printObjects(inv, type, items, false);
}

async function describe(inv: Invocation): Promise<void> {
  const [kind, name] = inv.args.positionals;
  const type = kindOrThrow(kind);
  const object = await inv.session.store.get(type, namespaceOf(inv), nameOrThrow(name, type.kind));
  const events = await inv.session.store.listEvents(namespaceOf(inv), { kind: type.kind, name: object.metadata.name });
  inv.io.stdout(describeObject(object, events, inv.now));
}

async function patchSpec(inv: Invocation, type: ResourceType, name: string, spec: Record<string, unknown>, guard?: (object: KubeObject) => string | undefined): Promise<KubeObject> {
  const current = await inv.session.store.get(type, namespaceOf(inv), name);
  const refusal = guard?.(current);
  if (refusal !== undefined) throw new RefusedError(refusal);
  // Guarded by the version just read: a change in between is a Conflict, not a lost update.
  return inv.session.store.patch(type, namespaceOf(inv), name, { spec }, { resourceVersion: current.metadata.resourceVersion ?? "" });
}

class RefusedError extends Error {}

async function approve(inv: Invocation): Promise<void> {
  const [kind, name] = inv.args.positionals;
  if (kindOrThrow(kind) !== TRADE) throw new UsageError("only trades are approved: spreadops approve trade NAME");
  const trade = await patchSpec(inv, TRADE, nameOrThrow(name, "trade"), { approved: true }, (object) => {
    const t = object as TradeResource;
    if (t.spec?.approved === true) return `trade ${t.metadata.name} is already approved (phase ${t.status?.phase ?? "Pending"})`;
    if (t.spec?.rejected === true) return `trade ${t.metadata.name} was rejected (phase ${t.status?.phase ?? "Pending"}); a rejected proposal cannot be approved`;
    const phase = t.status?.phase ?? "Proposed";
    if (phase !== "Proposed" && phase !== "Previewed") return `trade ${t.metadata.name} is ${phase}; only a Proposed or Previewed trade can be approved`;
    return undefined;
  }) as TradeResource;
  const p = trade.status?.preview;
  inv.io.stdout(`trade/${trade.metadata.name} approved` + (p === undefined ? "\n" : ` (max loss $${p.maxLoss.toFixed(2)}, max profit $${p.maxProfit.toFixed(2)}, margin ${p.initMargin === undefined ? "unknown" : `$${p.initMargin.toFixed(2)}`})\n`));
}

/** The CLI's name on the Events it records (the controller's are "spreadops-controller"). */
const CLI_COMPONENT = "spreadops-cli";

/** A reason longer than this is refused: an Event's message is meant to be read, and clusters cap it near 1 KiB. */
const MAX_REASON_LENGTH = 1024;

async function reject(inv: Invocation): Promise<void> {
  const [kind, name] = inv.args.positionals;
  if (kindOrThrow(kind) !== TRADE) throw new UsageError("only trades are rejected: spreadops reject trade NAME [--reason TEXT]");
  const target = nameOrThrow(name, "trade");
  // Checked before the patch: a bad reason must not leave a rejection without its reason.
  const reason = inv.args.reason?.trim();
  if (reason === "") throw new UsageError("--reason needs a value");
  if (reason !== undefined && reason.length > MAX_REASON_LENGTH) throw new UsageError(`--reason: at most ${MAX_REASON_LENGTH} characters`);
  const trade = await patchSpec(inv, TRADE, target, { rejected: true }, (object) => {
    const t = object as TradeResource;
    const phase = t.status?.phase ?? "Proposed";
    if (t.spec?.approved === true) return `trade ${t.metadata.name} is already approved (phase ${t.status?.phase ?? "Pending"}); only a trade not yet approved can be rejected`;
    if (t.spec?.rejected === true) return `trade ${t.metadata.name} is already rejected (phase ${phase})`;
    if (phase !== "Proposed" && phase !== "Previewed") return `trade ${t.metadata.name} is ${phase}; only a Proposed or Previewed trade can be rejected`;
    return undefined;
  }) as TradeResource;
  if (reason !== undefined) {
    const namespace = trade.metadata.namespace ?? namespaceOf(inv);
    try {
      await inv.session.store.recordEvent(namespace, {
        involvedObject: { apiVersion: trade.apiVersion, kind: trade.kind, namespace, name: trade.metadata.name, ...(trade.metadata.uid === undefined ? {} : { uid: trade.metadata.uid }) },
        type: "Normal",
        reason: "RejectedByUser",
        message: reason,
        component: CLI_COMPONENT,
      });
    } catch (error) {
      // The rejection is in spec already (that is what counts); only the note about why is lost.
      inv.io.stderr(`spreadops reject: warning: trade/${trade.metadata.name} is rejected, but the reason could not be recorded as an Event: ${(error as Error).message}\n`);
    }
  }
  inv.io.stdout(`trade/${trade.metadata.name} rejected\n`);
}

async function setPaused(inv: Invocation, paused: boolean): Promise<void> {
  const [kind, name] = inv.args.positionals;
  if (kindOrThrow(kind) !== STRATEGY) throw new UsageError(`only strategies are ${paused ? "paused" : "resumed"}: spreadops ${paused ? "pause" : "resume"} strategy NAME`);
  const strategy = await patchSpec(inv, STRATEGY, nameOrThrow(name, "strategy"), { paused });
  inv.io.stdout(`strategy/${strategy.metadata.name} ${paused ? "paused" : "resumed"}\n`);
}

async function remove(inv: Invocation): Promise<void> {
  const [kind, name] = inv.args.positionals;
  const type = kindOrThrow(kind);
  const target = nameOrThrow(name, type.kind);
  await inv.session.store.delete(type, namespaceOf(inv), target);
  inv.io.stdout(`${type.kind.toLowerCase()}/${target} deleted` + (type === STRATEGY ? " (its working orders are cancelled; open trades stay open and are reported)\n" : "\n"));
}

const ACTIONS: Readonly<Record<string, { summary: string; run: (inv: Invocation) => Promise<void> }>> = {
  get: { summary: "list strategies or trades (get strategies|trades [NAME] [-n NS|-A] [-o wide|yaml|json])", run: get },
  describe: { summary: "status, conditions and events of one resource (describe strategy|trade NAME)", run: describe },
  approve: { summary: "approve a proposed trade (approve trade NAME)", run: approve },
  reject: { summary: "reject a proposed trade: it ends Rejected and is never placed (reject trade NAME [--reason TEXT])", run: reject },
  pause: { summary: "pause a strategy: no new entries, open trades keep their exits (pause strategy NAME)", run: (inv) => setPaused(inv, true) },
  resume: { summary: "resume a paused strategy (resume strategy NAME)", run: (inv) => setPaused(inv, false) },
  delete: { summary: "delete a strategy or a trade (delete strategy|trade NAME)", run: remove },
};

/** Runs one resource action with the store from `deps`, mapping every failure to a message and an exit code. */
async function runAction(name: string, run: (inv: Invocation) => Promise<void>, io: CommandIo, deps: ResourceCommandDeps): Promise<number> {
  let args: ResourceArgs;
  try {
    args = parseResourceArgs(io.argv);
  } catch (error) {
    io.stderr(`spreadops ${name}: ${(error as Error).message}\n`);
    return ExitCode.usage;
  }
  if (args.reason !== undefined && name !== "reject") {
    // Said rather than silently dropped: someone writing a reason expects it kept somewhere.
    io.stderr(`spreadops ${name}: --reason is only for reject\n`);
    return ExitCode.usage;
  }
  let session: StoreSession | undefined;
  try {
    session = await deps.connect(args, io);
    await run({ args, session, io, now: (deps.now ?? Date.now)() });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof UsageError) { io.stderr(`spreadops ${name}: ${error.message}\n`); return ExitCode.usage; }
    if (error instanceof RefusedError) { io.stderr(`spreadops ${name}: ${error.message}\n`); return ExitCode.failure; }
    if (isStoreError(error)) {
      const causes = error.causes.map((c) => `\n  ${c.field}: ${c.message}`).join("");
      const where = session === undefined ? "" : ` (${session.target})`;
      io.stderr(`spreadops ${name}: ${error.reason}: ${error.message}${causes}${error.reason === "Unavailable" ? where : ""}\n`);
      return ExitCode.failure;
    }
    io.stderr(`spreadops ${name}: ${(error as Error).message}\n`);
    return ExitCode.failure;
  } finally {
    await session?.close();
  }
}

/** `spreadops get|describe|approve|reject|pause|resume|delete`: kubectl-like commands on Strategy and Trade resources. */
export function resourceCommands(deps: ResourceCommandDeps): Command[] {
  const commands: Command[] = Object.entries(ACTIONS).map(([name, action]) => ({
    name,
    summary: action.summary,
    run: (io: CommandIo) => runAction(name, action.run, io, deps),
  }));
  const apply = deps.apply;
  if (apply !== undefined) {
    commands.push({
      name: "apply",
      summary: "create or update resources from manifest files or folders (apply -f FILE|DIR)",
      run: (io) => runAction("apply", async (inv) => {
        if (inv.args.files.length === 0) throw new UsageError("give the manifests with -f FILE|DIR");
        for (const line of await apply(inv.session, inv.args.files)) inv.io.stdout(`${line}\n`);
      }, io, deps),
    });
  }
  return commands;
}
