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
 * Options, for a file whose owner matters (a credential in a profile): with
 * `noFollow`, a link in the path's last part is not followed and is refused
 * with `LinkRefusedError`, before anything of what it leads to is looked at
 * (the path is looked at without following it, opened with `O_NOFOLLOW`, and
 * the handle must be the file that was looked at: Deno, with a read
 * permission narrower than `-A`, opens the path its permission check
 * resolved, so `O_NOFOLLOW` alone does not hold); `judge` is given the open handle's owner and mode before a
 * byte is read, and refuses the file by throwing. Without them, nothing
 * changes.
 *
 * @example
 * ```ts
 * const bytes = await readSmallRegularFile("/home/ana/.thoth/proxy_api_key.json", 64 * 1024);
 * ```
 */
import * as fs from "node:fs";
import { FileOverLimitError } from "./read_regular_file.ts";

export { FileOverLimitError };

/** Refuses a link where `noFollow` asked for none; says nothing of where it leads. */
export class LinkRefusedError extends Error {
  /** The refusal of the link at `path`. */
  constructor(readonly path: string) {
    super("it is a symbolic link");
    this.name = "LinkRefusedError";
  }
}

/** What the open handle is, for {@linkcode ReadSmallOptions.judge}. */
export interface OpenFileFacts {
  /** The owner's uid (null on Windows). */
  readonly uid: number | null;
  /** The mode bits (null on Windows). */
  readonly mode: number | null;
}

/** How {@linkcode readSmallRegularFile} opens the file. */
export interface ReadSmallOptions {
  /** Refuse a link in the path's last part (`LinkRefusedError`) instead of following it. */
  readonly noFollow?: boolean;
  /** Called with the open handle's owner and mode before anything is read; throws to refuse. */
  readonly judge?: (facts: OpenFileFacts) => void;
}

/** The bytes of the regular file at `path`, when there are at most `limit` of them. */
export function readSmallRegularFile(
  path: string,
  limit: number,
  options: ReadSmallOptions = {},
): Promise<Uint8Array> {
  return Deno.build.os === "windows"
    ? readWithDeno(path, limit, options)
    : Promise.resolve().then(() => readWithNodeFs(path, limit, options));
}

function readWithNodeFs(path: string, limit: number, options: ReadSmallOptions): Uint8Array {
  const { O_RDONLY, O_NONBLOCK, O_NOCTTY, O_NOFOLLOW } = fs.constants;
  let fd: number;
  // Deno, given a read permission narrower than -A, opens the path its permission check
  // resolved, links followed: O_NOFOLLOW alone does not hold. The path is looked at first
  // (lstat follows nothing, and waits on no FIFO), and the handle must be what was seen.
  let seen: fs.Stats | undefined;
  if (options.noFollow === true) {
    try {
      seen = fs.lstatSync(path);
    } catch (error) {
      throw denoError(error);
    }
    if (seen.isSymbolicLink()) throw new LinkRefusedError(path);
  }
  try {
    // O_NOFOLLOW only when asked: a Kubernetes secret mount is a link to the real file.
    const noFollow = options.noFollow === true ? O_NOFOLLOW : 0;
    fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | (O_NOCTTY ?? 0) | noFollow);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Linux and macOS say ELOOP for a link refused by O_NOFOLLOW, FreeBSD EMLINK.
    if (options.noFollow === true && (code === "ELOOP" || code === "EMLINK")) {
      throw new LinkRefusedError(path);
    }
    throw denoError(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    // Swapped for a link (or anything else) since it was looked at: refused as a link.
    if (seen !== undefined && (stat.dev !== seen.dev || stat.ino !== seen.ino)) {
      throw new LinkRefusedError(path);
    }
    if (!stat.isFile()) throw notRegular();
    options.judge?.({ uid: stat.uid, mode: stat.mode });
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

async function readWithDeno(
  path: string,
  limit: number,
  options: ReadSmallOptions,
): Promise<Uint8Array> {
  // No O_NOFOLLOW here: the link is looked at first.
  if (options.noFollow === true && (await Deno.lstat(path)).isSymlink) {
    throw new LinkRefusedError(path);
  }
  using file = await Deno.open(path, { read: true });
  const stat = await file.stat();
  if (!stat.isFile) throw notRegular();
  options.judge?.({ uid: stat.uid, mode: stat.mode });
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
