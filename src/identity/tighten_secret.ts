/**
 * The secrets thoth keeps in a profile, and how a secret others can read is
 * made private. {@linkcode profileSecrets} lists them: the API key file
 * `proxy_api_key.json` and each session file `sessions/*.jwt`.
 * {@linkcode tightenSecret} makes one 0600 when its group or other users may
 * read it and the user running thoth may chmod it, by the rule of
 * `secret_mode_verdict.ts`; one others can read that is not theirs to chmod
 * is refused (`credentials.exposed`), never changed. Used by
 * `bootstrap_profile.ts` and, before `thoth run` checks anything, by
 * `tighten_existing_secrets.ts`.
 *
 * @example
 * ```ts
 * for (const path of await profileSecrets("/home/ana/.thoth")) {
 *   const notice = await tightenSecret(path);
 *   if (notice !== null) console.error(`thoth: ${notice}`);
 * }
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import { modeText } from "../platform/file_mode.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import { secretModeVerdict } from "./secret_mode_verdict.ts";

/**
 * The secrets in the profile at `thothHome`: its API key file (there or
 * not) and the session files its `sessions/` folder lists (plain files named
 * `*.jwt`; a link is not one). Throws what reading `sessions/` throws.
 */
export async function profileSecrets(thothHome: string): Promise<string[]> {
  const secrets = [joinPath(thothHome, "proxy_api_key.json")];
  const sessions = joinPath(thothHome, "sessions");
  for await (const entry of Deno.readDir(sessions)) {
    if (entry.isFile && entry.name.endsWith(".jwt")) secrets.push(joinPath(sessions, entry.name));
  }
  return secrets;
}

/**
 * Makes the secret at `path` 0600 when others may read it and this user may
 * chmod it; returns the notice to show once, or null when it was left as it
 * is (missing, no plain file, a link, or private already). Only looked at
 * (`lstat`) before it is changed through a handle opened without blocking: a
 * FIFO in its place is no plain file and is never opened. Throws
 * `credentials.exposed` for one others can read that is not this user's to
 * chmod, and what the file system throws.
 */
export async function tightenSecret(path: string): Promise<string | null> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  if (!info.isFile || info.mode === null) return null;
  // Whoever owns it, a secret no group or other user may read is left as it is (root's, in a
  // profile root manages, too); one readable by others that is not ours to chmod is refused.
  const self = effectiveUid();
  const verdict = secretModeVerdict(
    path,
    { uid: self === null ? null : info.uid, mode: info.mode },
    { owner: self ?? 0, self: self ?? 0 },
  );
  if (verdict.kind === "private") return null;
  if (verdict.kind === "exposed") throw verdict.error;
  const mode = verdict.mode & 0o777;
  // Through a handle: a link swapped in after the check above is refused, not followed.
  await setModeNoFollow(path, { kind: "file", mode: 0o600 });
  return `tightened the permissions of "${path}" from ${modeText(mode)} to 0600: it holds a secret`;
}
