/**
 * The device's public keys file (`keys/audit-signing-keys.json`) read once,
 * as bytes, so that a verification can judge the log with the keys read in
 * the same snapshot as its end (see `log_snapshot.ts`), and an export can
 * tell whether the keys it bundles are the ones the log was verified with.
 * Only a regular file of at most {@linkcode KEYS_FILE_LIMIT} bytes is read
 * (a FIFO or a huge file in its place is refused at once: it may be read
 * under the writers' lock). Thin I/O; {@linkcode keysFileEntries} is pure.
 *
 * @example
 * ```ts
 * const read = await readKeysFileOnce(auditPaths("/home/ana/.thoth").publicKeys);
 * keysFileEntries(read, "audit-signing-keys.json"); // [{ name: "ana-laptop", … }]
 * ```
 */
import { AppError } from "../errors.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/**
 * The most bytes the public keys file may hold: one entry is about 200
 * bytes, and a device rotates its key a few times a year.
 */
export const KEYS_FILE_LIMIT = 4 * 1024 * 1024;

/** The keys file's bytes (undefined: there is none), or why it could not be read. */
export type KeysFileRead =
  | { readonly bytes: Uint8Array<ArrayBuffer> | undefined }
  | { readonly error: unknown };

/** Reads the keys file at `path`; never throws. */
export async function readKeysFileOnce(path: string): Promise<KeysFileRead> {
  try {
    return { bytes: await readRegularFile(path, { limit: KEYS_FILE_LIMIT }) };
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? { bytes: undefined } : { error };
  }
}

/**
 * The parsed entries, as `readPublicKeys` gives them: none for a missing
 * file; the read's error again; `audit.bad_key` when it is not JSON.
 */
export function keysFileEntries(read: KeysFileRead, path: string): unknown {
  if ("error" in read) throw read.error;
  if (read.bytes === undefined) return [];
  try {
    return JSON.parse(new TextDecoder().decode(read.bytes));
  } catch (cause) {
    throw new AppError("audit.bad_key", `the audit key file "${path}" is not valid JSON`, {
      hints: ['restore it from a backup; run "thoth doctor" for what to do if it is lost'],
      cause,
    });
  }
}
