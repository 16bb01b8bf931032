/**
 * Writes an evidence bundle for a period: the records (extended to the next
 * signed checkpoint so every one is covered by a signature; a period with no
 * end stops at the newest one, see `export_cover.ts`), the checkpoints,
 * the public keys with the key rotations that endorse them, where the tree
 * stood before the first record, a manifest with SHA-256 hashes, a README
 * that maps the fields to HIPAA §164.312(b), and the export statement
 * (export.note): the period, the seq range and the manifest's hash, signed
 * with the device's audit signing key, so that a bundle cut at either end
 * shows. Without the signing key (another user, another machine) nothing is
 * exported: `audit.no_signing_key`. With a gate (`export_gate.ts`), the
 * records and notes bundled are the very bytes its verification read, and
 * the keys must be those it verified with (see `verified_read.ts`).
 * `thoth audit verify --bundle DIR` checks it on any machine. The output folder must be new (or empty): the bundle is
 * written beside it and renamed into place whole, so a failed export leaves
 * nothing under its name and a second export never mixes with the first.
 *
 * @example
 * ```ts
 * await exportBundle("/home/ana/.thoth", { since, until, output: "/media/usb/q3" , now: new Date() });
 * ```
 */
import { logTree } from "./log_tree.ts";
import { AppError } from "../errors.ts";
import { toHex } from "./encoding.ts";
import { readCheckpointNotes } from "./log_files.ts";
import { auditPaths, segmentName } from "./log_paths.ts";
import { GENESIS_PREV } from "./record.ts";
import { type LogLine, readLogLines } from "./read_records.ts";
import { recordTimeMs } from "./record_time.ts";
import { bundleReadme } from "./bundle_readme.ts";
import { readDeviceSigner } from "./device_keys.ts";
import {
  BUNDLE_FORMAT,
  type DeviceVerification,
  EXPORT_NOTE_FILE,
  type ExportStatement,
  formatExportStatement,
} from "./export_statement.ts";
import { deviceFindingCounts, deviceReadmeSection } from "./device_findings.ts";
import { signNote } from "./signed_note.ts";
import { checkNewFolder, type LeftFolders, writeNewFolder } from "./write_new_folder.ts";
import { FileLock } from "../platform/file_lock.ts";
import type { LockPatience } from "../platform/take_lock_patiently.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { stderrNote } from "../platform/stderr_note.ts";
import { takeAuditLock } from "./take_audit_lock.ts";
import { folderOf } from "../platform/durable_file.ts";
import { chainBrokenError, type SeqBreak, seqBreak, seqOf } from "./seq_break.ts";
import { coveredEnd, uncoveredError } from "./export_cover.ts";
import { KEYS_FILE_LIMIT } from "./keys_file_read.ts";
import { type GateRead, keysAsVerified, verifiedLines } from "./verified_read.ts";
import { emptyPeriodError } from "./empty_period_error.ts";

/** Where a bundle keeps the public keys. */
export const KEYS_FILE = "keys/audit-signing-keys.json";
/** Where a bundle keeps the key_rotation records that precede its first record. */
export const KEY_ROTATIONS_FILE = "keys/key-rotations.jsonl";

/** What to export. */
export interface ExportOptions {
  /** The first time included. */
  since?: Date;
  /** The last time included (see `parsePeriod`: a date's last millisecond). */
  until?: Date;
  /** A folder that does not exist yet, or an empty one. */
  output: string;
  now: Date;
  /**
   * How long the export waits for the writers' lock before it fails with
   * `audit.locked` (default 10 s, see `take_audit_lock.ts`), and when it
   * says so on `note` (after 1 s).
   */
  lockPatience?: LockPatience;
  /** Where that note goes (default: stderr, as `thoth: …`). */
  note?: (message: string) => void;
  /**
   * Verifies the log before anything is signed (see `export_gate.ts`): the
   * bundle is made of what it read, and its judgement (throw to refuse, or
   * the findings to export with) is asked for after the period's own
   * refusals; run after the output folder and the keys were checked.
   */
  gate?: () => Promise<GateRead>;
}

/** What was exported. */
export interface ExportSummary {
  output: string;
  firstSeq: number;
  lastSeq: number;
  /**
   * Without `until`: the newest records left out because no signed
   * checkpoint covers them yet (a later export includes them once one
   * does); 0 when none were.
   */
  leftOut: number;
  records: number;
  checkpoints: number;
  /** `<name>+<key hash>` of the key that signed the export statement. */
  signedBy: string;
  /** Unfinished bundles found beside the output (see `writeNewFolder`). */
  left: LeftFolders;
  /**
   * When records were left out: the checkpoint note beside the log that
   * covers some of them though the log holds no checkpoint record for it
   * (a session writing it now, or a log whose end was cut).
   */
  leftOutNote?: string;
  /** The findings the bundle was exported with (`--with-findings`). */
  device?: DeviceVerification;
  /** Every file of the bundle, the manifest and the export statement last. */
  files: ExportedFile[];
  /** The SHA-256 of manifest.json (hex), as the export statement states it. */
  manifestSha256: string;
}

