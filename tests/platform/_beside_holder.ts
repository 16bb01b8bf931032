/**
 * One writer taking the lock beside a file, run as a child process by
 * lock_beside_test.ts: it notes each step in `<file>.log`, and holds the lock
 * until the test makes `<file>.go-NAME`. With WAIT_MS it waits that long at
 * most (its note after a fifth of it), and notes how it gave up.
 *
 * Usage: deno run -A _beside_holder.ts FILE NAME [WAIT_MS]
 */
import { lockBeside } from "../../src/platform/lock_beside.ts";
import { isAppError } from "../../src/errors.ts";

const [file, name, wait] = Deno.args as [string, string, string | undefined];
const note = (step: string) =>
  Deno.writeTextFileSync(`${file}.log`, `${name} ${step}\n`, { append: true });
note("started");
const waitMs = wait === undefined ? undefined : Number(wait);
let lock;
try {
  lock = await lockBeside(
    file,
    waitMs === undefined ? {} : {
      patience: { waitMs, noteAfterMs: waitMs / 5 },
      note: (message) => note(`waiting: ${message}`),
    },
  );
} catch (error) {
  note(`gave up: ${isAppError(error) ? error.code : error}`);
  Deno.exit(0);
}
note("took");
while (true) {
  try {
    await Deno.stat(`${file}.go-${name}`);
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
note("done");
await lock.release();
