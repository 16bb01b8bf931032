/**
 * Reads the signing keys a log or a bundle lists, in file order, refusing a
 * keys file that is not a list of well-formed keys, and saying why one could
 * not be read (see {@linkcode readListedKeys}).
 *
 * @example
 * ```ts
 * const keys = await readListedKeys(auditPaths("/home/ana/.thoth").publicKeys);
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { type PublicKeyEntry, readPublicKeys, verifiersOf } from "./device_keys.ts";
import type { NoteVerifier } from "./signed_note.ts";
import { keysFileEntries, type KeysFileRead } from "./keys_file_read.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import { readFailureReason } from "./read_failure_reason.ts";

/**
 * The keys file's entries in order (empty when there is no file). Its first
 * entry is the root of trust without an anchor, so a file that is not a list
 * of well-formed keys stops verification instead of being read around. Why
 * it could not be read is named as it is: permission denied (with the chmod
 * that gives its owner access back), missing, not a regular file, or not
 * valid JSON. `thoth doctor` and `thoth health` read the keys through it too.
 *
 * @example
 * ```ts
 * (await readListedKeys(auditPaths("/home/ana/.thoth").publicKeys)).length; // 1
 * ```
 */
export async function readListedKeys(path: string, read?: KeysFileRead): Promise<NoteVerifier[]> {
  const restore = "restore the keys file from a backup or from the bundle it came with";
  const bad = (why: string, cause?: unknown, hint = restore): AppError =>
    new AppError("audit.bad_keys", `cannot read the signing keys "${path}": ${why}`, {
      hints: [hint],
      ...(cause !== undefined ? { cause } : {}),
    });
  let entries: unknown;
  try {
    entries = read === undefined ? await readPublicKeys(path) : keysFileEntries(read, path);
  } catch (cause) {
    throw unreadableKeys(path, cause, bad);
  }
  if (!Array.isArray(entries)) throw bad(`expected a list of keys, found ${describe(entries)}`);
  const keys: NoteVerifier[] = [];
  for (const [i, entry] of entries.entries()) {
    const key = entry !== null && typeof entry === "object" && !Array.isArray(entry)
      ? verifiersOf([entry as PublicKeyEntry])[0]
      : undefined;
    if (key === undefined) {
      throw bad(`entry ${i} is not a key with a name and a 32-byte publicKey: ${describe(entry)}`);
    }
    keys.push(key);
  }
  return keys;
}

/** Why the keys file at `path` could not be read, as the error `bad` makes. */
function unreadableKeys(
  path: string,
  cause: unknown,
  bad: (why: string, cause: unknown, hint?: string) => AppError,
): AppError {
  if (cause instanceof Deno.errors.PermissionDenied || cause instanceof Deno.errors.NotCapable) {
    const folder = path.slice(0, Math.max(path.lastIndexOf("/"), 1));
    return bad(
      "permission denied",
      cause,
      `run the command as the user who owns the profile, or give that user back access ` +
        `(chmod u+rwx ${shellQuote(folder)} && chmod u+rw ${shellQuote(path)})`,
    );
  }
  if (cause instanceof Deno.errors.NotFound) {
    return bad("it is missing (or a folder on its path is)", cause);
  }
  // Only a file that was read and did not parse is "not valid JSON".
  if (isAppError(cause, "audit.bad_key")) return bad("it is not valid JSON", cause);
  return bad(readFailureReason(cause), cause);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
