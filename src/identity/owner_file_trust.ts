/**
 * The rule by which thoth trusts a file it reads from a profile or from a
 * path it was given, in the parts the credential files
 * (`read_credential_files.ts`) and the files that govern a session (the
 * policy and the intent map, `config/governing_file_trust.ts`) share: whom
 * the files must belong to (the user running thoth, or, when root inspects
 * another user's profile, the user who owns the profile folder; root may
 * always own them), a file its group or other users may write to
 * (`writableByOthersWhy`), a link of another user's on any part of the path
 * to a named file, a folder another user owns or may replace a file in, and
 * a profile or a file in a place another user can change (`unsafePartFor`,
 * over the whole path and where its links lead). Each caller adds its own
 * remedies. Synchronous, so that the readers `thoth status` judges a config
 * with (`cli/run_readers.ts`, inside synchronous planning) apply the very
 * rule `thoth run` applies. Windows has no POSIX owners: there nothing is
 * judged.
 *
 * @example
 * ```ts
 * const trust = fileTrustSync("/home/ana/.thoth");
 * const link = trust === null ? undefined : foreignLinkSync("/etc/thoth/p.jsonc", trust);
 * if (link !== undefined) console.error(foreignLinkWhy(link, trust!));
 * ```
 */
import { modeText, othersMayReplaceIn } from "../platform/file_mode.ts";
import {
  effectiveUid,
  foreignLinkOnPathSync,
  type UnsafePart,
  unsafePartForSync,
} from "../platform/root_safe_path.ts";

/** Who may own the files: the profile's owner and root; `self` is who runs thoth. */
export interface FileTrust {
  readonly owner: number;
  readonly self: number;
}

/** A link another user owns on the way to a file, and that user. */
export interface ForeignLink {
  readonly link: string;
  readonly uid: number;
}

/**
 * Whom the files of the profile `thothHome` must belong to: `self` (this
 * process's uid unless given), or, when `self` is root and the profile folder
 * is another user's, that user; null on Windows (or where the uid cannot be
 * known): nothing is judged.
 */
export function fileTrustSync(
  thothHome: string,
  self: number | null = effectiveUid(),
): FileTrust | null {
  if (self === null || Deno.build.os === "windows") return null;
  if (self !== 0) return { owner: self, self };
  let uid: number | null | undefined;
  try {
    uid = Deno.statSync(thothHome).uid;
  } catch {
    uid = undefined;
  }
  return { owner: uid != null && uid !== 0 ? uid : 0, self };
}

/**
 * Whether a file or folder of the profile owned by `uid` is as safe as one of
 * the profile's `owner`: it is that owner's, or root's (root can do anything:
 * a fleet's `THOTH_HOME=/var/lib/thoth`, root's 0755 folder holding root's
 * policy and the folders thoth writes made for the user in advance). True
 * when the owner cannot be known (`uid` null, on Windows). The one rule the
 * readers of a profile (credentials, `refuseSharedProfile`) apply to its
 * folders and files; the doctor's profile check passes root's profile folder
 * the same way.
 *
 * @example
 * ```ts
 * ownerOrRoot(0, 1000); // true
 * ownerOrRoot(1001, 1000); // false
 * ```
 */
export function ownerOrRoot(uid: number | null, owner: number): boolean {
  return uid === null || uid === 0 || uid === owner;
}

/** `uid`, as a message names the profile's owner. */
export function whom(uid: number, trust: FileTrust): string {
  return uid === trust.self ? `you (uid ${uid})` : `the profile's owner (uid ${uid})`;
}

/**
 * The link of another user's on the way to `given`, a file thoth was named,
 * on any part of its path, followed as the system follows it: run as root,
 * any link not root's (root follows no link of another user's: it may lead
 * to a file only root can read, and nothing of where it leads is looked at);
 * else any link owned by neither the profile's owner nor root (whoever owns a
 * link on the way, `shared/team` in `shared/team/policy.jsonc`, can point it
 * at a file of their choosing). Undefined when there is none.
 */
export function foreignLinkSync(given: string, trust: FileTrust): ForeignLink | undefined {
  try {
    return foreignLinkOnPathSync(given, trust.self === 0 ? ROOT_ONLY : trustedBy(trust));
  } catch {
    // A part that cannot be looked at cannot be opened through either.
    return undefined;
  }
}

const ROOT_ONLY: ReadonlySet<number> = new Set([0]);

/** The users a file of the profile may belong to: its owner and root. */
function trustedBy(trust: FileTrust): ReadonlySet<number> {
  return new Set([0, trust.owner]);
}

/** Why a file reached through `found` is not trusted. */
export function foreignLinkWhy(found: ForeignLink, trust: FileTrust): string {
  return `it is reached through a link owned by uid ${found.uid} ("${found.link}"), not ${
    trust.self === 0 ? "root" : `${whom(trust.owner, trust)} or root`
  }: that user can point it anywhere`;
}

/**
 * Why a file in `folder` may be replaced by another user: the folder is
 * owned by neither the profile's owner nor root (`owned`), or a group or
 * others may write to it without the sticky bit; undefined when neither is
 * so, or there is no such folder (then the file is not found either).
 */
