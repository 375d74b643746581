import { mkdtempSync } from "node:fs";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { consoleLink, generateConsoleToken, writeConsoleToken } from "./console-token.js";

describe("the all-in-one's console token", () => {
  it("is new at every start, long enough for the console, and URL-safe", () => {
    const tokens = new Set(Array.from({ length: 20 }, () => generateConsoleToken()));
    expect(tokens.size).toBe(20);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("is written readable by this user only, also over a file that was readable by others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spreadops-token-"));
    const path = join(dir, "data", "console-token");
    await writeConsoleToken(path, "first-token-0123456789");
    expect(await readFile(path, "utf8")).toBe("first-token-0123456789\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    await writeFile(path, "old");
    await chmod(path, 0o644);
    await writeConsoleToken(path, "second-token-0123456789");
    expect(await readFile(path, "utf8")).toBe("second-token-0123456789\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("goes into the link's fragment, which browsers never send", () => {
    expect(consoleLink("http://127.0.0.1:8085", "abc_DEF-0123456789")).toBe("http://127.0.0.1:8085/#token=abc_DEF-0123456789");
    // A token given with --console-token may hold anything; the link stays one URL.
    expect(consoleLink("http://127.0.0.1:8085", "a b&c#d/e+f=0123456789")).toBe("http://127.0.0.1:8085/#token=a%20b%26c%23d%2Fe%2Bf%3D0123456789");
  });
});
