/**
 * A port already in use, said the way a person can act on: which part wanted it, the usual
 * reason (another `npm start`, or TWS itself on 7497), and the flag that moves it.
 */
export async function explainListen<T>(what: string, flag: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new Error(
      `${what}: ${(error as Error).message} — is another \`npm start\` (or a TWS on this port) running? Stop it, or choose another port with ${flag} (0 picks a free one)`,
      { cause: error },
    );
  }
}
