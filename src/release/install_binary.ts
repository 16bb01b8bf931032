/**
 * The last step of `thoth update`: put verified bytes in place of the
 * installed binary so that at every moment a working binary is there, and
 * put the old one back if the new one does not run. The caller holds the
 * update lock (`update_lock.ts`), so no other update touches these files;
 * every file this step makes carries this run's id, and it removes only
 * files it made.
 *
 * 1. the new binary is written beside the old one (`.thoth.new-<id>`) with
 *    the installed binary's permission bits (0750 stays 0750; set-id bits
 *    are not carried over) and, where this process may set them, its owner
 *    and group;
 * 2. POSIX: the old one is hard-linked (or copied) to `thoth.old-<id>`, then
 *    the new one is renamed over `thoth` (an atomic replace). Windows: the
 *    running `thoth.exe` is renamed to `thoth.exe.old-<id>` (allowed while it
 *    runs), then the new one is moved in;
 * 3. the installed path is run with `--version`; it must exit 0 and print
 *    `thoth <new version>`. Then the backup is deleted; otherwise it is moved
 *    back and the update fails.
 *
 * Windows cannot delete a binary that is running: a backup it cannot delete
 * is renamed `.thoth.exe.retired-<id>`, and the next update deletes files so
 * named.
 *
 * An update that was interrupted (killed, a power cut) may leave its own
 * files behind. The next update, holding the lock, deletes those that are
 * never the only copy of a working binary: a staged `.thoth.new-<id>`, a
 * `thoth.failed-<id>`, and a `thoth.old-<id>` that is another name of the
 * installed binary itself (a hard link made just before the replace). A
 * `thoth.old-<id>` that is another file may be the last copy of the previous
 * binary: it is kept, and reported. Nothing else is touched.
 *
 * @example
 * ```ts
 * await installBinary({
 *   path: "/usr/local/bin/thoth", bytes, os: "linux", binary: "thoth",
 *   version: "0.2.0", previous: "0.1.0", versionTimeoutMs: 30_000, progress: () => {},
 * });
 * ```
 */
import { AppError } from "../errors.ts";
import { fileMode } from "../platform/file_mode.ts";
import { ownerOf } from "../platform/atomic_write.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";

/** What to install where. */
export interface InstallRequest {
  /** The installed binary to replace. */
  readonly path: string;
  /** The new binary, already verified. */
  readonly bytes: Uint8Array;
  /** `Deno.build.os` of the machine: Windows replaces by renaming the running binary. */
  readonly os: string;
  /** The binary's name in `--version` output. */
  readonly binary: string;
  /** The version being installed, which `--version` must print. */
  readonly version: string;
  /** The version installed now, for the message after a rollback. */
  readonly previous: string;
  /** How long the new binary gets to answer `--version`. */
  readonly versionTimeoutMs: number;
  /** Progress lines for a person. */
  readonly progress: (line: string) => void;
  /** This run's id in the names of the files it makes; random by default. */
  readonly id?: string;
}

/** Replaces `request.path`, checks the new binary runs, or restores the old one. */
export async function installBinary(request: InstallRequest): Promise<void> {
  const { path, os, binary, version } = request;
  const windows = os === "windows";
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
  const name = path.slice(cut + 1);
  const sep = windows ? "\\" : "/";
  const id = request.id ?? crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const staged = `${dir}${sep}.${name}.new-${id}`;
  const backup = `${path}.old-${id}`;
  const retiredPrefix = `.${name}.retired-`;

  await removeLeftovers(dir, sep, name, path, request.progress);
  let owner: { uid: number; gid: number } | undefined;
  let staging = false;
  try {
    const mode = windows ? undefined : ((await fileMode(path)) ?? 0o755) & 0o777;
    owner = windows ? undefined : await ownerOf(path);
    const file = await Deno.open(staged, { write: true, createNew: true, mode: 0o700 });
    staging = true;
    try {
      let rest = request.bytes;
      while (rest.length > 0) rest = rest.subarray(await file.write(rest));
    } finally {
      file.close();
    }
    if (mode !== undefined) {
      // Through the staged file's handle, never its name: run as root on a binary
      // in a folder a user owns, the name can be swapped for a link meanwhile.
      await setModeNoFollow(staged, { kind: "file", mode, ...(owner ? { owner } : {}) });
    }
  } catch (error) {
    if (staging) await removeQuietly(staged);
    throw new AppError(
      "release.install_failed",
      `cannot write the new binary beside "${path}": ${(error as Error).message}`,
      {
        cause: error,
        hints: ["run the update as the user that owns the installed binary; nothing was changed"],
      },
    );
  }

  let backedUp = false;
  try {
    if (windows) {
      await Deno.rename(path, backup);
      try {
        await Deno.rename(staged, path);
      } catch (error) {
        try {
          await Deno.rename(backup, path);
        } catch (undo) {
          throw rollbackFailed(path, backup, "could not be moved in", undo);
        }
        throw error;
      }
    } else {
      try {
        await Deno.link(path, backup);
        backedUp = true;
      } catch (error) {
        if (error instanceof Deno.errors.AlreadyExists) throw error;
        backedUp = true; // the name was free: what the copy leaves there is this run's
        await Deno.copyFile(path, backup);
        if (owner !== undefined) await setModeNoFollow(backup, { kind: "file", owner });
      }
      await Deno.rename(staged, path);
    }
  } catch (error) {
    await removeQuietly(staged);
    if (error instanceof AppError) throw error; // the backup is the only old binary left
    if (backedUp) await removeQuietly(backup);
    throw new AppError(
      "release.install_failed",
      `cannot replace "${path}": ${(error as Error).message}`,
      {
        cause: error,
        hints: ["nothing was changed; check that the directory is writable"],
      },
    );
  }

  request.progress(`checking the new binary: ${path} --version`);
  const check = await runVersion(path, request.versionTimeoutMs);
  const expected = `${binary} ${version}`;
  if (check.ok && (check.line === expected || check.line.startsWith(`${expected} `))) {
    await retire(backup, `${dir}${sep}${retiredPrefix}${id}`);
    return;
  }
  await restore(path, backup, `${path}.failed-${id}`, windows);
  throw new AppError(
    "release.new_binary_failed",
    `the new ${binary} ${version} did not pass "--version" (${
      check.line.slice(0, 120) || "no output"
    }); restored ${request.previous}`,
    { hints: ["report this release; the installed binary is unchanged"] },
  );
}

