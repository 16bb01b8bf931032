/**
 * Lets a `_hold_lock.ts` holder go (makes its release file), then tries the
 * lock file until it takes it or 10 s pass, lets go, and prints whether it
 * took it. file_lock_polling_test.ts runs it while its own thread is
 * blocked: a lock that process asked for on its thread pool is given to it
 * the moment the holder lets go, and this try never succeeds.
 *
 * Usage: deno run --allow-read --allow-write _release_then_try.ts LOCK RELEASE_FILE
 */
const [path, release] = Deno.args;
await Deno.writeTextFile(release!, "");
const file = await Deno.open(path!, { read: true, write: true });
let taken = false;
for (const until = Date.now() + 10_000; !taken && Date.now() < until;) {
  taken = file.tryLockSync(true);
  if (!taken) await new Promise((resolve) => setTimeout(resolve, 10));
}
if (taken) file.unlockSync();
file.close();
await Deno.stdout.write(new TextEncoder().encode(`${JSON.stringify({ taken })}\n`));
