/**
 * Holders of one lock file on one thread, run as a child process by
 * file_lock_test.ts (a thread the lock blocks never ends, so the test watches
 * it from outside). Prints one JSON array: the order things happened in.
 *
 * Usage: deno run --allow-read --allow-write _lock_holders.ts DIR queue|failed
 */
import { FileLock } from "../../src/platform/file_lock.ts";

const [dir, scenario] = Deno.args;
const path = `${dir}/.lock`;
const seen: string[] = [];
const [a, b, c] = [await FileLock.open(path), await FileLock.open(path), await FileLock.open(path)];
await a.acquire();
seen.push("a");
const bTook = b.acquire().then(
  () => seen.push("b"),
  (error) => seen.push(`b failed: ${error.name}`),
);
const cTook = (scenario === "queue" ? c.acquireWithoutBlocking() : c.acquire()).then(() =>
  seen.push("c")
);
if (scenario === "failed") b.close();
// The holder goes on across a real wait (a timer) while the others wait in line.
await new Promise((resolve) => setTimeout(resolve, 30));
seen.push("a waited");
await a.release();
await bTook;
if (b.held) await b.release();
await cTook;
seen.push(`c held: ${c.held}`);
await c.release();
for (const lock of [a, b, c]) lock.close();
await Deno.stdout.write(new TextEncoder().encode(`${JSON.stringify(seen)}\n`));
