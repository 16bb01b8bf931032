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
 * not this function's to chmod. Symbolic links are left alone. On Windows,
 * file modes do not apply and are skipped.
 *
 * @example
 * ```ts
 * const { notices } = await bootstrapProfile("/home/ana/.thoth", Deno.build.os);
 * for (const notice of notices) console.error(`thoth: ${notice}`);
 * ```
 */
import { AppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";

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
  try {
    for (const dir of [thothHome, joinPath(thothHome, "sessions")]) {
      if (await ensureDirectory(dir, modes)) created.push(dir);
    }
    const intentMap = joinPath(thothHome, "intent_map.json");
    if (await createFileIfAbsent(intentMap, "{}\n")) created.push(intentMap);

    const secrets = [joinPath(thothHome, "proxy_api_key.json")];
    for await (const entry of Deno.readDir(joinPath(thothHome, "sessions"))) {
      if (entry.isFile && entry.name.endsWith(".jwt")) {
        secrets.push(joinPath(thothHome, "sessions", entry.name));
      }
    }
    if (modes) {
      for (const path of secrets) {
        const notice = await tightenSecret(path);
        if (notice !== null) notices.push(notice);
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const why = error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new AppError("io.profile", `cannot set up the profile "${thothHome}": ${why}`, {
      hints: ["set THOTH_HOME to a directory you own, or fix the permissions of this one"],
      cause: error,
    });
  }
  return { created, notices };
}

async function ensureDirectory(path: string, modes: boolean): Promise<boolean> {
  try {
    const info = await Deno.lstat(path);
    if (!info.isDirectory) {
      throw new AppError("io.profile", `"${path}" exists but is not a directory`, {
        hints: ["move it aside, or set THOTH_HOME to another directory"],
      });
    }
    return false;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(path, { recursive: true, mode: 0o700 });
  if (modes) await Deno.chmod(path, 0o700); // the umask may have narrowed or the parent widened it
  return true;
}

async function createFileIfAbsent(path: string, text: string): Promise<boolean> {
  try {
    await Deno.writeTextFile(path, text, { createNew: true, mode: 0o600 });
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
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
  await Deno.chmod(path, 0o600);
  return `tightened the permissions of "${path}" from ${octal(mode)} to 0600: it holds a secret`;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