/** A file of a bundle: its path in the bundle, its SHA-256 (hex) and its size in bytes. */
export interface ExportedFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** Exports the records between `since` and `until` to `output`. */
export async function exportBundle(
  thothHome: string,
  options: ExportOptions,
): Promise<ExportSummary> {
  await checkNewFolder(options.output, "--output");
  const paths = auditPaths(thothHome);
  // The key and the keys file are read under the writers' lock, before the
  // records: the rotation that made this key current is then among them.
  // Both are small regular files: a FIFO or a huge file in their place is
  // refused at once, so the lock is never held for long (every writer waits).
  const { signer, publicKeys } = await withLogLock(paths.lock, options, async () => ({
    signer: await readDeviceSigner(paths, "sign the bundle's export statement"),
    publicKeys: await readKeysFile(paths.publicKeys),
  }));
  const gated = await options.gate?.();
  const lines = gated === undefined ? await readLogLines(paths.dir) : verifiedLines(gated.read);
  // The period's records are those whose time falls in it, by the rule `show` selects and
  // prints by: a record written late is in the period of its decision (`decidedAt`), not of
  // its writing. The bundle holds every record from the first of them to the last (its seq
  // range has no gaps), so a record of another period written among them travels too.
  const since = options.since?.getTime() ?? -Infinity;
  const until = options.until?.getTime() ?? Infinity;
  const inPeriod = (line: LogLine): boolean => {
    const ms = line.record === undefined ? Number.NaN : recordTimeMs(line.record);
    return ms >= since && ms <= until;
  };
  // An open end reaches the log's end, as it always did (a line no record can be read from too).
  let first = options.since === undefined ? 0 : lines.findIndex(inPeriod);
  let last = options.until === undefined ? lines.length - 1 : lines.findLastIndex(inPeriod);
  if (first < 0 || last < first) {
    throw emptyPeriodError(lines, options);
  }
  // Places stand for seqs below: a bundle's seq range, its start size and
  // its segment's name are read from them. That holds only up to the first
  // record whose seq is not its place (a deleted or a repeated record): a
  // range that reaches it, or needs a checkpoint past it, is refused, since
  // its bundle would name records by the wrong seq.
  const broken = seqBreak(lines.map((line) => seqOf(line.record)));
  const sound = broken?.place ?? lines.length;
  const refuse = (found: SeqBreak) =>
    chainBrokenError(
      paths.dir,
      found,
      "the records asked for, with the checkpoint that covers them, reach it, so nothing was exported",
      `a period whose records end before seq ${found.place}, with a checkpoint before it that covers them, can still be exported`,
    );
  if (broken !== undefined && last >= sound) throw refuse(broken);
  const requested = { firstSeq: first, lastSeq: last };
  const end = coveredEnd(lines, { first, last, sound, open: options.until === undefined });
  if (end === undefined && broken !== undefined) throw refuse(broken);
  if (end === undefined) throw uncoveredError(lines, first, last, options.until !== undefined);
  last = end.last;
  // After the refusals above, which say more precisely why no bundle could name these records.
  const device = gated?.judge();
  if (gated !== undefined) keysAsVerified(gated.read, publicKeys, paths.publicKeys);
  requested.lastSeq = Math.min(requested.lastSeq, last);
  first = Math.max(0, first);

  const tree = await logTree(lines, first);
  const start = {
    size: first,
    prev: first === 0 ? GENESIS_PREV : toHex(tree.leaf(first - 1)),
    frontier: tree.frontier(first).map(toHex),
  };

  const files: { path: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
  const selected = lines.slice(first, last + 1);
  const day = String(selected[0]?.record?.["ts"] ?? "0000-00-00").slice(0, 10);
  files.push({ path: `records/${segmentName(first, day)}`, bytes: joinLines(selected) });
  const allNotes = gated?.read.checkpoints ?? await readCheckpointNotes(paths.checkpoints);
  const sizeOf = (note: string) => Number(note.split("\n")[1]);
  const notes = allNotes.filter((n) => sizeOf(n.note) > first && sizeOf(n.note) <= last + 1);
  // A note past the bundle's last checkpoint record covers left-out records.
  const leftOutNote = end.leftOut === 0
    ? undefined
    : allNotes.find((n) => sizeOf(n.note) > last + 1)?.source;
  for (const note of notes) {
    files.push({ path: `checkpoints/${note.source}`, bytes: new TextEncoder().encode(note.note) });
  }
  files.push({ path: KEYS_FILE, bytes: publicKeys });
  // A key rotation before the first record endorses the key that signs the
  // bundle's checkpoints, one after the last the key that signs the export
  // statement: their records travel with the keys (the endorsement is a
  // signature, so it vouches for the new key wherever it is stored).
  const rotations = [...lines.slice(0, first), ...lines.slice(last + 1)].filter((line) =>
    line.record?.["type"] === "key_rotation"
  );
  if (rotations.length > 0) {
    files.push({ path: KEY_ROTATIONS_FILE, bytes: joinLines(rotations) });
  }
  const readme = bundleReadme({ ...requested, firstSeq: first, lastSeq: last });
  files.push({
    path: "README.md",
    bytes: new TextEncoder().encode(
      device === undefined ? readme : deviceReadmeSection(device) + readme,
    ),
  });

  const manifestFiles = [];
  for (const file of files) {
    const sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", file.bytes)));
    manifestFiles.push({ path: file.path, sha256, bytes: file.bytes.length });
  }
  const period = {
    since: options.since?.toISOString() ?? null,
    until: options.until?.toISOString() ?? null,
  };
  const manifest = {
    format: BUNDLE_FORMAT,
    created: options.now.toISOString(),
    period,
    requested,
    included: { firstSeq: first, lastSeq: last },
    start,
    files: manifestFiles,
  };
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n");
  files.push({ path: "manifest.json", bytes: manifestBytes });
  const manifestSha256 = toHex(
    new Uint8Array(await crypto.subtle.digest("SHA-256", manifestBytes)),
  );
  const statement: ExportStatement = {
    created: manifest.created,
    ...period,
    requested,
    included: manifest.included,
    startSize: first,
    manifest: manifestSha256,
    ...(device !== undefined ? { deviceFindings: deviceFindingCounts(device.findings) } : {}),
  };
  const noteBytes = new TextEncoder().encode(
    await signNote(formatExportStatement(statement), signer),
  );
  files.push({ path: EXPORT_NOTE_FILE, bytes: noteBytes });
  const exported: ExportedFile[] = [
    ...manifestFiles,
    { path: "manifest.json", sha256: manifestSha256, bytes: manifestBytes.length },
    {
      path: EXPORT_NOTE_FILE,
      sha256: toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", noteBytes))),
      bytes: noteBytes.length,
    },
  ];
  // A fresh folder, renamed into place whole: a second export into the same
  // folder would leave the first one's files beside the new manifest.
  const left = await writeNewFolder(options.output, files, {
    flag: "--output",
    folders: ["records", "checkpoints", "keys"],
  });
  return {
    output: options.output,
    firstSeq: first,
    lastSeq: last,
    leftOut: end.leftOut,
    records: selected.length,
    checkpoints: notes.length,
    signedBy: `${signer.name}+${signer.keyHash}`,
    left,
    ...(leftOutNote !== undefined ? { leftOutNote } : {}),
    ...(device !== undefined ? { device } : {}),
    files: exported,
    manifestSha256,
  };
}

/**
 * Runs `task` holding the audit writers' lock (briefly: a writer waits
 * meanwhile); waits for it as `takeAuditLock` does, then `audit.locked`.
 */
async function withLogLock<T>(
  path: string,
  wait: Pick<ExportOptions, "lockPatience" | "note">,
  task: () => Promise<T>,
): Promise<T> {
  let lock: FileLock;
  try {
    lock = await FileLock.open(path);
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) {
      // No audit folder: export only reads, so it makes none.
      throw new AppError("audit.no_log", `there is no audit log to export in "${folderOf(path)}"`, {
        hints: [
          "run thoth with a server first; every session writes records",
          'run "thoth audit verify" if there should be one',
        ],
        cause,
      });
    }
    throw new AppError("audit.unreadable", `cannot open the audit lock "${path}"`, {
      hints: ["run the command as the user thoth runs as, on the device that wrote the log"],
      cause,
    });
  }
  try {
    await takeAuditLock(lock, {
      doing: "cannot export the audit log",
      note: wait.note ?? stderrNote,
      ...(wait.lockPatience === undefined ? {} : { patience: wait.lockPatience }),
    });
    try {
      return await task();
    } finally {
      await lock.release();
    }
  } finally {
    lock.close();
  }
}

/** The public keys file's bytes: a regular file's, within {@linkcode KEYS_FILE_LIMIT}. */
async function readKeysFile(path: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await readRegularFile(path, { limit: KEYS_FILE_LIMIT });
  } catch (cause) {
    const why = cause instanceof Deno.errors.NotFound
      ? "it is missing"
      : cause instanceof Error
      ? cause.message
      : String(cause);
    throw new AppError("audit.bad_keys", `cannot read the signing keys "${path}": ${why}`, {
      hints: ['run "thoth audit verify" for what to do', "restore the keys file from a backup"],
      cause,
    });
  }
}

/** The lines, each followed by a newline, as one array. */
function joinLines(lines: readonly LogLine[]): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(lines.reduce((n, line) => n + line.bytes.length + 1, 0));
  let offset = 0;
  for (const line of lines) {
    body.set(line.bytes, offset);
    body[offset + line.bytes.length] = 10;
    offset += line.bytes.length + 1;
  }
  return body;
}