/** Puts `backup` back at `path`; the new binary goes (through `failed` on Windows). */
async function restore(path: string, backup: string, failed: string, windows: boolean) {
  try {
    if (windows) {
      await Deno.rename(path, failed);
      await Deno.rename(backup, path);
      await removeQuietly(failed);
    } else {
      await Deno.rename(backup, path);
    }
  } catch (error) {
    throw rollbackFailed(path, backup, "failed its check", error);
  }
}

function rollbackFailed(path: string, backup: string, what: string, error: unknown): AppError {
  return new AppError(
    "release.rollback_failed",
    `the new binary for "${path}" ${what}, and the old one could not be put back: ${
      (error as Error).message
    }`,
    {
      cause: error,
      hints: [`the previous binary is kept as "${backup}": move it to "${path}" by hand`],
    },
  );
}

/** Deletes this run's backup, or (Windows, still running) marks it for the next update. */
async function retire(backup: string, retired: string): Promise<void> {
  try {
    await Deno.remove(backup);
  } catch {
    try {
      await Deno.rename(backup, retired);
    } catch { /* left as it is; nothing else deletes a backup */ }
  }
}

/** The id part of the names this step gives its files. */
const RUN_ID = /^[0-9a-z]{1,32}$/;

/**
 * Deletes what earlier updates left beside `path` and is never the only copy
 * of a working binary (see the module doc); reports a backup it keeps.
 */
async function removeLeftovers(
  dir: string,
  sep: string,
  name: string,
  path: string,
  progress: (line: string) => void,
): Promise<void> {
  const removable = [`.${name}.retired-`, `.${name}.new-`, `${name}.failed-`];
  const backup = `${name}.old-`;
  let installed: Deno.FileInfo | undefined;
  try {
    installed = await Deno.stat(path);
  } catch { /* compared with nothing: every backup is kept */ }
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile) continue;
      const full = `${dir}${sep}${entry.name}`;
      const prefix = removable.find((p) => entry.name.startsWith(p));
      if (prefix !== undefined) {
        if (RUN_ID.test(entry.name.slice(prefix.length))) {
          await removeQuietly(full);
          progress(`removed ${full}, left by an earlier update`);
        }
        continue;
      }
      if (!entry.name.startsWith(backup) || !RUN_ID.test(entry.name.slice(backup.length))) {
        continue;
      }
      const info = await Deno.lstat(full).catch(() => undefined);
      const same = installed !== undefined && info !== undefined && info.ino !== null &&
        info.ino === installed.ino && info.dev === installed.dev;
      if (same) {
        await removeQuietly(full);
        progress(`removed ${full}, a second name of the installed binary an earlier update left`);
      } else {
        progress(
          `warning: kept ${full}: an earlier update was interrupted and left this backup of a ` +
            `previous binary; once "${path}" works, delete it by hand`,
        );
      }
    }
  } catch { /* unreadable folder: the staging write below reports it */ }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch { /* absent, or still in use (Windows) */ }
}

/**
 * Runs `path --version` with a deadline: whether it exited 0, and the first
 * line it printed (or why it did not run).
 *
 * @example
 * ```ts
 * (await runVersion("/usr/local/bin/thoth", 30_000)).line; // "thoth 0.2.0 (…)"
 * ```
 */
export async function runVersion(
  path: string,
  timeoutMs: number,
): Promise<{ ok: boolean; line: string }> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(path, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { ok: false, line: `cannot start: ${(error as Error).message}` };
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }, timeoutMs);
  try {
    const out = await child.output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    const line = stdout.split("\n")[0] ?? "";
    return { ok: out.code === 0, line: out.code === 0 ? line : `exit ${out.code}: ${line}` };
  } finally {
    clearTimeout(timer);
  }
}
