/**
 * Creates the `~/.thoth` profile on first run and keeps its secrets private:
 * the profile directory and `sessions/` (0700), an empty `intent_map.json`
 * (`{}`, 0600), and it tightens `proxy_api_key.json` and session files to
 * 0600 when they are readable by others. Idempotent: a second run changes
 * nothing and says nothing. Returns what it did as notices for the CLI to
 * print (each one is said once, because the fix makes it not apply again).
 *
 * It never loosens or tightens a directory that already existed: a
 * `THOTH_HOME` pointed at a shared directory is `thoth doctor`'s to report,
 * not this function's to chmod. Symbolic links are left alone. Run as root,
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
import { folderOf } from "../platform/durable_file.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";
import { refuseUnsafeForRoot } from "../platform/root_safe_path.ts";

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

    const secrets = [joinPath(thothHome, "proxy_api_key.json")];
    at = joinPath(thothHome, "sessions");
    for await (const entry of Deno.readDir(at)) {
      if (entry.isFile && entry.name.endsWith(".jwt")) {
        secrets.push(joinPath(thothHome, "sessions", entry.name));
      }
    }
    if (modes) {
      for (const path of secrets) {
        at = path;
        const notice = await tightenSecret(path);
        if (notice !== null) notices.push(notice);
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const why = error instanceof Deno.errors.PermissionDenied ||
        (error as { code?: unknown }).code === "EPERM"
      ? "permission denied"
      : error instanceof Error
      ? error.message
      : String(error);
    const where = at === thothHome ? "" : ` (at "${at}")`;
    throw new AppError("io.profile", `cannot set up the profile "${thothHome}"${where}: ${why}`, {
      hints: at === thothHome
        ? ["set THOTH_HOME to a directory you own, or fix the permissions of this one"]
        : [`make "${at}" yours (or remove it if you did not put it there), then run again`],
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

async function createFileIfAbsent(path: string, text: string, modes: boolean): Promise<boolean> {
  try {
    await Deno.writeTextFile(path, text, { createNew: true, mode: 0o600 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
  if (modes) await settleNew(path, "file", 0o600);
  return true;
}

async function tightenSecret(path: string): Promise<string | null> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  if (!info.isFile || info.mode === null) return null;
  const mode = info.mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  // Through a handle: a link swapped in after the check above is refused, not followed.
  await setModeNoFollow(path, { kind: "file", mode: 0o600 });
  return `tightened the permissions of "${path}" from ${octal(mode)} to 0600: it holds a secret`;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
