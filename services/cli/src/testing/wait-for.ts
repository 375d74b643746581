/** Polls `get` every 50 ms until it gives a value (not undefined); throws after `timeoutMs`. */
export async function waitFor<T>(get: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, what = "a value"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
