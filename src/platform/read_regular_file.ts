/**
 * Reads a whole file only when it is a regular file (or a link to one), so
 * that a FIFO or a device in its place is refused at once instead of
 * blocking the read for ever (see {@linkcode openRegularFile}). Throws what
 * `Deno.readFile` throws (`NotFound`, `PermissionDenied`), and
 * `Deno.errors.InvalidData` with the message "it is not a regular file".
 *
 * With a `limit`, a file larger than it is refused with
 * {@linkcode FileOverLimitError}: its size is looked at once open, and never
 * more than `limit + 1` bytes are read, so a file that grows while it is read
 * is refused too, never read whole. Uses only `Deno.*` (it is on `thoth
 * run`'s path).
 *
 * @example
 * ```ts
 * const text = new TextDecoder().decode(await readRegularFile("/home/ana/.thoth/policy.jsonc"));
 * await readRegularFile("/home/ana/.thoth/audit/.state.json", { limit: 1024 * 1024 });
 * ```
 */
import { openRegularFile, openRegularFileSync } from "./open_regular_file.ts";

/** Thrown when a file holds more bytes than a read's limit; its message says both. */
export class FileOverLimitError extends Error {
  /** The file's size in bytes as far as it was seen (at least `limit + 1`). */
  readonly size: number;
  /** The limit, in bytes. */
  readonly limit: number;
  /** `remedy`, when given, ends the message: what to do about such a file. */
  constructor(size: number, limit: number, remedy?: string) {
    super(
      `it is ${size} bytes, over the ${byteCount(limit)} limit` +
        (remedy === undefined ? "" : `: ${remedy}`),
    );
    this.name = "FileOverLimitError";
    this.size = size;
    this.limit = limit;
  }
}

/** How a read is bounded. */
export interface ReadLimit {
  /** The most bytes the file may hold; unbounded when absent. */
  readonly limit?: number;
}

/** What {@linkcode readRegularFileSync}'s `judge` is shown of the file opened. */
export interface OpenedFileFacts {
  readonly uid: number | null;
  readonly mode: number | null;
}

/** A synchronous read: bounded, and judged on the handle opened before a byte is read. */
export interface ReadSyncOptions extends ReadLimit {
  /**
   * Called with the owner and mode of the file actually opened (not of what
   * the path named a moment before: a file swapped in between is the one
   * judged), before anything is read; what it throws is thrown.
   */
  readonly judge?: (facts: OpenedFileFacts) => void;
}

/** The bytes of the regular file at `path` (at most `options.limit` of them). */
export async function readRegularFile(
  path: string,
  options: ReadLimit = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const file = await openRegularFile(path);
  try {
    if (options.limit !== undefined) {
      const size = (await file.stat()).size;
      if (size > options.limit) throw new FileOverLimitError(size, options.limit);
    }
    return await readToEnd(file, options);
  } finally {
    file.close();
  }
}

/** The rest of an open `file`, read to its end (it stays open), at most `options.limit` bytes. */
export async function readToEnd(
  file: Deno.FsFile,
  options: ReadLimit = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const limit = options.limit;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for (;;) {
    // One byte past the limit is enough to know the file is over it.
    const want = limit === undefined ? 64 * 1024 : Math.min(64 * 1024, limit + 1 - total);
    if (want <= 0) break;
    const chunk = new Uint8Array(want);
    const n = await file.read(chunk);
    if (n === null) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  if (limit !== undefined && total > limit) {
    const size = await file.stat().then((info) => info.size, () => total);
    throw new FileOverLimitError(Math.max(size, total), limit);
  }
  return joined(chunks, total);
}

/** `limit` in words: whole MiB or KiB where it is one, else bytes. */
function byteCount(limit: number): string {
  const MiB = 1024 * 1024;
  if (limit >= MiB && limit % MiB === 0) return `${limit / MiB} MiB (${limit}-byte)`;
  if (limit >= 1024 && limit % 1024 === 0) return `${limit / 1024} KiB (${limit}-byte)`;
  return `${limit}-byte`;
}

/**
 * {@linkcode readRegularFile}, synchronously, for the readers that must not
 * await (a config's checks run inside synchronous code): the same refusals,
 * and never more than `limit + 1` bytes read. With a `judge`, the handle
 * opened is judged (its owner and mode) before it is read.
 */
export function readRegularFileSync(
  path: string,
  options: ReadSyncOptions = {},
): Uint8Array<ArrayBuffer> {
  using file = openRegularFileSync(path);
  const limit = options.limit;
  const info = file.statSync();
  options.judge?.({ uid: info.uid, mode: info.mode });
  const size = info.size;
  if (limit !== undefined && size > limit) throw new FileOverLimitError(size, limit);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for (;;) {
    const room = limit === undefined ? Infinity : limit + 1 - total;
    if (room <= 0) break;
    // What is left of the size it said, and 64 KiB more: a file that grows is read on, up to the limit.
    const chunk = new Uint8Array(Math.min(room, Math.max(size - total, 0) + 64 * 1024));
    const n = file.readSync(chunk);
    if (n === null) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  if (limit !== undefined && total > limit) {
    throw new FileOverLimitError(Math.max(file.statSync().size, total), limit);
  }
  return joined(chunks, total);
}

/** `chunks` (`total` bytes in all) as one array. */
function joined(chunks: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
