/**
 * Creates the `~/.thoth` profile on first run and keeps its secrets private:
 * the profile directory and `sessions/` (0700), an empty `intent_map.json`
 * (`{}`, 0600; written whole or not at all, so a full disk leaves none for a
 * later run to trip on), and it tightens `proxy_api_key.json` and session files to
 * 0600 when they are readable by others. One readable by others that another
 * user owns (root's, in a profile root manages) cannot be tightened and is
 * refused (`credentials.exposed`, `secret_mode_verdict.ts`): thoth never uses
 * a secret others can read. Idempotent: a second run changes
 * nothing and says nothing. Returns what it did as notices for the CLI to
 * print (each one is said once, because the fix makes it not apply again).
 *
 * It never loosens or tightens a directory that already existed: a
 * `THOTH_HOME` pointed at a shared directory is `thoth doctor`'s to report,
 * not this function's to chmod. Symbolic links are left alone. The root of
 * the file system (`/`, `C:\`, or a link to one) is never a profile
 * (`io.profile_is_root`): the profile's files would sit among the system's,
 * and the sandboxed core's folders (`/audit`) with them. Run as root,
 * it refuses (`io.unsafe_for_root`) a profile in a place another user can
 * change (see `platform/root_safe_path.ts`): a management tool runs it as the
 * profile's user instead. On Windows,
 * file modes do not apply and are skipped.
 *
 * @example
 * ```ts
 * const { notices } = await bootstrapProfile("/home/ana/.thoth", Deno.build.os);
 * for (const notice of notices) console.error(`thoth: ${notice}`);
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";
import { pathExists } from "../platform/path_exists.ts";
import { folderOf, syncFolder, writeAllSynced } from "../platform/durable_file.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";
import { refuseUnsafeForRoot } from "../platform/root_safe_path.ts";
import { isFileSystemRoot } from "../platform/file_system_root.ts";
import { profileSetupHint, profileSetupProblem } from "./profile_setup_hint.ts";
import { profileSecrets, tightenSecret } from "./tighten_secret.ts";

/** What {@linkcode bootstrapProfile} did. */
export interface ProfileBootstrap {
  /** Paths it created. */
  readonly created: readonly string[];
  /** Sentences to show the person once, e.g. a permission it tightened. */
  readonly notices: readonly string[];
}

