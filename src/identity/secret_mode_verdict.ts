/**
 * What `thoth run` does with a secret it keeps in the profile (the API key
 * file `proxy_api_key.json`, a session file `sessions/*.jwt`) that its group
 * or other users may read, and what `thoth doctor` must say of it: thoth
 * never uses such a secret silently. A secret no group or other user may
 * read is left as it is, whoever owns it (root's, in a profile root manages,
 * is as trusted as the user's own: `ownerOrRoot`). One the user running
 * thoth owns (or any, when root runs it) is made 0600, with a notice. One
 * another user owns, root included, the user cannot chmod: it is refused
 * (`credentials.exposed`), naming the file, its mode and owner, and the
 * remedy: root gives it to the user (`chown`, then `chmod 600`) or makes it
 * 0600 itself; a file another user who is not root wrote is removed. Pure:
 * the owner and mode are looked at by the caller (`bootstrap_profile.ts`'s
 * `tightenSecret`, the doctor's `profile` and `credentials` checks).
 *
 * @example
 * ```ts
 * const verdict = secretModeVerdict("/var/lib/thoth/proxy_api_key.json", { uid: 0, mode: 0o100644 }, {
 *   owner: 1000,
 *   self: 1000,
 * });
 * verdict.kind; // "exposed": root's, readable by every user, and not the user's to chmod
 * ```
 */
import { AppError } from "../errors.ts";
import { modeText } from "../platform/file_mode.ts";
import { type FileTrust, whom } from "./owner_file_trust.ts";

/** What is done with a secret of a given owner and mode. */
export type SecretModeVerdict =
  /** No group or other user may read it (or there are no modes, on Windows): used as it is. */
  | { readonly kind: "private" }
  /** Readable by others, but the runner may chmod it: thoth makes it 0600 and says so. */
  | { readonly kind: "tighten"; readonly mode: number }
  /** Readable by others, and not the runner's to chmod: refused, `credentials.exposed`. */
  | { readonly kind: "exposed"; readonly error: AppError };

/**
 * The verdict on the secret at `path`, of the owner and mode `found`, for
 * `thoth run` run by `trust.owner` (the profile's owner); `trust.self` is who
 * reads the words (root, checking another user's profile, is told of "the
 * profile's owner").
 */
export function secretModeVerdict(
  path: string,
  found: { readonly uid: number | null; readonly mode: number | null },
  trust: FileTrust,
): SecretModeVerdict {
  const { uid, mode } = found;
  if (mode === null || (mode & 0o077) === 0) return { kind: "private" };
  const runner = trust.owner;
  if (uid === null || uid === runner || runner === 0) return { kind: "tighten", mode };
  const quoted = quote(path);
  const runs = whom(runner, trust);
  const hints = uid === 0
    ? [
      `as root, give it to ${runs}: chown ${runner} ${quoted} && chmod 600 ${quoted}`,
      `or, as root, keep it root's and make it 0600: chmod 600 ${quoted} (thoth, run as uid ` +
      `${runner}, then cannot read it)`,
    ]
    : [`another user (uid ${uid}) wrote it: remove it (rm -f ${quoted})`];
  return {
    kind: "exposed",
    error: new AppError(
      "credentials.exposed",
      `not using the secret "${path}": it is ${modeText(mode)} (${othersMay(mode)}) and ` +
        `owned by ${uid === 0 ? "root" : `uid ${uid}`}, so ${runs} cannot make it 0600`,
      { hints },
    ),
  };
}

/**
 * Who besides its owner may use a file of mode `mode`, and how, in words:
 * every user (by the bits for others), else any member of its group.
 */
function othersMay(mode: number): string {
  const everyone = (mode & 0o007) !== 0;
  const bits = everyone ? mode & 0o007 : (mode >> 3) & 0o007;
  const what = (bits & 0o6) === 0o6
    ? "read and write to"
    : (bits & 0o4) !== 0
    ? "read"
    : (bits & 0o2) !== 0
    ? "write to"
    : "execute";
  return `${everyone ? "every user" : "any member of its group"} can ${what} it`;
}

/** `path` single-quoted for a POSIX shell. */
function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
