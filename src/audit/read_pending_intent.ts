/**
 * The writer's intent in `audit/.pending` (see `pending_batch.ts`) for
 * `thoth audit verify`: its text as read (to tell whether it changed while
 * the log was read) and the intent when its MAC verifies under the
 * device's audit key. Never more than an intent takes is read, only from a
 * regular file; a missing or unreadable file, or a key that cannot be read,
 * is no intent (it vouches for nothing, and is never a reason not to verify).
 *
 * @example
 * ```ts
 * const { text, intent } = await readPendingIntent(auditPaths(thothHome));
 * ```
 */
import { fromBase64 } from "./encoding.ts";
import type { AuditPaths } from "./log_paths.ts";
import {
  parsePendingBatch,
  PENDING_FILE_BYTES,
  type PendingBatch,
  pendingMacKey,
} from "./pending_batch.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** A key file holds 44 characters and a newline: far less than this. */
const KEY_FILE_LIMIT = 4096;

/** What `.pending` held when read. */
export interface PendingRead {
  /** Its first bytes as text; "" when there is none, or it could not be read. */
  text: string;
  /** The intent, when its MAC verifies under the device's audit key. */
  intent?: PendingBatch;
}

/** Reads `paths.pending` and checks it under the key at `paths.hmacKey`. */
export async function readPendingIntent(
  paths: Pick<AuditPaths, "pending" | "hmacKey">,
): Promise<PendingRead> {
  const text = await readHead(paths.pending);
  if (text === "") return { text };
  let raw: Uint8Array | undefined;
  try {
    const keyText = new TextDecoder().decode(
      await readRegularFile(paths.hmacKey, { limit: KEY_FILE_LIMIT }),
    );
    raw = fromBase64(keyText.trim());
  } catch {
    return { text };
  }
  if (raw === undefined || raw.length !== 32) return { text };
  const intent = parsePendingBatch(pendingMacKey(raw), text);
  return intent === undefined ? { text } : { text, intent };
}

/** Up to {@linkcode PENDING_FILE_BYTES} of the file at `path`; "" when it cannot be read. */
async function readHead(path: string): Promise<string> {
  let file: Deno.FsFile;
  try {
    file = await openRegularFile(path);
  } catch {
    return "";
  }
  try {
    const bytes = new Uint8Array(PENDING_FILE_BYTES);
    let read = 0;
    while (read < bytes.length) {
      const n = await file.read(bytes.subarray(read));
      if (n === null || n === 0) break;
      read += n;
    }
    return new TextDecoder().decode(bytes.subarray(0, read));
  } catch {
    return "";
  } finally {
    file.close();
  }
}
