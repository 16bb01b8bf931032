/**
 * The backup `writeConfig` keeps of what a config held before
 * thoth rewrote it: `<file>.thoth-backup`, made once and never replaced by a
 * good one; a numbered one (`.thoth-backup.2`, `.3`, …) when the kept one
 * lacks a secret the rewrite drops, or for an `--output` replaced on
 * purpose. Every backup is written whole before it takes its name (a temp
 * file, synced, then linked into place: {@linkcode createExclusive}), so a
 * full disk or a kill leaves no backup rather than an empty or cut one. A
 * kept backup that is empty or is no whole JSON object (one an older thoth
 * left cut short) holds no original: it is replaced with the original at
 * hand, and the outcome says so. The I/O half of `config/`.
 *
 * @example
 * ```ts
 * const made: string[] = [];
 * const outcome = await backUpOriginal("/home/ana/.claude.json", file.bytes, { mode: 0o600 }, made);
 * outcome.backupCreated; // "/home/ana/.claude.json.thoth-backup" the first time
 * ```
 */
import { AppError } from "../errors.ts";
import { atomicWrite, createExclusive, ownerOf } from "../platform/atomic_write.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";
import { MAX_CONFIG_FILE_BYTES } from "./read_config_file.ts";
import { isWholeJsonObject } from "./whole_json_object.ts";
import { profileSetupProblem } from "../identity/profile_setup_hint.ts";

/** The suffix of the one-time backup. */
export const BACKUP_SUFFIX = ".thoth-backup";

/** What {@linkcode backUpOriginal} is told. */
export interface BackupOptions {
  /** The backup's mode (the config's, or 0600 when it holds a secret). */
  mode: number;
  /** The original holds a secret: an older backup that may hold it is made private. */
  privateBackup?: boolean | undefined;
  /** Back up every time, to a new numbered backup once the first exists. */
  backupEachTime?: boolean | undefined;
  /** Secrets the rewrite drops: a kept backup without them gets a numbered one beside it. */
  secrets?: readonly string[] | undefined;
}

/** The backups a write made or kept. */
export interface BackupOutcome {
  /** The backup made by this write, if any. */
  backupCreated?: string;
  /** The backup that already existed, if any. */
  backupKept?: string;
  /** The new backup of the original made because the kept one lacks a secret the rewrite drops. */
  secretBackupCreated?: string;
  /**
   * Why the backup kept from an earlier run was replaced (it held no
   * original: "it was empty", "it is not a whole JSON object (it was cut
   * short)"); `backupCreated` names it.
   */
  backupReplaced?: string;
}

/**
 * Backs up `bytes` (the original of `target`, the config's real path) as the
 * module says, owned as `target` is. Each file it makes is added to `made`,
 * so that a write given up after it can remove them. Throws `io.write_failed`
 * (nothing is changed yet) or `config.backup_not_a_file`.
 */
export async function backUpOriginal(
  target: string,
  bytes: Uint8Array,
  options: BackupOptions,
  made: string[],
): Promise<BackupOutcome> {
  const backup = target + BACKUP_SUFFIX;
  const owner = await ownerOf(target);
  if (await createBackup(backup, bytes, options.mode, owner)) {
    made.push(backup);
    return { backupCreated: backup };
  }
  // Something there that is no backup (a folder, a link): nothing is renamed over the config.
  await refuseOddBackup(backup);
  // An --output backed up each time keeps every older backup, whatever it holds.
  const flaw = options.backupEachTime ? undefined : await backupFlaw(backup);
  if (flaw !== undefined) {
    await replaceBackup(backup, bytes, owner, options.mode);
    return { backupCreated: backup, backupReplaced: flaw };
  }
  const secrets = options.secrets ?? [];
  if (options.privateBackup && (await mayHoldSecret(backup, secrets))) {
    // Best effort: an older backup that holds the secret too is made private. One
    // that does not keeps its mode; one that is not a plain file (a link) is left
    // as it is; the caller names the backup either way.
    await setModeNoFollow(backup, { kind: "file", mode: 0o600 }).catch(() => {});
  }
  if (options.backupEachTime) {
    const numbered = await writeNumberedBackup(backup, bytes, owner, options.mode);
    made.push(numbered);
    return { backupCreated: numbered };
  }
  const outcome: BackupOutcome = { backupKept: backup };
  if (secrets.length > 0 && !(await holdsAll(backup, secrets))) {
    outcome.secretBackupCreated = await writeNumberedBackup(backup, bytes, owner, 0o600);
    made.push(outcome.secretBackupCreated);
  }
  return outcome;
}

/**
 * Refuses (`config.backup_not_a_file`) a backup path that holds something
 * other than a regular file (a folder, a link, a FIFO): a backup "kept" there
 * would hold no copy of the original, and the config would be rewritten with
 * none. Refused rather than backed up to a numbered file beside it: the
 * one-time backup is where the original from before thoth's first rewrite is
 * looked for, so each later run would make yet another numbered copy and the
 * original's place would stay taken, unnoticed. Refusing writes nothing, so the
 * original bytes stay in the config itself. Nothing at the path is fine.
 */
export async function refuseOddBackup(backup: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(backup);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw new AppError(
      "io.write_failed",
      `cannot look at backup "${backup}": ${messageOf(error)}`,
      {
        cause: error,
        hints: [
          nameTooLong(error)
            ? `nothing was changed; ${TOO_LONG}`
            : "nothing was changed; make the directory readable or pass --output FILE",
        ],
      },
    );
  }
  if (info.isFile) return;
  const what = info.isDirectory ? "a folder" : info.isSymlink ? "a symbolic link" : "not a file";
  throw new AppError(
    "config.backup_not_a_file",
    `the backup path "${backup}" is ${what}, not a backup file: thoth keeps the original ` +
      "there before it rewrites the config, and would keep none; nothing was written",
    {
      hints: [
        `move "${backup}" away (or remove it, if it is yours and not needed), then run the ` +
        "command again; or pass --output FILE to write elsewhere",
      ],
    },
  );
}

