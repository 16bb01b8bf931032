/**
 * Doctor check `profile`: the profile could be set up, exists, is owned by
 * this user (run as root, by the user who owns the profile folder), its
 * directories are 0700 and its secrets (`proxy_api_key.json`, session files,
 * `keys/`) are 0600 and the user's. The key file or a session file root owns
 * is judged as `thoth run` judges it (`secretModeVerdict`): private to root
 * (no group or other bits) it passes, as run uses it (whether the user can
 * read it is the credentials check's to say); readable by others it fails in
 * run's words (`credentials.exposed`), with the `chown` root runs to give it
 * to the user; the key
 * and token files named by `THOTH_API_KEY_FILE` and `THOTH_AUTH_TOKEN_FILE`
 * are 0600 too (`namedSecretExposure`, in the words `thoth run` warns with),
 * in folders others cannot write to (`named_secret_files.ts`). A profile folder root
 * owns for a user who is not root (a fleet's `/var/lib/thoth`, 0755) passes,
 * as managed by root, while no group or other user may write to it and the
 * user may enter it; the folders in it must still be the user's and 0700.
 * The hint is one pasteable POSIX shell command that fixes all of
 * it, every path single-quoted (a planted name like `x$(…).jwt` stays a
 * name). A secret file in the profile owned by another user is not adopted
 * with `chown`: someone else wrote it, so the hint removes it. Nor is a
 * profile folder another user owns, checked by a user who is not root (who
 * could not chown it): the hint says to choose another `THOTH_HOME`. A folder
 * its owner cannot list, enter or write (no `u+rwx`), or a file its owner
 * cannot read or write (no `u+rw`), fails too, with the same chmod. What is
 * no folder where a folder must be (a file, a FIFO, a link to no folder)
 * fails with `mv X X.broken`, as `thoth approvals list` says: thoth makes the
 * folder again. Modes are not checked on Windows. A profile that is the
 * root of the file system (`io.profile_is_root`) fails with the set-up's
 * words and hint alone: its modes and contents are not looked at.
 *
 * @example
 * ```ts
 * (await checkProfile(context)).hint; // "chmod 600 '/home/ana/.thoth/proxy_api_key.json'"
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import { modeText } from "../platform/file_mode.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { shellQuote } from "./shell_quote.ts";
import { isAppError } from "../errors.ts";
import { refuseUnsafeForRoot } from "../platform/root_safe_path.ts";
import { profileFolderProblem } from "./profile_folder_problem.ts";
import { profileIsFileSystemRoot } from "./profile_is_root.ts";
import { secretModeVerdict } from "../identity/secret_mode_verdict.ts";
import { folderOf } from "../platform/durable_file.ts";
import { thothHomeError } from "../identity/thoth_home_error.ts";
import { inspectNamedFiles } from "./named_secret_files.ts";

const DIRECTORIES = ["sessions", "audit", "approvals", "state", "keys"] as const;

/** The folders a `thoth run` session's sandboxed core is granted (see `sessionFolders`). */
const SESSION_FOLDERS: ReadonlySet<string> = new Set(["audit", "approvals", "state"]);

/**
 * What a link in a session folder's place means: the proxy core's sandbox is
 * granted the folder by its real path too, so it reads and writes where the
 * link leads. Empty for any other link.
 */
async function sandboxReach(home: string, path: string): Promise<string> {
  const name = path.split(/[\\/]/).pop() ?? "";
  if (!SESSION_FOLDERS.has(name) || path !== joinPath(home, name)) return "";
  const target = await Deno.realPath(path).catch(() => null);
  return ` (to ${target === null ? "a folder" : `"${target}"`}): the proxy core's sandbox ` +
    "follows it, so a thoth run session's core would reach the folder it leads to";
}

