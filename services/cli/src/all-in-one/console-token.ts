import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** A fresh console token: 24 random bytes, URL-safe, so it sits in a link's fragment as is. */
export function generateConsoleToken(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Writes the console token where the hosted console reads it (`--token-file`): readable by this
 * user only, and replaced in one step so the console never reads half a token. The file keeps the
 * token out of the hosted console's argument list (whatever prints arguments stays clean) and
 * lets the user find the token again after the banner has scrolled away.
 */
export async function writeConsoleToken(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, `${token}\n`, { mode: 0o600 });
  // The mode of writeFile is masked by the umask and ignored for an existing file.
  await chmod(partial, 0o600);
  await rename(partial, path);
}

/** The link that opens the console signed in: the fragment never reaches a server or its logs. */
export function consoleLink(url: string, token: string): string {
  return `${url}/#token=${encodeURIComponent(token)}`;
}
