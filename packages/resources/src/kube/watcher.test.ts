import { describe, expect, it } from "vitest";
import { isStoreError } from "../store/types.js";
import type { KubeObject, WatchEvent } from "../store/types.js";
import { startWatch } from "./watcher.js";
import type { WatchSource } from "./watcher.js";

/** One request the fake source received, with the means to answer it as client-node would. */
interface FakeRequest {
  path: string;
  query: Record<string, string | number | boolean | undefined>;
  controller: AbortController;
  send(phase: string, object: unknown): void;
  done(error: unknown): void;
}

/** client-node's Watch, scripted: each request is kept so a test can feed or end it. */
class FakeWatchSource implements WatchSource {
  readonly requests: FakeRequest[] = [];
  /** Answers the next request by calling `done` at once with this, as a refused request does. */
  refuseNext: unknown = undefined;

  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, object: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    let ended = false;
    const finish = (error: unknown): void => {
      if (ended) return;
      ended = true;
      done(error);
    };
    // Like client-node: aborting ends the stream with an AbortError passed to done.
    controller.signal.addEventListener("abort", () => {
      finish(new Error("The operation was aborted."));
    });
    this.requests.push({ path, query, controller, send: (phase, object) => { if (!ended) callback(phase, object); }, done: finish });
    if (this.refuseNext !== undefined) {
      const refusal = this.refuseNext;
      this.refuseNext = undefined;
      finish(refusal);
    }
    return Promise.resolve(controller);
  }

  last(): FakeRequest {
    const request = this.requests.at(-1);
    if (request === undefined) throw new Error("no watch request yet");
    return request;
  }
}

const object = (name: string, resourceVersion: string): KubeObject => ({
  apiVersion: "test.spreadops.dev/v1",
  kind: "Widget",
  metadata: { name, namespace: "ns", resourceVersion },
});

function recorder() {
  const events: WatchEvent<KubeObject>[] = [];
  const closes: Error[] = [];
  return {
    events,
    closes,
    options: (resourceVersion: string) => ({
      resourceVersion,
      onEvent: (event: WatchEvent<KubeObject>) => events.push(event),
      onClose: (error: Error) => closes.push(error),
    }),
  };
}

const PATH = "/apis/test.spreadops.dev/v1/namespaces/ns/widgets";

describe("startWatch (resumable watch over client-node's Watch)", () => {
  it("asks for the given version with bookmarks and delivers object events in order", async () => {
    const source = new FakeWatchSource();
    const seen = recorder();
    await startWatch(source, PATH, "watching widgets", seen.options("7"));
    expect(source.last()).toMatchObject({ path: PATH, query: { resourceVersion: "7", allowWatchBookmarks: true } });
    source.last().send("ADDED", object("a", "8"));
    source.last().send("MODIFIED", object("a", "9"));
    source.last().send("DELETED", object("a", "10"));
    expect(seen.events.map((e) => `${e.type} ${e.object.metadata.resourceVersion ?? ""}`)).toEqual(["ADDED 8", "MODIFIED 9", "DELETED 10"]);
    expect(seen.closes).toEqual([]);
  });

  it("resumes after the server ends the stream, from the last event or bookmark version", async () => {
    const source = new FakeWatchSource();
    const seen = recorder();
    await startWatch(source, PATH, "watching widgets", seen.options("7"));
    source.last().send("ADDED", object("a", "8"));
    source.last().send("BOOKMARK", { kind: "Widget", metadata: { resourceVersion: "12" } });
    source.last().done(null);
    await Promise.resolve();
    expect(source.requests).toHaveLength(2);
    expect(source.last().query.resourceVersion).toBe("12");
    source.last().send("MODIFIED", object("a", "13"));
    expect(seen.events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED"]);
    expect(seen.closes).toEqual([]);
  });

  it("ends with Gone on an ERROR event with code 410 and aborts the request", async () => {
    const source = new FakeWatchSource();
    const seen = recorder();
    await startWatch(source, PATH, "watching widgets", seen.options("7"));
    source.last().send("ERROR", { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410, message: "too old resource version: 7 (40)" });
    expect(seen.closes).toHaveLength(1);
    expect(isStoreError(seen.closes[0], "Gone")).toBe(true);
    expect(seen.closes[0]?.message).toContain("too old resource version");
    expect(source.last().controller.signal.aborted).toBe(true);
    source.last().send("ADDED", object("late", "41"));
    expect(seen.events).toEqual([]);
    expect(source.requests).toHaveLength(1);
  });

  it("maps a refused request (HTTP status) and a transport error to the contract's errors", async () => {
    const source = new FakeWatchSource();
    const gone = recorder();
    source.refuseNext = Object.assign(new Error("Gone"), { statusCode: 410 });
    await startWatch(source, PATH, "watching widgets", gone.options("1"));
    expect(isStoreError(gone.closes[0], "Gone")).toBe(true);

    const reset = recorder();
    await startWatch(source, PATH, "watching widgets", reset.options("1"));
    source.last().done(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect(isStoreError(reset.closes[0], "Unavailable")).toBe(true);
    expect(reset.closes[0]?.message).toContain("socket hang up");
  });

  it("reports a server that hangs up at once instead of reconnecting in a loop", async () => {
    const source = new FakeWatchSource();
    const seen = recorder();
    await startWatch(source, PATH, "watching widgets", seen.options("7"));
    source.last().done(null);
    await Promise.resolve();
    expect(source.requests).toHaveLength(1);
    expect(isStoreError(seen.closes[0], "Unavailable")).toBe(true);
  });

  it("stop() aborts the request and never calls onClose", async () => {
    const source = new FakeWatchSource();
    const seen = recorder();
    const handle = await startWatch(source, PATH, "watching widgets", seen.options("7"));
    handle.stop();
    expect(source.last().controller.signal.aborted).toBe(true);
    source.last().send("ADDED", object("a", "8"));
    expect(seen.events).toEqual([]);
    expect(seen.closes).toEqual([]);
  });

  it("ends the watch with the error when the event handler throws", async () => {
    const source = new FakeWatchSource();
    const closes: Error[] = [];
    await startWatch(source, PATH, "watching widgets", {
      resourceVersion: "7",
      onEvent: () => {
        throw new Error("handler broke");
      },
      onClose: (error) => closes.push(error),
    });
    source.last().send("ADDED", object("a", "8"));
    expect(closes.map((e) => e.message)).toEqual(["handler broke"]);
    expect(source.last().controller.signal.aborted).toBe(true);
  });

  it("refuses an event that is not an object event", async () => {
    const source = new FakeWatchSource();
    const seen = recorder();
    await startWatch(source, PATH, "watching widgets", seen.options("7"));
    source.last().send("ADDED", { not: "an object" });
    expect(isStoreError(seen.closes[0], "Unavailable")).toBe(true);
  });
});
