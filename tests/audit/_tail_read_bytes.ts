/**
 * Run as its own process by `tail_from_end_test.ts`: `thoth audit tail
 * <args>` against the profile `home`, and the bytes this process read
 * through read(2) and its kin while it ran, as the kernel counts them. A
 * process of its own, so that nothing else is counted: a test process also
 * runs other test files (`deno test --parallel`), whose reads would be.
 *
 * Usage: `deno run -P=test _tail_read_bytes.ts <home> [tail args…]`; prints
 * `{"code", "out", "err", "read"}` as one line of JSON.
 */
import { thothAudit } from "./_audit_cli.ts";

const decoder = new TextDecoder();

/**
 * Bytes this process has read so far, from its `/proc` entry (Deno lets only
 * a process granted everything read its own; `cat`, a child of the same user,
 * may). What `cat` itself reads is counted once it is reaped: a few KiB.
 */
async function bytesRead(): Promise<number> {
  const run = await new Deno.Command("cat", { args: [`/proc/${Deno.pid}/io`], stderr: "piped" })
    .output();
  if (run.code !== 0) throw new Error(`cannot read the I/O counts: ${decoder.decode(run.stderr)}`);
  return Number(/^rchar: (\d+)$/m.exec(decoder.decode(run.stdout))![1]);
}

const [home, ...args] = Deno.args;
if (home === undefined) throw new Error("usage: _tail_read_bytes.ts <home> [tail args…]");
// Once unmeasured first: loading thoth's modules (and, on a clean clone, Deno
// filling its caches) reads far more than tail itself does.
await thothAudit(home, "tail", "-n", "1");
const before = await bytesRead();
const result = await thothAudit(home, "tail", ...args);
const read = await bytesRead() - before;
await Deno.stdout.write(new TextEncoder().encode(`${JSON.stringify({ ...result, read })}\n`));
