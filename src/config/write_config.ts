/**
 * Writes a planned config safely. Every thoth process writing one file takes
 * turns on a lock kept beside it (`lockBeside`); under it, the file must
 * still be as it was read (else `ConfigChangedError`: nothing is written, and
 * the command may read it again and retry), one backup of the original is
 * kept beside it (`<file>.thoth-backup`, written whole or not at all, never
 * replaced once it holds one; a secret the rewrite drops that this backup
 * does not hold gets a new numbered backup, see
 * {@linkcode WriteConfigOptions.secrets}; see `back_up_original.ts`), the
 * file is looked at once more and replaced atomically with its mode kept,
 * with nothing awaited between that last look and the rename, and it is read
 * back: a file some other program replaced right after is reported
 * (`ConfigChangedError`, `overwritten`). A client that rewrites its config
 * takes no lock, so what it writes in that last instant is still lost; what
 * it writes before is seen, and what it writes after is reported. A
 * symlinked config is written through to
 * its target; the link stays. A config with no write permission for anyone
 * (mode 0444: often locked on purpose, by an MDM profile or an admin), or one
 * this user may not write though its folder would let it be renamed over (a
 * file of root's in a user's folder: it would change owner), is refused
 * unless `replaceReadOnly` is set (`--replace-read-only`); its mode is kept
 * either way. With `backupEachTime` (an `--output` replaced on purpose) every
 * write backs up what it replaces, to a new numbered backup once the first
 * exists. A failed write says what to fix: the directory, not
 * the file, since the new file is made beside it and renamed over it. The
 * I/O half of `config/`.
 *
 * @example
 * ```ts
 * const file = await readConfigFile("claude_desktop_config.json");
 * const plan = planWrap(file.text, { thothCommand: ["/opt/thoth/bin/thoth"] });
 * await writeConfig(file.path, plan.text, { original: file, bom: file.bom });
 * ```
 */
import { AppError } from "../errors.ts";
import { atomicWrite } from "../platform/atomic_write.ts";
import { lockBeside } from "../platform/lock_beside.ts";
import { effectiveUid, foreignLinkOnPath } from "../platform/root_safe_path.ts";
import type { ConfigFile } from "./read_config_file.ts";
import {
  BACKUP_SUFFIX,
  backUpOriginal,
  type BackupOutcome,
  refuseOddBackup,
} from "./back_up_original.ts";
import { ConfigChangedError } from "./config_changed_error.ts";
import { refuseUnwritableFolder } from "./refuse_unwritable_folder.ts";
import { writeFailedHint } from "./write_failed_hint.ts";

export { BACKUP_SUFFIX };

/** Options for {@linkcode writeConfig}. */
export interface WriteConfigOptions {
  /**
   * The target as it was read, or null when it did not exist. The write is
   * refused if it no longer matches.
   */
  original: Pick<ConfigFile, "bytes" | "mtime" | "mode"> | null;
  /** Whether to start the file with a UTF-8 byte order mark. */
  bom?: boolean;
  /** The mode for a file that does not exist yet (default 0o600). */
  modeForNew?: number;
  /**
   * Replace a config whose mode gives no one write permission, or that this
   * user may not write though its folder lets it be renamed over
   * (`--replace-read-only`).
   */
  replaceReadOnly?: boolean;
  /**
   * Back up what the write replaces every time, not once: when
   * `<file>.thoth-backup` exists, to the first free `<file>.thoth-backup.N`
   * (N from 2), never over an older backup. For an `--output` file that held
   * something else (`--replace-output`).
   */
  backupEachTime?: boolean;
  /** The original holds a secret: its backup is readable by its owner only (0600). */
  privateBackup?: boolean;
  /**
   * The texts of the secrets the original holds and the new text drops (an
   * `--api-key` taken out of args). When the backup kept from an earlier run
   * does not hold each of them, the original is copied to a new backup
   * (`<file>.thoth-backup.2`, `.3`, …: never over an older one), 0600 and
   * owned as the file is, so the secret is not lost with the rewrite.
   */
  secrets?: readonly string[];
  /** Test hook: runs after the new file is staged, before the checks and the backup. */
  beforeCommit?: () => void | Promise<void>;
}

