/**
 * The first thing `thoth run` does, before it checks its flags or its
 * environment: the secrets already in the profile (`proxy_api_key.json`,
 * `sessions/*.jwt`, see `tighten_secret.ts`) that others can read and that
 * are this user's to chmod are made 0600, as the profile's set-up would make
 * them once the checks pass. A session thoth refuses (no `THOTH_USER_ID` with
 * a tenant, a mistyped flag) never gets to that set-up, and would otherwise
 * leave a key others can read as it was, every time.
 *
 * Best effort, and never in the way of the checks that follow: it creates
 * nothing (no profile, no folder, no file), writes nothing but the notices it
 * returns, never throws, and changes nothing where the profile's set-up would
 * refuse to (no profile found, a `THOTH_HOME` that is not an absolute path,
 * the root of the file system, a place root cannot trust when run as root).
 * A secret others can read that is not this user's to chmod is left as it is
 * (`secret_mode_verdict.ts`): the set-up refuses it once the checks pass,
 * and a refusal before that still says only what it says. Files are only
 * looked at (`lstat`, `stat`) before one is changed through a handle opened
 * without blocking: a FIFO in the place of a secret never holds it up. It
 * leaves folders' modes as they are, as the set-up does (`thoth doctor`
 * reports a profile folder others can enter). On Windows it does nothing.
 *
 * @example
 * ```ts
 * const notices = await tightenExistingSecrets("/home/ana/.thoth", Deno.env.toObject(), "linux");
 * for (const notice of notices) console.error(`thoth: ${notice}`);
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import { isFileSystemRoot } from "../platform/file_system_root.ts";
import { rootMustNotWrite } from "../platform/root_safe_path.ts";
import { isAbsolutePath } from "./_env_rules.ts";
import { thothHomeError } from "./thoth_home_error.ts";
import { profileSecrets, tightenSecret } from "./tighten_secret.ts";

/**
 * Tightens the secrets already in the profile at `thothHome` (found from
 * `env` on `os`) that others can read and this user may chmod; returns a
 * notice for each one it tightened, to show once. Never throws.
 */
export async function tightenExistingSecrets(
  thothHome: string,
  env: Readonly<Record<string, string | undefined>>,
  os: string,
): Promise<string[]> {
  const notices: string[] = [];
  try {
    for (const path of await secretsToJudge(thothHome, env, os)) {
      try {
        const notice = await tightenSecret(path);
        if (notice !== null) notices.push(notice);
      } catch {
        // Not this user's to chmod (credentials.exposed), or swapped meanwhile: the profile's
        // set-up judges it again, once the session's checks pass, and says why.
      }
    }
  } catch {
    // Nothing to find, or not allowed to look: the checks that follow say what matters.
  }
  return notices;
}

/** The secrets of an existing profile the profile's set-up would tighten; none where it would not. */
async function secretsToJudge(
  thothHome: string,
  env: Readonly<Record<string, string | undefined>>,
  os: string,
): Promise<string[]> {
  if (os === "windows") return [];
  if (thothHomeError(env, os) !== null || !isAbsolutePath(thothHome, os)) return [];
  if (isFileSystemRoot(thothHome, os)) return [];
  // A link to the profile is followed, as the set-up follows it; to the root of the file
  // system it is refused there, and nothing is changed here.
  if (!(await isFolder(thothHome))) return [];
  if (isFileSystemRoot(await Deno.realPath(thothHome), os)) return [];
  // Root in a place another user can change changes nothing (the set-up refuses it).
  if (await rootMustNotWrite(thothHome)) return [];
  const key = joinPath(thothHome, "proxy_api_key.json");
  return (await isFolder(joinPath(thothHome, "sessions")))
    ? await profileSecrets(thothHome)
    : [key];
}

/** Whether `path` is a folder, or a link to one; never opens it. */
async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
