/**
 * Run as its own process by `process_umask_test.ts`: sets this process's
 * umask (nothing else runs yet), then counts every later `Deno.umask()` call
 * (each one reads the umask by setting it to 0 and back) while it reads the
 * umask with `processUmask()` or writes new files with `atomicWrite()` and
 * `createExclusive()` without a mode. Prints one line of JSON:
 * `{"umask", "modes", "umaskCalls"}`.
 *
 * Usage, with the umask in octal:
 * - `_under_umask_counted.ts <umask> read`: `processUmask()`, twice;
 * - `_under_umask_counted.ts <umask> write <folder>`: `atomicWrite()` of two
 *   new files and `createExclusive()` of one in `folder`, and their modes.
 */
import { processUmask } from "../../src/platform/process_umask.ts";
import { atomicWrite, createExclusive } from "../../src/platform/atomic_write.ts";

const [mask, what, folder] = Deno.args;
if (mask === undefined || !/^[0-7]{1,4}$/.test(mask)) {
  throw new Error(`expected a umask in octal, found ${JSON.stringify(mask)}`);
}
Deno.umask(parseInt(mask, 8));
const umask = Deno.umask;
let umaskCalls = 0;
Deno.umask = (value?: number) => {
  umaskCalls++;
  return umask(value);
};

const modes: number[] = [];
let read: number | undefined;
if (what === "read" && folder === undefined) {
  read = processUmask();
  if (processUmask() !== read) throw new Error("processUmask() answered twice differently");
} else if (what === "write" && folder !== undefined) {
  const bytes = new TextEncoder().encode("x\n");
  for (const name of ["a", "b"]) await atomicWrite(`${folder}/${name}`, bytes);
  if (!(await createExclusive(`${folder}/c`, bytes))) throw new Error(`"${folder}/c" was there`);
  for (const name of ["a", "b", "c"]) {
    modes.push((Deno.statSync(`${folder}/${name}`).mode ?? 0) & 0o7777);
  }
} else {
  throw new Error(`expected "read" or "write <folder>"`);
}
await Deno.stdout.write(
  new TextEncoder().encode(`${JSON.stringify({ umask: read ?? null, modes, umaskCalls })}\n`),
);