/** Where the config went. */
export interface WriteResult extends BackupOutcome {
  /** The real file written (a symlink's target). */
  written: string;
  /**
   * Why the write took no lock (the folder lets no lock file be made, see
   * `lockBeside`); undefined when it held one.
   */
  lockSkipped?: string;
}

/** Writes `text` to `path`. */
export async function writeConfig(
  path: string,
  text: string,
  options: WriteConfigOptions,
): Promise<WriteResult> {
  await checkWritable(path, options);
  const bytes = new TextEncoder().encode((options.bom ? "\uFEFF" : "") + text);
  // One lock for every thoth process writing this file, held from the first
  // look at it to the read-back after the rename.
  const target = await Deno.realPath(path).catch(() => path);
  const lock = await lockBeside(target);
  try {
    const result = await writeLocked(path, target, bytes, options);
    if (lock.skipped !== undefined) result.lockSkipped = lock.skipped;
    return result;
  } finally {
    await lock.release();
  }
}

/**
 * The write itself, under the lock: the new file is staged; the file must
 * still be as it was read (`ConfigChangedError` otherwise); the original is
 * backed up; the file is looked at once more and, with nothing awaited in
 * between, the new one renamed over it; then it is read back, and a file
 * some other program replaced meanwhile is reported (`overwritten`). A
 * write given up before the rename removes the backups it made.
 */
async function writeLocked(
  path: string,
  target: string,
  bytes: Uint8Array,
  options: WriteConfigOptions,
): Promise<WriteResult> {
  const mode = options.original?.mode ?? options.modeForNew ?? 0o600;
  const original = options.original;
  const made: string[] = [];
  let backups: BackupOutcome = {};
  let written: string;
  try {
    written = await atomicWrite(target, bytes, {
      mode,
      beforeRename: async (real) => {
        await options.beforeCommit?.();
        // A change seen now stops the write before any backup is made (size and
        // mtime only: the last look, right before the rename, compares the bytes).
        assertUnchanged(path, original, false);
        if (original === null) return;
        backups = await backUpOriginal(real, original.bytes, {
          mode: options.privateBackup ? 0o600 : mode,
          privateBackup: options.privateBackup,
          backupEachTime: options.backupEachTime,
          secrets: options.secrets,
        }, made);
      },
      lastCheck: () => assertUnchanged(path, original),
    });
  } catch (error) {
    // Nothing was renamed: the backups made for this write go too, so nothing was changed.
    for (const file of made) await Deno.remove(file).catch(() => {});
    if (error instanceof AppError && error.code === "io.write_failed" && error.hints.length === 0) {
      throw new AppError(error.code, error.message, {
        cause: error.cause,
        // The folder the new file is made in: the target's, for a config reached through a link.
        hints: [writeFailedHint(target, error.cause)],
      });
    }
    throw error;
  }
  if (replacedSince(written, bytes)) throw new ConfigChangedError(path, "overwritten");
  return { written, ...backups };
}

/**
 * Refuses, before anything is written, what {@linkcode writeConfig} would
 * refuse to replace: a config reached through another user's link when run
 * as root (`io.unsafe_for_root`), without `replaceReadOnly` a config no
 * one may write (mode 0444) or one this user may not write
 * (`config.read_only`), and a folder that surely does not let this user make
 * the new file beside it (`io.write_failed`, see `refuse_unwritable_folder.ts`).
 * Nothing is written. So a command that writes several files can check them
 * all before it writes the first, and a dry run can say what the write would.
 *
 * @example
 * ```ts
 * const file = await readConfigFile("settings.json");
 * await checkWritable(file.path, { original: file }); // throws config.read_only on a 0444 file
 * ```
 */
