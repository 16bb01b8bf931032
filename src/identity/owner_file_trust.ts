/**
 * The rule by which thoth trusts a file it reads from a profile or from a
 * path it was given, in the parts the credential files
 * (`read_credential_files.ts`) and the files that govern a session (the
 * policy and the intent map, `config/governing_file_trust.ts`) share: whom
 * the files must belong to (the user running thoth, or, when root inspects
 * another user's profile, the user who owns the profile folder; root may
 * always own them), a link of another user's on the way to a named file, a
 * folder another user owns or may replace a file in, and a profile in a
 * place another user can change (`unsafePartFor`). Each caller adds its own
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

/** `uid`, as a message names the profile's owner. */
export function whom(uid: number, trust: FileTrust): string {
  return uid === trust.self ? `you (uid ${uid})` : `the profile's owner (uid ${uid})`;
}

/**
 * The link of another user's on the way to `given`, a file thoth was named:
 * run as root, any link on the way not root's (root follows no link of
 * another user's: it may lead to a file only root can read, and nothing of
 * where it leads is looked at); else `given` itself when it is a link owned
 * by neither the profile's owner nor root. Undefined when there is none.
 */
export function foreignLinkSync(given: string, trust: FileTrust): ForeignLink | undefined {
  if (trust.self === 0) {
    try {
      return foreignLinkOnPathSync(given);
    } catch {
      return undefined;
    }
  }
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(given);
  } catch {
    return undefined;
  }
  return info.isSymlink && info.uid !== null && info.uid !== 0 && info.uid !== trust.owner
    ? { link: given, uid: info.uid }
    : undefined;
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
  const part = trust.owner === 0
    ? unsafePartForSync(home, new Set([0]))
    : unsafePartForSync(home, new Set([0, trust.owner]), { closedFolders: true });
  if (part === undefined) return undefined;
  const why = part.why === "owner"
    ? `"${part.path}" is owned by uid ${part.uid}, not ${whom(trust.owner, trust)} or root`
    : part.why === "dangling"
    ? `"${part.path}" is a link to a place that does not exist`
    : part.why === "unmade"
    ? `anyone may make a part of it in "${part.path}"`
    : `"${part.path}" can be written by other users, who may rename what is in it`;
  return { why: `the profile "${home}" is in a place another user can change (${why})`, part };
}
