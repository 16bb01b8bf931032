/**
 * Run as its own process by `tail_from_end_test.ts`: `thoth audit tail
 * <args>` against the profile `home`, and the bytes it read from the files
 * in the profile's audit folder (its segments, state and keys), counted at
 * Deno's file API: every way thoth reads a file through it (`Deno.open` or
 * `openSync` then `read`, `readSync` or `readable`; `Deno.readFile`,
 * `readTextFile` and their sync forms) adds what it returned when the file
 * is in that folder. Nothing else is counted: not Deno loading modules or
 * reading its caches, which the process's own count (`/proc/<pid>/io`) took
 * in at times under load, nor reads of other files. A process of its own,
 * so that the counting wrappers never reach the test runner.
 *
 * Usage: `deno run -P=test _tail_read_bytes.ts <home> [tail args…]`; prints
 * `{"code", "out", "err", "read"}` as one line of JSON.
 */
import { auditPaths } from "../../src/audit/log_paths.ts";
import { thothAudit } from "./_audit_cli.ts";

const [home, ...args] = Deno.args;
if (home === undefined) throw new Error("usage: _tail_read_bytes.ts <home> [tail args…]");

const folder = `${auditPaths(home).dir}/`;
let read = 0;

/** Whether `path` names a file in the audit folder (relative paths from the working folder). */
function counted(path: string | URL): boolean {
  const text = path instanceof URL ? decodeURIComponent(path.pathname) : path;
  return (text.startsWith("/") ? text : `${Deno.cwd()}/${text}`).startsWith(folder);
}

// The open files of the audit folder: their reads count.
const files = new WeakSet<Deno.FsFile>();
const { open, openSync, readFile, readFileSync, readTextFile, readTextFileSync } = Deno;
Deno.open = async (path, options) => {
  const file = await open(path, options);
  if (counted(path)) files.add(file);
  return file;
};
Deno.openSync = (path, options) => {
  const file = openSync(path, options);
  if (counted(path)) files.add(file);
  return file;
};
const fsFile = Deno.FsFile.prototype;
const { read: readAsync, readSync } = fsFile;
fsFile.read = async function (this: Deno.FsFile, buffer: Uint8Array) {
  const n = await readAsync.call(this, buffer);
  if (files.has(this)) read += n ?? 0;
  return n;
};
fsFile.readSync = function (this: Deno.FsFile, buffer: Uint8Array) {
  const n = readSync.call(this, buffer);
  if (files.has(this)) read += n ?? 0;
  return n;
};
const readable = Object.getOwnPropertyDescriptor(fsFile, "readable")!.get!;
Object.defineProperty(fsFile, "readable", {
  get(this: Deno.FsFile) {
    const stream = readable.call(this) as ReadableStream<Uint8Array>;
    if (!files.has(this)) return stream;
    return stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          read += chunk.length;
          out.enqueue(chunk);
        },
      }),
    );
  },
});
const encoder = new TextEncoder();
Deno.readFile = async (path, options) => {
  const bytes = await readFile(path, options);
  if (counted(path)) read += bytes.length;
  return bytes;
};
Deno.readFileSync = (path) => {
  const bytes = readFileSync(path);
  if (counted(path)) read += bytes.length;
  return bytes;
};
Deno.readTextFile = async (path, options) => {
  const text = await readTextFile(path, options);
  if (counted(path)) read += encoder.encode(text).length;
  return text;
};
Deno.readTextFileSync = (path) => {
  const text = readTextFileSync(path);
  if (counted(path)) read += encoder.encode(text).length;
  return text;
};

const result = await thothAudit(home, "tail", ...args);
await Deno.stdout.write(new TextEncoder().encode(`${JSON.stringify({ ...result, read })}\n`));