export async function checkWritable(
  path: string,
  options: Pick<WriteConfigOptions, "original" | "replaceReadOnly">,
): Promise<void> {
  await refuseForeignLink(path);
  if (options.original !== null) {
    const target = await Deno.realPath(path).catch(() => path);
    await refuseOddBackup(target + BACKUP_SUFFIX);
  }
  const originalMode = options.original?.mode;
  if (originalMode !== undefined && (originalMode & 0o222) === 0 && !options.replaceReadOnly) {
    throw new AppError(
      "config.read_only",
      `config "${path}" is read-only (mode ${
        (originalMode & 0o777).toString(8).padStart(4, "0")
      }); nothing was written`,
      {
        hints: [
          "it may be locked on purpose (an MDM profile, an admin); to replace it anyway, " +
          "keeping its mode, pass --replace-read-only",
        ],
      },
    );
  }
  if (options.original !== null && !options.replaceReadOnly) await refuseNotWritable(path);
  // The new file is made beside the config and renamed over it: a folder that surely does not
  // let this user make it fails the write, in the write's own words (io.write_failed).
  await refuseUnwritableFolder(path);
}

/**
 * Refuses (`config.read_only`) a config this user may not write, though the
 * mode lets its owner: thoth replaces a file by renaming a new one over it,
 * which its folder may allow (a file of root's in a user's folder), and the
 * file would change owner. Asked of the system, by opening it for writing
 * (nothing is written), so groups and ACLs count; root may write any file.
 */
async function refuseNotWritable(path: string): Promise<void> {
  try {
    (await Deno.open(path, { write: true })).close();
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.PermissionDenied)) return;
  }
  const info = await Deno.stat(path).catch(() => undefined);
  const mode = info?.mode === null || info?.mode === undefined
    ? ""
    : ` (mode ${(info.mode & 0o777).toString(8).padStart(4, "0")})`;
  const owner = info?.uid === null || info?.uid === undefined
    ? ""
    : ` belongs to uid ${info.uid}${mode} and`;
  const self = effectiveUid();
  throw new AppError(
    "config.read_only",
    `config "${path}"${owner} may not be written by this user${
      self === null ? "" : ` (uid ${self})`
    }; replacing it through its folder would make it this user's file; nothing was written`,
    {
      hints: [
        "run the command as the file's owner, or ask them to; to replace it anyway, " +
        "making it this user's, pass --replace-read-only",
      ],
    },
  );
}

/**
 * Throws `ConfigChangedError` unless `path` still holds what was read
 * (`original`: the same size, mtime and, when `bytes` is set, bytes), or is
 * still missing when nothing was there. Synchronous, so the rename can
 * follow with nothing awaited in between.
 */
function assertUnchanged(
  path: string,
  original: WriteConfigOptions["original"],
  bytes = true,
): void {
  let info: Deno.FileInfo | undefined;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const same = original === null ? info === undefined : info !== undefined &&
    info.size === original.bytes.length && (info.mtime?.getTime() ?? null) === original.mtime &&
    (!bytes || sameBytes(Deno.readFileSync(path), original.bytes));
  if (!same) throw new ConfigChangedError(path, "changed");
}

/**
 * Whether the file just written at `written` no longer holds `bytes`: some
 * other program replaced (or removed) it right after the rename. A file
 * that cannot be read for another reason is not judged.
 */
function replacedSince(written: string, bytes: Uint8Array): boolean {
  try {
    return !sameBytes(Deno.readFileSync(written), bytes);
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}

/** Whether two byte arrays hold the same bytes (four at a time where they are aligned). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset, words);
    const y = new Uint32Array(b.buffer, b.byteOffset, words);
    for (; i < words; i++) if (x[i] !== y[i]) return false;
    i = words * 4;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Run as root, a config reached through another user's link (the file
 * itself, or a folder on the way) is not followed: the user could point it at
 * any file root may write (a system-managed config).
 */
async function refuseForeignLink(path: string): Promise<void> {
  if (effectiveUid() !== 0) return;
  const found = await foreignLinkOnPath(path);
  if (found === undefined) return;
  throw new AppError(
    "io.unsafe_for_root",
    `thoth runs as root, and the config "${path}" is reached through "${found.link}", a link ` +
      `that belongs to uid ${found.uid}: root does not follow another user's link, which could ` +
      "point at any file",
    {
      hints: [
        "pass the file the link points to as INPUT, once you have checked it is the client's config",
        `or run the same command as that user (sudo -u '#${found.uid}' …)`,
      ],
    },
  );
}
