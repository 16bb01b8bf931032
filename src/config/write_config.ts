/**
 * Writes a planned config safely: refuses when the file changed on disk since
 * it was read, keeps one backup of the original beside it
 * (`<file>.thoth-backup`, never overwritten once it exists; a secret the
 * rewrite drops that this backup does not hold gets a new numbered backup, see
 * {@linkcode WriteConfigOptions.secrets}), and replaces the
 * file atomically with its mode kept. A symlinked config is written through to
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
import { atomicWrite, ownerOf } from "../platform/atomic_write.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";
import { effectiveUid, foreignLinkOnPath } from "../platform/root_safe_path.ts";
import type { ConfigFile } from "./read_config_file.ts";

/** The suffix of the one-time backup. */
export const BACKUP_SUFFIX = ".thoth-backup";

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
  /** Test hook: runs after the new file is staged, before the final check. */
  beforeCommit?: () => void | Promise<void>;
}

/** Where the config went. */
export interface WriteResult {
  /** The real file written (a symlink's target). */
  written: string;
  /** The backup made by this write, if any. */
  backupCreated?: string;
  /** The backup that already existed, if any. */
  backupKept?: string;
  /**
   * The new backup of the original made because the kept one does not hold
   * the `secrets` it drops (see {@linkcode WriteConfigOptions.secrets}).
   */
  secretBackupCreated?: string;
}

/** Writes `text` to `path`. */
export async function writeConfig(
  path: string,
  text: string,
  options: WriteConfigOptions,
): Promise<WriteResult> {
  await checkWritable(path, options);
  const bytes = new TextEncoder().encode((options.bom ? "\uFEFF" : "") + text);
  const result: WriteResult = { written: path };
  const mode = options.original?.mode ?? options.modeForNew ?? 0o600;
  result.written = await atomicWrite(path, bytes, {
    mode,
    beforeRename: async (target) => {
      await options.beforeCommit?.();
      await assertUnchanged(path, options.original);
      if (options.original === null) return;
      const backup = target + BACKUP_SUFFIX;
      const backupMode = options.privateBackup ? 0o600 : mode;
      try {
        await Deno.writeFile(backup, options.original.bytes, { createNew: true, mode: backupMode });
        // Through the new file's handle, not its name: run as root in a folder a
        // user owns, a name can be swapped for a link between two steps.
        const owner = await ownerOf(target);
        await setModeNoFollow(backup, {
          kind: "file",
          mode: backupMode,
          ...(owner ? { owner } : {}),
        });
        result.backupCreated = backup;
      } catch (error) {
        // Something there that is no backup (a folder, a link): nothing is renamed over the config.
        if (error instanceof Deno.errors.AlreadyExists) await refuseOddBackup(backup);
        if (
          error instanceof Deno.errors.AlreadyExists && options.privateBackup &&
          await mayHoldSecret(backup, options.secrets ?? [])
        ) {
          // Best effort: an older backup that holds the secret too is made private. One
          // that does not keeps its mode; one that is not a plain file (a link) is left
          // as it is; the caller names the backup either way.
          await setModeNoFollow(backup, { kind: "file", mode: 0o600 }).catch(() => {});
        }
        if (!(error instanceof Deno.errors.AlreadyExists)) {
          throw new AppError("io.write_failed", `cannot write backup "${backup}": ${error}`, {
            cause: error,
            hints: ["nothing was changed; make the directory writable or pass --output FILE"],
          });
        }
        if (options.backupEachTime) {
          result.backupCreated = await writeNumberedBackup(
            backup,
            options.original.bytes,
            target,
            backupMode,
          );
          return;
        }
        result.backupKept = backup;
        const secrets = options.secrets ?? [];
        if (secrets.length > 0 && !(await holdsAll(backup, secrets))) {
          result.secretBackupCreated = await writeNumberedBackup(
            backup,
            options.original.bytes,
            target,
            0o600,
          );
        }
      }
    },
  }).catch((error) => {
    if (error instanceof AppError && error.code === "io.write_failed" && error.hints.length === 0) {
      throw new AppError(error.code, error.message, {
        cause: error.cause,
        hints: [writeHint(path, error.cause)],
      });
    }
    throw error;
  });
  return result;
}

/**
 * Refuses, before anything is written, what {@linkcode writeConfig} would
 * refuse to replace: a config reached through another user's link when run
 * as root (`io.unsafe_for_root`), and without `replaceReadOnly` a config no
 * one may write (mode 0444) or one this user may not write
 * (`config.read_only`). So a command that writes several files can check
 * them all before it writes the first.
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
async function refuseOddBackup(backup: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(backup);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw new AppError("io.write_failed", `cannot look at backup "${backup}": ${error}`, {
      cause: error,
      hints: ["nothing was changed; make the directory readable or pass --output FILE"],
    });
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
 * output replaced again) to the first free `<backup>.N` (N from 2), with
 * `mode` and owned as `target` is; it never replaces a file. Throws
 * `io.write_failed` (nothing is changed yet).
 */
async function writeNumberedBackup(
  backup: string,
  bytes: Uint8Array,
  target: string,
  mode: number,
): Promise<string> {
  for (let n = 2; n < 1000; n++) {
    const path = `${backup}.${n}`;
    try {
      await Deno.writeFile(path, bytes, { createNew: true, mode });
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) continue;
      throw new AppError("io.write_failed", `cannot write backup "${path}": ${error}`, {
        cause: error,
        hints: ["nothing was changed; make the directory writable or pass --output FILE"],
      });
    }
    const owner = await ownerOf(target);
    await setModeNoFollow(path, { kind: "file", mode, ...(owner ? { owner } : {}) });
    return path;
  }
  throw new AppError("io.write_failed", `cannot write a new backup beside "${backup}"`, {
    hints: [`nothing was changed; remove old backups ("${backup}.N") or pass --output FILE`],
  });
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

/** What to do when the new file could not be made beside `path` or renamed over it. */
function writeHint(path: string, cause: unknown): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : cut === 0 ? "/" : path.slice(0, cut);
  if (cause instanceof Deno.errors.PermissionDenied || cause instanceof Deno.errors.NotCapable) {
    return `nothing was changed; thoth writes the new file beside the config and renames it ` +
      `over it, so the directory "${dir}" must be writable: make it writable, or pass ` +
      "--output FILE in a writable directory";
  }
  if (cause instanceof Deno.errors.NotFound) {
    return `nothing was changed; the directory "${dir}" does not exist: create it, or pass ` +
      "--output FILE in an existing directory";
  }
  if (cause instanceof Deno.errors.NotADirectory) {
    return `nothing was changed; a parent of "${path}" is a file, not a directory: pass ` +
      "--output FILE in a directory";
  }
  return "nothing was changed; make the file and its directory writable, or pass --output FILE";
}

async function assertUnchanged(
  path: string,
  original: WriteConfigOptions["original"],
): Promise<void> {
  let now: Uint8Array | null = null;
  let mtime: number | null = null;
  try {
    now = await Deno.readFile(path);
    mtime = (await Deno.stat(path)).mtime?.getTime() ?? null;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const same = original === null
    ? now === null
    : now !== null && mtime === original.mtime && equalBytes(now, original.bytes);
  if (!same) {
    throw new AppError(
      "config.changed_on_disk",
      `config "${path}" changed on disk while thoth was working; nothing was written`,
      { hints: ["quit the client that edits it, then run the command again"] },
    );
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
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
