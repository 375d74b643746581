import { constants } from "node:fs";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { StorePersistence, StoreSnapshot } from "./persistence.js";
import { snapshotToJson } from "./snapshot-json.js";

/** Lock files this process holds: a second store on the same directory would overwrite the first. */
const heldLocks = new Set<string>();

/**
 * Keeps the embedded store's state in one JSON file (`store.json`) under a data directory.
 * Every save writes a temporary file, fsyncs it, renames it over the state file and fsyncs the
 * directory: a crash leaves either the old or the new state, never a torn one. Saves run one at
 * a time. A lock file (`store.lock`, with the owner's pid) keeps a second process out.
 */
export class FilePersistence implements StorePersistence {
  readonly dataDir: string;
  readonly file: string;
  readonly #temp: string;
  readonly #lock: string;
  #queue: Promise<void> = Promise.resolve();
  #locked = false;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.file = join(dataDir, "store.json");
    this.#temp = join(dataDir, "store.json.tmp");
    this.#lock = join(dataDir, "store.lock");
  }

  get description(): string {
    return this.file;
  }

  async load(): Promise<StoreSnapshot | undefined> {
    await mkdir(this.dataDir, { recursive: true });
    await this.#acquireLock();
    try {
      return await this.#read();
    } catch (error) {
      // Nobody will use this persistence: let the next attempt (after a repair) lock the directory.
      await this.close();
      throw error;
    }
  }

  async #read(): Promise<StoreSnapshot | undefined> {
    // A temporary file is a save that never completed (its caller never saw success): drop it.
    await rm(this.#temp, { force: true });
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return undefined;
      throw new Error(`cannot read the store file ${this.file}: ${message(error)}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`the store file ${this.file} is corrupt (${message(error)}); it was left as it is: repair it, or move it away to start empty`, { cause: error });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error(`the store file ${this.file} is corrupt (not a JSON object); it was left as it is: repair it, or move it away to start empty`);
    }
    return parsed as StoreSnapshot;
  }

  save(snapshot: StoreSnapshot): Promise<void> {
    const saved = this.#queue.then(() => this.#write(snapshotToJson(snapshot)));
    this.#queue = saved.catch(() => undefined);
    return saved;
  }

  async close(): Promise<void> {
    await this.#queue;
    if (!this.#locked) return;
    this.#locked = false;
    heldLocks.delete(this.#lock);
    await rm(this.#lock, { force: true });
  }

  async #write(text: string): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.#temp, "w");
      await handle.writeFile(text, "utf8");
      await handle.sync();
      await handle.close();
      handle = undefined;
      await rename(this.#temp, this.file);
      await syncDirectory(this.dataDir);
    } catch (error) {
      await handle?.close();
      throw new Error(`cannot write the store file ${this.file}: ${message(error)}`, { cause: error });
    }
  }

  async #acquireLock(): Promise<void> {
    if (this.#locked) return;
    if (heldLocks.has(this.#lock)) throw new Error(`the data directory ${this.dataDir} is already open in this process`);
    if (!(await this.#createLock())) {
      const owner = Number((await readFile(this.#lock, "utf8")).trim());
      // A lock left by a process that is gone (or by an earlier run with our pid, as pid 1 in a container) is stale.
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(`the data directory ${this.dataDir} is in use by process ${owner} (${this.#lock})`);
      }
      await writeFile(this.#lock, String(process.pid));
    }
    heldLocks.add(this.#lock);
    this.#locked = true;
  }

  /** Creates the lock file; false when it already exists. */
  async #createLock(): Promise<boolean> {
    try {
      await writeFile(this.#lock, String(process.pid), { flag: "wx" });
      return true;
    } catch (error) {
      if (isErrno(error, "EEXIST")) return false;
      throw new Error(`cannot lock the data directory ${this.dataDir}: ${message(error)}`, { cause: error });
    }
  }
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is as durable as they allow.
    if (!isErrno(error, "EISDIR") && !isErrno(error, "EPERM") && !isErrno(error, "EINVAL")) throw error;
  } finally {
    await handle?.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, "EPERM");
  }
}

const isErrno = (error: unknown, code: string): boolean =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