export function replaceableInSync(
  folder: string,
  trust: FileTrust,
): { readonly why: string; readonly owned: boolean } | undefined {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(folder);
  } catch {
    return undefined;
  }
  if (info.uid !== null && info.uid !== 0 && info.uid !== trust.owner) {
    return {
      why: `its folder "${folder}" is owned by uid ${info.uid}, not ${
        whom(trust.owner, trust)
      } or root: that user can replace the file in it`,
      owned: true,
    };
  }
  const mode = info.mode ?? 0;
  if (!othersMayReplaceIn(mode)) return undefined;
  return {
    why: `its folder "${folder}" is ${modeText(mode)}: other users can replace the file in it`,
    owned: false,
  };
}

/**
 * Why the profile `home` is in a place another user can change (a folder on
 * the way another user owns or may write to, a link that leads nowhere), with
 * the part at fault; undefined when it is not. Root's own profile is judged
 * for root alone (no folder shields), as `root_safe_path.ts` does; a user's
 * own is shielded by a folder only that user may enter.
 */
export function unsafeProfilePlaceSync(
  home: string,
  trust: FileTrust,
): { readonly why: string; readonly part: UnsafePart } | undefined {
  const part = unsafePartOf(home, trust);
  if (part === undefined) return undefined;
  return {
    why: `the profile "${home}" is in a place another user can change (${partWhy(part, trust)})`,
    part,
  };
}

/**
 * Why the file at `path` (a policy, an intent map, a credential file) is in
 * a place another user can change: a part of its path, or of where a link on
 * it leads, up to `/`, that another user owns, or a folder others may write
 * to without the sticky bit (they may rename what is in it, and put a file
 * of their own in its place), judged as the profile is
 * ({@linkcode unsafeProfilePlaceSync}); undefined when none is, or when
 * nothing is at `path` (there is nothing to read).
 *
 * @example
 * ```ts
 * unsafeFilePlaceSync("/srv/shared/team/policy.jsonc", { owner: 1000, self: 1000 })?.why;
 * // 'it is in a place another user can change ("/srv/shared" can be written by ...)'
 * ```
 */
export function unsafeFilePlaceSync(
  path: string,
  trust: FileTrust,
): { readonly why: string; readonly part: UnsafePart } | undefined {
  try {
    Deno.statSync(path);
  } catch {
    return undefined;
  }
  let part: UnsafePart | undefined;
  try {
    part = unsafePartOf(path, trust);
  } catch {
    return undefined; // A part that cannot be looked at cannot be opened through either.
  }
  if (part === undefined) return undefined;
  return { why: `it is in a place another user can change (${partWhy(part, trust)})`, part };
}

/** The part of `path` another user can change, judged for `trust` (see above). */
function unsafePartOf(path: string, trust: FileTrust): UnsafePart | undefined {
  return trust.owner === 0
    ? unsafePartForSync(path, ROOT_ONLY)
    : unsafePartForSync(path, trustedBy(trust), { closedFolders: true });
}

/** What makes `part` one another user can change, in words. */
function partWhy(part: UnsafePart, trust: FileTrust): string {
  return part.why === "owner"
    ? `"${part.path}" is owned by uid ${part.uid}, not ${whom(trust.owner, trust)} or root`
    : part.why === "dangling"
    ? `"${part.path}" is a link to a place that does not exist`
    : part.why === "unmade"
    ? `anyone may make a part of it in "${part.path}"`
    : `"${part.path}" can be written by other users, who may rename what is in it`;
}

/**
 * Who is to run a `chmod` on a file the owner `uid` owns, as a hint says it
 * after "make it writable by its owner alone": nothing when it is the one
 * running thoth, else root or that uid.
 */
export function asOwner(uid: number | null, trust: FileTrust): string {
  return uid === null || uid === trust.self
    ? ""
    : uid === 0
    ? " as root"
    : ` as its owner (uid ${uid})`;
}

/**
 * Why a file of mode `mode` may be changed by users other than its owner:
 * its group or everyone may write to it. Any group write is refused, whoever
 * is in the group: on Linux the group's bits are also the mask of a POSIX
 * ACL (an ACL that lets a named user write shows only as the group's `w`),
 * and on macOS every user is in the group `staff`, which the directory
 * service, not `/etc/group`, lists; thoth reads neither ACLs nor group
 * members. Undefined when only its owner may write (or there is no mode, on
 * Windows).
 *
 * @example
 * ```ts
 * writableByOthersWhy(0o100666); // "it is 0666: every user can write to it"
 * writableByOthersWhy(0o100644); // undefined
 * ```
 */
export function writableByOthersWhy(mode: number | null): string | undefined {
  if (mode === null || (mode & 0o022) === 0) return undefined;
  // What is no regular file (a device, a FIFO) is refused as such, more plainly, by the readers.
  const type = mode & 0o170000;
  if (type !== 0 && type !== 0o100000) return undefined;
  return `it is ${modeText(mode)}: ${
    (mode & 0o002) !== 0 ? "every user" : "any member of its group"
  } can write to it`;
}
