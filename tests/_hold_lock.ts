/**
 * Another process holding a lock file (see `fixtures/platform/hold_lock.ts`):
 * started and holding when `holdLock` resolves; `release` lets go and waits
 * for the process to end. `maxMs` bounds the hold, so that code which waits
 * for ever (the code before a fix) still ends, late.
 *
 * @example
 * ```ts
 * await using holder = await holdLock(`${home}/audit/.lock`);
 * // … the code under test waits for it …
 * await holder.release();
 * ```
 */
import { fileURLToPath } from "node:url";

const HOLDER = fileURLToPath(new URL("./fixtures/platform/hold_lock.ts", import.meta.url));

/** A lock held by another process. */
export interface HeldLock extends AsyncDisposable {
  /** The file whose making lets the holder go (another process may make it). */
  releaseFile: string;
  /** Lets go of the lock and waits for the holder to end. */
  release(): Promise<void>;
}

/** Starts a process that holds `path` locked (making the file) for at most `maxMs`. */
export async function holdLock(path: string, maxMs = 8_000): Promise<HeldLock> {
  const folder = path.slice(0, path.lastIndexOf("/"));
  const release = `${path}.release-${crypto.randomUUID()}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--allow-read=${folder}`,
      `--allow-write=${folder}`,
      "--no-prompt",
      HOLDER,
      path,
      release,
      String(maxMs),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  if (new TextDecoder().decode(value ?? new Uint8Array()).trim() !== "held") {
    child.kill("SIGKILL");
    await child.status;
    throw new Error(`the lock holder did not take "${path}"`);
  }
  let ended: Promise<void> | undefined;
  const end = () => {
    ended ??= (async () => {
      await Deno.writeTextFile(release, "");
      await child.stdout.cancel();
      await child.status;
      await Deno.remove(release).catch(() => {});
    })();
    return ended;
  };
  return { releaseFile: release, release: end, [Symbol.asyncDispose]: end };
}
