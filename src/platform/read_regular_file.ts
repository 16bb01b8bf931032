/**
 * Reads a whole file only when it is a regular file (or a link to one), so
 * that a FIFO or a device in its place is refused at once instead of
 * blocking the read for ever (see {@linkcode openRegularFile}). Throws what
 * `Deno.readFile` throws (`NotFound`, `PermissionDenied`), and
 * `Deno.errors.InvalidData` with the message "it is not a regular file".
 *
 * @example
 * ```ts
 * const text = new TextDecoder().decode(await readRegularFile("/home/ana/.thoth/policy.jsonc"));
 * ```
 */
import { openRegularFile } from "./open_regular_file.ts";

/** The bytes of the regular file at `path`. */
export async function readRegularFile(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const file = await openRegularFile(path);
  try {
    return await readToEnd(file);
  } finally {
    file.close();
  }
}

/** The rest of an open `file`, read to its end (it stays open). */
export async function readToEnd(file: Deno.FsFile): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(64 * 1024);
    const n = await file.read(chunk);
    if (n === null) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
