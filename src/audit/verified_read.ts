/**
 * What `thoth audit export`'s verification read of the device's log (see
 * `export_gate.ts`): each segment's bytes up to where it was judged, the
 * checkpoint notes and the public keys file. The bundle is made of these
 * very bytes, never of a second read, so the export statement's "verified"
 * is about what the bundle holds; the keys the export read with its signing
 * key must be the keys verified, else nothing is exported
 * (`audit.changed_while_exported`). Pure.
 *
 * @example
 * ```ts
 * const lines = verifiedLines(gated.read); // as readLogLines gives them
 * keysAsVerified(gated.read, keysBytes, paths.publicKeys); // throws when they differ
 * ```
 */
import { AppError } from "../errors.ts";
import type { DeviceVerification } from "./export_statement.ts";
import type { KeysFileRead } from "./keys_file_read.ts";
import { type LogLine, splitLogLines } from "./read_records.ts";

/** The files of a log as one verification read them. */
export interface VerifiedRead {
  /** Each segment's bytes as verified, by name, in log order. */
  segments: ReadonlyMap<string, Uint8Array>;
  /** The checkpoint notes verified, by file name. */
  checkpoints: readonly { source: string; note: string }[];
  /** The public keys file the log was verified with. */
  keys: KeysFileRead;
}

/** The export gate's answer: what it verified, and its judgement of it. */
export interface GateRead {
  read: VerifiedRead;
  /** Throws the refusal (`audit.log_not_verified`), else the findings to export with, if any. */
  judge(): DeviceVerification | undefined;
}

/** The complete lines of the verified segments, in log order (a cut last line is none). */
export function verifiedLines(read: VerifiedRead): LogLine[] {
  const lines: LogLine[] = [];
  for (const [segment, bytes] of read.segments) splitLogLines(segment, bytes, lines);
  return lines;
}

/**
 * Throws `audit.changed_while_exported` unless `bytes` (the keys file the
 * export read with its signing key) are the keys file the log was verified
 * with: a key rotated between the two reads, or a keys file rewritten.
 */
export function keysAsVerified(read: VerifiedRead, bytes: Uint8Array, path: string): void {
  const verified = "bytes" in read.keys ? read.keys.bytes : undefined;
  if (verified !== undefined && sameBytes(verified, bytes)) return;
  throw new AppError(
    "audit.changed_while_exported",
    `the signing keys "${path}" changed while the audit log was exported (a key rotation?), so nothing was exported: the bundle would carry keys other than those the log was verified with`,
    {
      hints: [
        "export again",
        'if it happens again with no key rotation, run "thoth audit verify" and keep the log as it is: it is the evidence',
      ],
    },
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