/** Checks the profile's setup, existence, ownership and modes. */
export async function checkProfile(context: DoctorContext): Promise<DoctorCheck> {
  const home = context.thothHome;
  const setup = context.profileSetupProblem;
  const fail = (message: string, hint: string | null): DoctorCheck => ({
    id: "profile",
    status: "fail",
    message,
    hint,
  });
  // A THOTH_HOME that is no absolute path names no profile: the variable, its value and the fix.
  const badHome = thothHomeError(context.env, context.os);
  if (badHome !== null) return fail(badHome.message, badHome.hints[0] ?? null);
  // The root of the file system is refused as a profile (io.profile_is_root): only the set-up's
  // words and hint, never a remedy that would change "/" itself (chmod 700 '/').
  if (await profileIsFileSystemRoot(context)) {
    return fail(
      setup?.message ?? `the profile "${home}" is the root of the file system: thoth sets up ` +
          "nothing there",
      setup?.hint ?? "set THOTH_HOME to a folder of its own, or unset it to use ~/.thoth",
    );
  }
  // A file where the profile should be, in the words every command uses (io.profile_not_folder).
  const notFolder = await profileFolderProblem(context);
  if (notFolder !== null) return fail(notFolder.message, notFolder.hints[0] ?? null);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(home);
  } catch {
    return fail(
      `the profile "${home}" does not exist` + (setup === undefined ? "" : `: ${setup.message}`),
      setup?.hint ?? 'run "thoth doctor" again (it creates the profile), or set THOTH_HOME',
    );
  }
  if (!info.isDirectory) {
    return fail(
      `the profile "${home}" is not a directory`,
      "move it aside, or set THOTH_HOME to another directory",
    );
  }
  if (context.os === "windows") {
    if (setup !== undefined) return fail(setup.message, setup.hint);
    return {
      id: "profile",
      status: "pass",
      message: `profile "${home}" (modes not checked on Windows)`,
      hint: null,
    };
  }
  const problems: string[] = [];
  const misplaced: string[] = [];
  // Root's credentials others can read, in thoth run's words (`credentials.exposed`).
  const exposed: string[] = [];
  const fixes: string[] = [];
  // Root (a management tool) checks a profile another user keeps against
  // that user: the profile must be theirs, not root's.
  const self = context.host.uid();
  const uid = self === 0 && info.uid !== null && info.uid !== 0 ? info.uid : self;
  const whom = uid === self ? `you (uid ${uid})` : `the profile's owner (uid ${uid})`;
  // Root's own profile in a place root cannot trust: thoth run as root refuses it.
  if (self === 0 && uid === 0) {
    try {
      await refuseUnsafeForRoot(home, "the profile");
    } catch (error) {
      if (!isAppError(error, "io.unsafe_for_root")) throw error;
      return fail(error.message, error.hints[0] ?? null);
    }
  }
  let foreignFolder = false;
  // A profile folder root owns for the user (a fleet's /var/lib/thoth, 0755): managed by root.
  let managed = false;
  const inspect = async (path: string, want: 0o700 | 0o600, isDir: boolean) => {
    let entry: Deno.FileInfo;
    try {
      entry = await Deno.lstat(path);
    } catch {
      return;
    }
    // No folder where one must be (a file, a FIFO, a link to no folder): thoth can keep nothing
    // there, and no chmod helps. Moved aside, as "thoth approvals list" says; thoth makes it again.
    let what: string | null = null;
    if (isDir && !entry.isDirectory) {
      if (!entry.isSymlink) what = `a ${entry.isFile ? "file" : "special file"}`;
      else if (!(await Deno.stat(path).then((to) => to.isDirectory, () => false))) {
        what = "a symbolic link to no folder";
      }
    }
    if (what !== null) {
      misplaced.push(`"${path}" is ${what}, not a folder, so thoth can keep nothing there`);
      fixes.push(`mv ${shellQuote(path)} ${shellQuote(`${path}.broken`)}`);
      return;
    }
    if (entry.isSymlink) {
      const q = shellQuote(path);
      problems.push(`"${path}" is a symbolic link${await sandboxReach(home, path)}`);
      if (uid !== self) {
        // Root checking another user's profile: a copy made by root would read what
        // the link leads to with root's rights (a root-only file the user pointed at)
        // into the user's profile. The link goes; what it leads to stays where it is.
        fixes.push(
          `rm ${q}` + (isDir ? "" : " (then save the credential again as the profile's owner)"),
        );
        return;
      }
      // The user's own link: a copy of what it leads to takes its place (mv replaces the link).
      const copy = shellQuote(`${path}.thoth-copy`);
      fixes.push(
        `cp -${isDir ? "R" : ""}L ${q} ${copy} && rm ${q} && mv ${copy} ${q} && ` +
          `chmod ${want.toString(8)} ${q}`,
      );
      return;
    }
    if (path === home && entry.uid === 0 && uid !== 0) {
      // Root's, for the user: as safe as the user's own (`ownerOrRoot`, the rule thoth run reads
      // it by) while no group or other user may write to it and the user may enter it; the
      // folders and secrets in it are judged below, as ever.
      const mode = entry.mode ?? 0;
      const writable = writableByOthers(mode);
      if (writable !== undefined) {
        problems.push(`"${path}" is root's and ${modeText(mode)}: ${writable}`);
        fixes.push(`chmod go-w ${shellQuote(path)}`);
      } else if ((mode & 0o011) === 0) {
        // Neither its group nor others may enter it: thoth, run by the user, reads nothing in it.
        problems.push(`"${path}" is root's and ${modeText(mode)}: ${whom} cannot enter it`);
        fixes.push(`chmod 755 ${shellQuote(path)}`);
      } else managed = true;
      return;
    }
    // A credential thoth run keeps (the key file, a session file) that root owns is judged as
    // run judges it (`secretModeVerdict`): private (no group or other bits), it is as trusted as
    // the user's own (`ownerOrRoot`); readable by others, run refuses it, and so does this
    // check, in run's words. Whether the user can read it is the credentials check's to say.
    if (!isDir && entry.uid === 0 && uid !== null && uid !== 0 && isRunSecret(home, path)) {
      const verdict = secretModeVerdict(path, entry, { owner: uid, self: self ?? uid });
      if (verdict.kind === "exposed") {
        exposed.push(verdict.error.message);
        fixes.push(`chown ${uid} ${shellQuote(path)} && chmod 600 ${shellQuote(path)}`);
      }
      return;
    }
    // Any other secret another user owns (root's in keys/ included) fails: someone else wrote it.
    if (uid !== null && entry.uid !== null && entry.uid !== uid) {
      if (!isDir) {
        // A secret another user wrote is not ours to adopt: it goes.
        problems.push(
          `"${path}" is owned by uid ${entry.uid}, not ${whom}: ` +
            "another user wrote it, so thoth cannot trust it",
        );
        fixes.push(`rm -f ${shellQuote(path)}`);
        return;
      }
      problems.push(`"${path}" is owned by uid ${entry.uid}, not ${whom}`);
      // Only root may chown; and a user who took the folder over would adopt
      // whatever its owner put in it: another profile is the way out.
      if (self !== 0) foreignFolder = true;
      else fixes.push(`chown ${uid} ${shellQuote(path)}`);
    }
    const mode = (entry.mode ?? 0) & 0o777;
    // Its owner must be able to use it: a folder u+rwx, a file u+rw.
    const locked = (mode & want & 0o700) !== (want & 0o700);
    if ((mode & 0o077) !== 0 || locked) {
      problems.push(
        `"${path}" is ${modeText(mode)}; it must be ${modeText(want)}` +
          (locked
            ? `: its owner cannot ${isDir ? "list, enter or write" : "read or write"} it`
            : ""),
      );
      fixes.push(`chmod ${want.toString(8)} ${shellQuote(path)}`);
    }
  };
  await inspect(home, 0o700, true);
  for (const dir of DIRECTORIES) await inspect(joinPath(home, dir), 0o700, true);
  await inspect(joinPath(home, "proxy_api_key.json"), 0o600, false);
  for (const dir of ["sessions", "keys"]) {
    try {
      for await (const entry of Deno.readDir(joinPath(home, dir))) {
        if (!entry.isDirectory) await inspect(joinPath(home, dir, entry.name), 0o600, false);
      }
    } catch {
      // Absent directories were reported above if they matter.
    }
  }
  const named = await inspectNamedFiles(context, uid, whom);
  if (
    setup !== undefined || misplaced.length > 0 || exposed.length > 0 || problems.length > 0 ||
    named.problems.length > 0
  ) {
    const parts = [
      ...(setup === undefined ? [] : [setup.message]),
      ...misplaced,
      // The set-up (thoth run's own bootstrap) may have refused the first one already.
      ...exposed.filter((text) => text !== setup?.message),
      ...(problems.length > 0 ? [`profile "${home}" is not private: ${problems.join("; ")}`] : []),
      ...named.problems,
    ];
    const allFixes = [...fixes, ...named.fixes];
    return fail(
      parts.join("; "),
      foreignFolder
        ? "set THOTH_HOME to a folder of your own that does not exist yet (thoth makes it " +
          "0700); do not chown this profile: that would adopt whatever its owner put in it"
        : allFixes.length > 0
        ? allFixes.join(" && ")
        : setup?.hint ?? null,
    );
  }
  return {
    id: "profile",
    status: "pass",
    message: managed
      ? `profile "${home}" is managed by root (root's folder, ${
        modeText(info.mode ?? 0)
      }, writable by root alone); the folders and secrets in it are private (0700/0600)`
      : `profile "${home}" is private (0700/0600)`,
    hint: null,
  };
}

/**
 * Whether `path` is a secret `thoth run` makes private before it starts
 * (`bootstrapProfile`): the profile's API key file, or a session file.
 */
function isRunSecret(home: string, path: string): boolean {
  return path === joinPath(home, "proxy_api_key.json") ||
    (folderOf(path) === joinPath(home, "sessions") && path.endsWith(".jwt"));
}

/** Why a folder of mode `mode` is one a group or other users may write to; undefined if not. */
function writableByOthers(mode: number): string | undefined {
  if ((mode & 0o022) === 0) return undefined;
  return `${(mode & 0o002) !== 0 ? "every user" : "any member of its group"} can put a file ` +
    "of their own in it";
}
