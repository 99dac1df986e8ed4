/**
 * Polls `probe` until it returns a value other than undefined/false, or fails with a message that
 * says what was awaited and what was last seen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; describe?: () => Promise<string> } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const seen = opts.describe
        ? await opts.describe().catch((e: unknown) => `(describe failed: ${String(e)})`)
        : "";
      const errText = lastError
        ? ` Last error: ${lastError instanceof Error ? lastError.message : String(lastError)}.`
        : "";
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}.${errText}${seen ? ` Last seen: ${seen}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