/**
 * Makes `path` with `bytes` (whole, or not at all), `mode` and `owner`;
 * false when something is there already. Throws `io.write_failed`.
 */
async function createBackup(
  path: string,
  bytes: Uint8Array,
  mode: number,
  owner: { uid: number; gid: number } | undefined,
): Promise<boolean> {
  let made: boolean;
  try {
    made = await createExclusive(path, bytes, { mode });
  } catch (error) {
    throw backupFailed(path, error);
  }
  // Through the new file's handle, not its name: run as root in a folder a
  // user owns, a name can be swapped for a link between two steps.
  if (made) await setModeNoFollow(path, { kind: "file", mode, ...(owner ? { owner } : {}) });
  return made;
}

/** A backup that could not be written (none is left behind): nothing was changed. */
function backupFailed(path: string, error: unknown): AppError {
  const cause = error instanceof AppError && error.cause !== undefined ? error.cause : error;
  const denied = cause instanceof Deno.errors.PermissionDenied ||
    cause instanceof Deno.errors.NotCapable;
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : cut === 0 ? "/" : path.slice(0, cut);
  return new AppError("io.write_failed", `cannot write backup "${path}": ${messageOf(cause)}`, {
    cause,
    hints: [
      denied
        ? "nothing was changed; make the directory writable or pass --output FILE"
        : nameTooLong(cause)
        ? `nothing was changed, and no backup was left; ${TOO_LONG}`
        : profileSetupProblem(cause) === "no_space"
        ? `nothing was changed, and no backup was left; free space on the disk holding "${dir}", ` +
          "then run the command again, or pass --output FILE on another disk"
        : "nothing was changed, and no backup was left; fix what stopped the write (a full " +
          "disk?), then run the command again, or pass --output FILE",
    ],
  });
}

/**
 * Whether `error` (a `Deno` file call's) says a name is longer than the file
 * system allows: the config's own fits, but not with the backup's suffix.
 */
function nameTooLong(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ENAMETOOLONG";
}

/** The fix for a backup name the file system refuses as too long. */
const TOO_LONG = `the backup's name, the config's with "${BACKUP_SUFFIX}" added, is longer than ` +
  "the file system allows a name to be: give the config a shorter name and run the command on " +
  "it, or pass --output FILE with a shorter name";

/** What a thrown value says, without the `Error:` (or class name) that `String()` puts first. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why the plain-file backup kept at `backup` holds no original: it is empty,
 * or it is not one whole JSON object (see {@linkcode isWholeJsonObject}), as
 * one cut short is not. Undefined when it looks whole, or cannot be judged
 * (too large, unreadable).
 */
async function backupFlaw(backup: string): Promise<string | undefined> {
  const info = await Deno.lstat(backup);
  if (info.size === 0) return "it was empty";
  if (info.size > MAX_CONFIG_FILE_BYTES) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(backup);
  } catch {
    return undefined;
  }
  return isWholeJsonObject(bytes) ? undefined : "it is not a whole JSON object (it was cut short)";
}

/** Puts `bytes` in place of a flawed backup, whole (temp file and rename), never through a link. */
async function replaceBackup(
  backup: string,
  bytes: Uint8Array,
  owner: { uid: number; gid: number } | undefined,
  mode: number,
): Promise<void> {
  try {
    await atomicWrite(backup, bytes, { mode, refuseLink: true });
  } catch (error) {
    throw backupFailed(backup, error);
  }
  await setModeNoFollow(backup, { kind: "file", mode, ...(owner ? { owner } : {}) });
}

/**
 * Whether an older plain-file `backup` may hold one of `secrets` (as written,
 * or JSON-escaped): it does when it holds one; when the secrets are not known,
 * or it cannot be read, it may (so it is made private).
 */
async function mayHoldSecret(backup: string, secrets: readonly string[]): Promise<boolean> {
  if (secrets.length === 0) return true;
  try {
    if (!(await Deno.lstat(backup)).isFile) return false;
    const text = new TextDecoder().decode(await Deno.readFile(backup));
    return secrets.some((secret) =>
      text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))
    );
  } catch {
    // Not known to be free of it: private, as before.
    return true;
  }
}

/** Whether the plain file `backup` (never a link) holds every one of `secrets`. */
async function holdsAll(backup: string, secrets: readonly string[]): Promise<boolean> {
  try {
    if (!(await Deno.lstat(backup)).isFile) return false;
    const text = new TextDecoder().decode(await Deno.readFile(backup));
    return secrets.every((secret) => text.includes(secret));
  } catch {
    return false;
  }
}

/**
 * Copies `bytes` (the original: one holding a secret the rewrite drops, or an
 * output replaced again) to the first free `<backup>.N` (N from 2), whole,
 * with `mode` and `owner`; it never replaces a file. Throws
 * `io.write_failed` (nothing is changed yet).
 */
async function writeNumberedBackup(
  backup: string,
  bytes: Uint8Array,
  owner: { uid: number; gid: number } | undefined,
  mode: number,
): Promise<string> {
  for (let n = 2; n < 1000; n++) {
    const path = `${backup}.${n}`;
    if (await createBackup(path, bytes, mode, owner)) return path;
  }
  throw new AppError("io.write_failed", `cannot write a new backup beside "${backup}"`, {
    hints: [`nothing was changed; remove old backups ("${backup}.N") or pass --output FILE`],
  });
}
