/**
 * FileLock: holders of one lock path on one thread take turns without
 * blocking it. Each case runs in a child process (_lock_holders.ts): a lock
 * that blocked the thread would never end, so a deadline stands in for it.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { tempFolder } from "../_temp_dirs.ts";
import { runHolders } from "./_run_holders.ts";

const HOLDERS = fileURLToPath(new URL("./_lock_holders.ts", import.meta.url));

/** Runs the holders of `scenario`; what they saw, or a failure naming a blocked thread. */
async function holders(scenario: string): Promise<string[]> {
  const dir = await tempFolder("thoth-lock-");
  return await runHolders(HOLDERS, dir, [dir, scenario]);
}

Deno.test("holders of one lock on one thread wait in turn while the holder goes on", async () => {
  assert.deepEqual(await holders("queue"), ["a", "a waited", "b", "c", "c held: true"]);
});

Deno.test("a holder whose take fails in its turn passes the turn on", async () => {
  assert.deepEqual(await holders("failed"), [
    "a",
    "a waited",
    "b failed: BadResource",
    "c",
    "c held: true",
  ]);
});
