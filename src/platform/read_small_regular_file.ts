/**
 * Reads a small file only when it is a regular file (or a link to one), for
 * commands that a management tool may run as root over a user's profile
 * (`thoth health`, `thoth doctor`). Looking at a path and then opening it
 * leaves a gap: a FIFO swapped in between blocks the open for ever, a link to
 * `/dev/zero` is read until memory runs out. Here nothing is looked at before
 * the open: the path is opened non-blocking (a FIFO opens at once), the open
 * handle must be a regular file, and at most `limit + 1` bytes are read, so a
 * file that grew past the limit is refused, never read whole.
 *
 * Deno opens without `O_NONBLOCK`, so this uses `node:fs`: it must stay off
 * `thoth run`'s path (`tests/cli/run_path_imports_test.ts`). Windows has no
 * FIFOs to block on: there the handle is checked the same way through Deno.
 *
 * Throws `Deno.errors.NotFound` and `Deno.errors.PermissionDenied` as
 * `Deno.readFile` does, `Deno.errors.InvalidData` with the message "it is not
 * a regular file", and `FileOverLimitError` (`read_regular_file.ts`, whose
 * message says the size as far as it was seen and the limit, as every size
 * refusal of thoth does).
 *
 * @example
 * ```ts
 * const bytes = await readSmallRegularFile("/home/ana/.thoth/proxy_api_key.json", 64 * 1024);
 * ```
 */
import * as fs from "node:fs";
import { FileOverLimitError } from "./read_regular_file.ts";

export { FileOverLimitError };

/** The bytes of the regular file at `path`, when there are at most `limit` of them. */
export function readSmallRegularFile(path: string, limit: number): Promise<Uint8Array> {
  return Deno.build.os === "windows"
    ? readWithDeno(path, limit)
    : Promise.resolve().then(() => readWithNodeFs(path, limit));
}

function readWithNodeFs(path: string, limit: number): Uint8Array {
  const { O_RDONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
  let fd: number;
  try {
    // No O_NOFOLLOW: a Kubernetes secret mount is a link to the real file.
    fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | (O_NOCTTY ?? 0));
  } catch (error) {
    throw denoError(error);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw notRegular();
    const buffer = new Uint8Array(limit + 1);
    let total = 0;
    while (total < buffer.length) {
      let n: number;
      try {
        n = fs.readSync(fd, buffer, total, buffer.length - total, null);
      } catch (error) {
        throw denoError(error);
      }
      if (n === 0) break;
      total += n;
    }
    if (total > limit) throw overLimit(fs.fstatSync(fd).size, total, limit);
    return buffer.slice(0, total);
  } finally {
    fs.closeSync(fd);
  }
}

async function readWithDeno(path: string, limit: number): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  if (!(await file.stat()).isFile) throw notRegular();
  const buffer = new Uint8Array(limit + 1);
  let total = 0;
  while (total < buffer.length) {
    const n = await file.read(buffer.subarray(total));
    if (n === null) break;
    total += n;
  }
  if (total > limit) throw overLimit((await file.stat()).size, total, limit);
  return buffer.slice(0, total);
}

/** The refusal of a file over `limit`: its size as far as it was seen (`read` bytes at least). */
function overLimit(size: number, read: number, limit: number): FileOverLimitError {
  return new FileOverLimitError(Math.max(size, read), limit);
}

/** A `node:fs` error as the `Deno.errors` class `Deno.readFile` would throw. */
function denoError(error: unknown): unknown {
  if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
    return error;
  }
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ENOENT") return new Deno.errors.NotFound(message, { cause: error });
  if (code === "ENOTDIR") return new Deno.errors.NotADirectory(message, { cause: error });
  if (code === "EACCES" || code === "EPERM") {
    return new Deno.errors.PermissionDenied(message, { cause: error });
  }
  if (code === "EISDIR") return notRegular();
  return error;
}

function notRegular(): Deno.errors.InvalidData {
  return new Deno.errors.InvalidData("it is not a regular file");
}