/** Bootstraps the profile at `thothHome`; throws `io.profile` when it cannot. */
export async function bootstrapProfile(thothHome: string, os: string): Promise<ProfileBootstrap> {
  const modes = os !== "windows";
  const created: string[] = [];
  const notices: string[] = [];
  await refuseFileSystemRoot(thothHome, os);
  // Root in a folder another user can change creates and changes nothing.
  if (modes) await refuseUnsafeForRoot(thothHome, "the profile");
  // What the bootstrap was doing when it failed, for the message.
  let at = thothHome;
  try {
    for (const dir of [thothHome, joinPath(thothHome, "sessions")]) {
      at = dir;
      if (await ensureDirectory(dir, modes)) created.push(dir);
    }
    const intentMap = joinPath(thothHome, "intent_map.json");
    at = intentMap;
    if (await createFileIfAbsent(intentMap, "{}\n", modes)) created.push(intentMap);

    at = joinPath(thothHome, "sessions");
    const secrets = await profileSecrets(thothHome);
    if (modes) {
      for (const path of secrets) {
        at = path;
        const notice = await tightenSecret(path);
        if (notice !== null) notices.push(notice);
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The hint follows the reason: a full disk or a read-only one is no
    // matter of ownership.
    const problem = profileSetupProblem(error);
    const why = problem === "permission"
      ? "permission denied"
      : error instanceof Error
      ? error.message
      : String(error);
    const where = at === thothHome ? "" : ` (at "${at}")`;
    throw new AppError("io.profile", `cannot set up the profile "${thothHome}"${where}: ${why}`, {
      hints: [profileSetupHint(problem, thothHome, at)],
      cause: error,
    });
  }
  return { created, notices };
}

/**
 * {@linkcode bootstrapProfile} for commands that may only read the profile
 * (`doctor`, `health`, `thothctl`): run as root on an existing profile another
 * user keeps, it sets nothing up in it and reports nothing (the commands that
 * write there refuse on their own); every other failure is thrown as there.
 */
export async function bootstrapForReading(
  thothHome: string,
  os: string,
): Promise<ProfileBootstrap> {
  try {
    return await bootstrapProfile(thothHome, os);
  } catch (error) {
    if (isAppError(error, "io.unsafe_for_root") && (await isDirectory(thothHome))) {
      return { created: [], notices: [] };
    }
    throw error;
  }
}

/** Throws `io.profile_is_root` when `thothHome` is, or leads to, the root of a file system. */
async function refuseFileSystemRoot(thothHome: string, os: string): Promise<void> {
  let real: string | undefined;
  try {
    real = await Deno.realPath(thothHome);
  } catch {
    real = undefined; // Not there yet: it is made as a folder of its own.
  }
  const root = isFileSystemRoot(thothHome, os)
    ? thothHome
    : real !== undefined && isFileSystemRoot(real, os)
    ? real
    : undefined;
  if (root === undefined) return;
  const leads = root === thothHome ? "is" : `leads to "${root}",`;
  const example = os === "windows" ? "C:\\ProgramData\\thoth" : "/var/lib/thoth";
  throw new AppError(
    "io.profile_is_root",
    `the profile "${thothHome}" ${leads} the root of the file system: thoth keeps its policy, ` +
      "keys and audit log in a folder of their own, and sets up nothing there",
    {
      hints: [
        `set THOTH_HOME to a folder of its own, such as ${example} (thoth makes it, 0700), or ` +
        "unset it to use ~/.thoth",
      ],
    },
  );
}

async function ensureDirectory(path: string, modes: boolean): Promise<boolean> {
  try {
    const info = await Deno.lstat(path);
    // A link to a directory is left alone (an admin may keep the profile elsewhere).
    if (info.isDirectory || (info.isSymlink && (await isDirectory(path)))) return false;
    const what = info.isSymlink ? "a symbolic link to no directory" : "not a directory";
    throw new AppError("io.profile", `"${path}" exists but is ${what}`, {
      hints: ["move it aside, or set THOTH_HOME to another directory"],
    });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const missing = await missingFolders(path);
  await Deno.mkdir(path, { recursive: true, mode: 0o700 });
  // The umask may have narrowed the mode or the parent widened it.
  if (modes) { for (const dir of missing) await settleNew(dir, "directory", 0o700); }
  return true;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** The folders `Deno.mkdir(path, { recursive: true })` would create, outermost first. */
async function missingFolders(path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = path; dir !== folderOf(dir); dir = folderOf(dir)) {
    try {
      await Deno.lstat(dir);
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      missing.unshift(dir);
    }
  }
  return missing;
}

/**
 * Gives what this run just created the mode asked for, if the umask narrowed
 * it or the parent widened it, through a handle, so nothing swapped in
 * meanwhile is changed instead.
 */
async function settleNew(path: string, kind: "file" | "directory", mode: number): Promise<void> {
  const info = await Deno.lstat(path);
  if (info.mode !== null && (info.mode & 0o7777) === mode) return;
  await setModeNoFollow(path, { kind, mode });
}

/**
 * Creates `path` holding `text`, unless something is there already (which
 * wins, and is never replaced). The text is written and synced to a temp file
 * in the same folder first, then linked into place: a write that fails (a
 * full disk) or a crash leaves no `path` at all, never an empty or half file
 * that would stop every later run. Where the file system has no hard links,
 * the file is created in place and removed again if its write fails.
 */
async function createFileIfAbsent(path: string, text: string, modes: boolean): Promise<boolean> {
  // Something there already: nothing to write (a full disk must not stop a set-up profile).
  if (await pathExists(path)) return false;
  const bytes = new TextEncoder().encode(text);
  const folder = folderOf(path);
  const temp = joinPath(folder, `.${path.slice(folder.length + 1)}.${randomHex()}.tmp`);
  await writeAllSynced(await Deno.open(temp, { write: true, createNew: true, mode: 0o600 }), bytes)
    .catch(async (error) => {
      await Deno.remove(temp).catch(() => {});
      throw error;
    });
  try {
    if (modes) await settleNew(temp, "file", 0o600);
    try {
      // A link never replaces a name: one made meanwhile by someone else wins.
      await Deno.link(temp, path);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      return await createInPlace(path, bytes, modes);
    }
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
  syncFolder(folder);
  return true;
}

/** {@linkcode createFileIfAbsent} without a link: removes what it made if the write fails. */
async function createInPlace(path: string, bytes: Uint8Array, modes: boolean): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
  // Its identity, to know it again below (unknown where the system gives no inode).
  const made = await file.stat().catch(() => undefined);
  try {
    await writeAllSynced(file, bytes);
  } catch (error) {
    // Only the file this call made goes: one put in its place since is someone else's.
    const now = await Deno.lstat(path).catch(() => undefined);
    const known = made?.ino != null && now?.ino != null;
    const ours = now !== undefined && now.isFile &&
      (known ? now.ino === made?.ino && now.dev === made?.dev : now.size < bytes.length);
    if (ours) await Deno.remove(path).catch(() => {});
    throw error;
  }
  if (modes) await settleNew(path, "file", 0o600);
  syncFolder(folderOf(path));
  return true;
}

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
