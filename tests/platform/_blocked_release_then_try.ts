/**
 * Runs `_release_then_try.ts` as a child while this thread waits for it
 * synchronously: the holder of `path` lets go and another process tries the
 * lock, with this process's thread blocked all the while. Returns whether the
 * other process took the lock (a lock this process asked for on Deno's
 * thread pool is given to it instead).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const RELEASE_THEN_TRY = fileURLToPath(new URL("./_release_then_try.ts", import.meta.url));

/** `{ taken }` as the child printed it; `dir` holds the lock and release files. */
export function releaseThenTryBlocked(
  dir: string,
  path: string,
  releaseFile: string,
): { taken: boolean } {
  const tried = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      "--no-prompt",
      RELEASE_THEN_TRY,
      path,
      releaseFile,
    ],
    stderr: "inherit",
  }).outputSync();
  assert.equal(tried.code, 0);
  return JSON.parse(new TextDecoder().decode(tried.stdout));
}
