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
 * 0600 itself; a file another user who is not root wrote is removed. A
 * credential file a variable names (`THOTH_API_KEY_FILE`,
 * `THOTH_AUTH_TOKEN_FILE`), often a mounted secret, is never changed or
 * refused for its mode by `thoth run`, which warns of one others can read
 * ({@linkcode namedSecretExposure}), as `thoth doctor` fails it. Pure:
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
  if (mode === null || isPrivateMode(mode)) return { kind: "private" };
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
 * Why the credential file a variable names (`THOTH_API_KEY_FILE`,
 * `THOTH_AUTH_TOKEN_FILE`), at `where` (its path quoted, then where its
 * links lead when elsewhere), of mode `mode`, is not private: its group or
 * other users may read it, by the rule the profile's own secrets are judged
 * by ({@linkcode secretModeVerdict}); null when it is private (or there are
 * no modes, on Windows). Such a file is often a mounted secret (Docker mounts
 * one 0444, Kubernetes 0644, unless told otherwise), not thoth's to chmod:
 * `thoth doctor`'s profile check fails it, and `thoth run` warns of it and
 * goes on (`named_secret_warnings.ts`). `mounted` is the remedy where it is
 * mounted; the other remedy is `chmod 600`.
 *
 * @example
 * ```ts
 * namedSecretExposure("THOTH_API_KEY_FILE", '"/run/secrets/key.json"', 0o100444)?.problem;
 * // 'THOTH_API_KEY_FILE "/run/secrets/key.json" is 0444; it holds a secret and must be 0600: every user can read it'
 * ```
 */
export function namedSecretExposure(
  variable: string,
  where: string,
  mode: number | null,
): { readonly problem: string; readonly mounted: string } | null {
  if (mode === null || isPrivateMode(mode)) return null;
  return {
    problem: `${variable} ${where} is ${modeText(mode)}; it holds a secret and must be 0600: ` +
      othersMay(mode),
    mounted: MOUNTED_SECRET_REMEDY,
  };
}

/** How a mounted secret is made private: where it is mounted, not by a chmod in the container. */
const MOUNTED_SECRET_REMEDY = "for a mounted secret, set its mode where it is mounted (a " +
  "Kubernetes secret volume's defaultMode, a Docker or Compose secret's mode) to 0400, owned " +
  "by the user thoth runs as, or copy it to a file of that user's, 0600";

/** Whether no group or other user may use a file of mode `mode`. */
function isPrivateMode(mode: number): boolean {
  return (mode & 0o077) === 0;
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
