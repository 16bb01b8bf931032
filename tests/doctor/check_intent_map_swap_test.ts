/**
 * The doctor's intent map check, run as root by a management tool over a
 * user's profile, refuses a FIFO or a device the user swaps in while it
 * reads: it is never blocked, and never reads what a device gives.
 */
import assert from "node:assert/strict";
import { checkIntentMap } from "../../src/doctor/check_intent_map.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { startSwapper } from "../platform/_swapper.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const ROUNDS = 3_000;

for (const kind of ["FIFO", "device"] as const) {
  Deno.test({
    name: `checkIntentMap() refuses a ${kind} swapped in for the intent map, at once`,
    ignore: !HAS_FIFO,
    fn: () =>
      withTempDir(async (dir) => {
        const home = `${dir}/home`;
        await Deno.mkdir(home);
        await Deno.writeTextFile(`${dir}/map.json`, "{}");
        const other = kind === "FIFO" ? `${dir}/fifo` : "/dev/null";
        if (kind === "FIFO") await makeFifo(other);
        const swapper = await startSwapper(`${home}/intent_map.json`, [`${dir}/map.json`, other]);
        const seen = new Set<string>();
        try {
          for (let i = 0; i < ROUNDS; i++) {
            const run = () => checkIntentMap(testContext(home));
            const check = kind === "FIFO" ? await settlesAtOnce(run, other) : await run();
            if (check.status === "pass") seen.add("read");
            else {
              // Never "not valid JSON": what a device gives is not read.
              assert.match(check.message, /is not a regular file/);
              seen.add("refused");
            }
          }
        } finally {
          await swapper.stop();
        }
        assert.deepEqual([...seen].sort(), ["read", "refused"]);
      }),
  });
}

Deno.test("checkIntentMap() refuses an intent map past 1 MiB without reading it whole", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/intent_map.json`, "{}" + " ".repeat(1024 * 1024));
    const check = await checkIntentMap(testContext(dir));
    assert.equal(check.status, "fail");
    assert.match(check.message, /is 1048578 bytes, over the 1 MiB \(1048576-byte\) limit/);
  }));
