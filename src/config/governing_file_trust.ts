/**
 * Whether thoth may govern with a policy or an intent map it finds: the
 * credential loader's rule (`identity/load_credentials.ts`) applied to the
 * files that decide what a server may do. Whoever can change the policy can
 * turn every detector off and allow every call, so a policy another user can
 * change is refused as a key file another user can change is: `thoth run`
 * fails closed, and `thoth doctor`, `thoth health`, `thoth policy check` and
 * `thoth policy explain` say the same, in the same words.
 *
 * Whom the files must belong to: the user running thoth, or, when root
 * inspects another user's profile, the user who owns the profile folder (the
 * profile's owner); root may always own them (an MDM tool places a policy as
 * root). A file in the profile (`policy.jsonc`, `intent_map.json`) is used
 * only when the profile folder is its owner's or root's (a fleet's
 * `/var/lib/thoth`) and no group or other user may write to it (as
 * `refuseSharedProfile` judges it), no folder above it lets another user
 * swap it (`unsafePartFor`, as the credential loader judges it), and the
 * file itself passes the rule for a named file. When the profile is refused,
 * so is a file not there yet: another user could put one in its place. A
 * file named on the command line (`--policy FILE`), as a file
 * `THOTH_API_KEY_FILE` names: it may be a link (a managed policy linked from
 * `/etc`), but every link on its path, the file, and every folder on its path
 * and on where its links lead, up to `/`, must be the owner's or root's, and
 * no such folder writable by other users (unless sticky, like `/tmp`). Run
 * as root, no link of another user's on the way is followed. The file itself,
 * wherever it is, must not be writable by its group or by other users (mode
 * `go-w`), whoever is in the group (`writableByOthersWhy`): a policy root
 * owns with mode 0666, or 0664 in macOS's group `staff`, is every user's to
 * rewrite. The owner and the mode are judged again on the handle read
 * ({@linkcode readTrustedFile}, {@linkcode ownerJudge}). Windows has no
 * POSIX owners: there nothing is judged.
 *
 * Refusals are `policy.untrusted` and `intent_map.untrusted`, naming the
 * file, the owner or mode found, and a command that fixes it. Uses only
 * `Deno.*`: it is on `thoth run`'s path. The parts of the rule the credential
 * files share are in `identity/owner_file_trust.ts`; the rule is judged
 * synchronously (`untrustedGoverningFileSync`), so that `thoth status` and
 * `wrap-config` (`cli/run_readers.ts`), which judge a config inside
 * synchronous planning, refuse what `thoth run` refuses.
 *
 * @example
 * ```ts
 * const file = { kind: "policy", path: "/home/ana/.thoth/policy.jsonc", thothHome: "/home/ana/.thoth" } as const;
 * const trust = await governingFileTrust(file);
 * if (trust !== null) {
 *   const refusal = await untrustedGoverningFile(file, trust);
 *   if (refusal !== null) throw refusal; // policy.untrusted
 * }
 * ```
 */
import { AppError } from "../errors.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import { folderOf } from "../platform/durable_file.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";
import { FileOverLimitError, readToEnd } from "../platform/read_regular_file.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import { sharedFolderProblem } from "../identity/refuse_shared_profile.ts";
import {
  asOwner,
  type FileTrust,
  fileTrustSync,
  foreignLinkSync,
  foreignLinkWhy,
  replaceableInSync,
  unsafeFilePlaceSync,
  unsafeProfilePlaceSync,
  whom,
  writableByOthersWhy,
} from "../identity/owner_file_trust.ts";

/** A policy or intent map thoth would govern with. */
export interface GoverningFile {
  readonly kind: "policy" | "intent_map";
  /** The path as given (`--policy FILE`) or as found in the profile. */
  readonly path: string;
  /** The profile: whose it is decides whom the file must belong to. */
  readonly thothHome: string;
  /** Named on the command line (`--policy FILE`), not found in the profile. */
  readonly named?: boolean;
}

/** Why a file is not trusted, and what to do about it. */
interface Distrust {
  readonly why: string;
  readonly hint: string;
}

/**
 * Whom `file` must belong to: `self` (this process's uid unless given), or,
 * when `self` is root and the profile folder is another user's, that user;
 * null on Windows (or where the uid cannot be known): nothing is judged.
 */
export function governingFileTrust(
  file: Pick<GoverningFile, "thothHome">,
  self: number | null = effectiveUid(),
): Promise<FileTrust | null> {
  return Promise.try(() => fileTrustSync(file.thothHome, self));
}

/**
 * Why thoth must not use `file`, as `policy.untrusted` or
 * `intent_map.untrusted`; null when it may be read (or is simply not there,
 * in a profile that may be trusted). Judged before a byte is read; the
 * owner of the handle read is judged again by {@linkcode readTrustedFile}.
 */
export function untrustedGoverningFile(
  file: GoverningFile,
  trust: FileTrust,
): Promise<AppError | null> {
  return Promise.try(() => untrustedGoverningFileSync(file, trust));
}

/** {@linkcode untrustedGoverningFile}, synchronous: the same rule, for synchronous readers. */
export function untrustedGoverningFileSync(
  file: GoverningFile,
  trust: FileTrust,
): AppError | null {
  const distrust = file.named === true
    ? fileDistrust(file, trust)
    : profileDistrust(file, trust) ?? fileDistrust(file, trust);
  return distrust === undefined ? null : untrustedError(file, distrust);
}

/**
 * The `judge` that refuses an open handle owned by neither the profile's
 * owner nor root, or one its group or other users may write to:
 * {@linkcode untrustedGoverningFile}'s rule for the file itself, applied to
 * the file actually opened.
 */
export function ownerJudge(
  file: GoverningFile,
  trust: FileTrust | null,
): (facts: { uid: number | null; mode?: number | null }) => void {
  return ({ uid, mode = null }) => {
    if (trust === null || uid === null) return;
    if (uid !== 0 && uid !== trust.owner) {
      throw untrustedError(file, foreignFile(file, trust, uid));
    }
    const writable = writableFile(file, trust, { uid, mode });
    if (writable !== undefined) throw untrustedError(file, writable);
  };
}

/**
 * The bytes of the regular file at `file.path`, at most `limit` of them,
 * refused as untrusted when the handle opened belongs to neither the
 * profile's owner nor root. Throws what `readRegularFile` throws otherwise
 * (`NotFound`, `InvalidData` for what is no regular file, `FileOverLimitError`).
 */
export async function readTrustedFile(
  file: GoverningFile,
  trust: FileTrust | null,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  using handle = await openRegularFile(file.path);
  const info = await handle.stat();
  ownerJudge(file, trust)({ uid: info.uid, mode: info.mode });
  if (info.size > limit) throw new FileOverLimitError(info.size, limit);
  return await readToEnd(handle, { limit });
}

/** What a message calls `file`. */
function named(file: GoverningFile): string {
  const what = file.kind === "policy" ? "policy" : "intent map";
  return `the ${what} "${file.path}"${file.named === true ? " (given with --policy)" : ""}`;
}

/** `policy.untrusted` or `intent_map.untrusted` for `file`. */
function untrustedError(file: GoverningFile, distrust: Distrust): AppError {
  return new AppError(
    file.kind === "policy" ? "policy.untrusted" : "intent_map.untrusted",
    `not using ${named(file)}: ${distrust.why}, so thoth cannot trust it`,
    { hints: [distrust.hint] },
  );
}

/** Where to go instead of a profile another user can change. */
function elsewhere(trust: FileTrust): string {
  return `set THOTH_HOME to a folder of ${
    trust.owner === trust.self ? "your own" : "the profile's owner"
  } that does not exist yet (thoth makes it 0700)`;
}

/**
 * Why the profile `file` is in is not its owner's alone (another user owns
 * it, a group or everyone may write to it, or a folder above it lets another
 * user swap it); undefined when none of that is so.
 */
function profileDistrust(file: GoverningFile, trust: FileTrust): Distrust | undefined {
  const home = file.thothHome;
  // A link to the profile is judged by the folder it leads to; the link itself below.
  const info = statOrUndefined(home);
  if (info?.isDirectory === true) {
    // Root's folder is as safe as the owner's (a fleet's /var/lib/thoth): root can do anything.
    if (info.uid !== null && info.uid !== trust.owner && info.uid !== 0) {
      return {
        why: `its folder "${home}" is owned by uid ${info.uid}, not ${
          whom(trust.owner, trust)
        } or root: that user can put a file of their own in its place`,
        hint: `${elsewhere(trust)}; do not chown this folder: that would adopt whatever the ` +
          "other user put in it",
      };
    }
    const problem = sharedFolderProblem({ uid: null, mode: info.mode }, trust.owner);
    if (problem !== undefined) {
      return {
        why: `its folder "${home}" ${problem}: another user can put a file of their own in ` +
          "its place",
        hint: `make the profile its owner's alone: chmod 700 ${shellQuote(home)} (a file ` +
          `another user left in it is then named, to remove); or ${elsewhere(trust)}`,
      };
    }
  }
  const place = unsafeProfilePlaceSync(home, trust);
  if (place === undefined) return undefined;
  const { part } = place;
  const away = `${elsewhere(trust)}, in a folder only that user (or root) can change`;
  return {
    why: place.why,
    hint: part.why === "writable" && part.uid === trust.owner
      ? `make it its owner's alone: chmod go-w ${shellQuote(part.path)}; or ${away}`
      : away,
  };
}

/**
 * Why `file` itself is not to be trusted (the rule for a file a variable
 * names): a link another user owns on the way, a folder it is named or
 * found in that another user owns or may replace it in, a file another user
 * owns or that its group or others may write to, or a part of its path (or
 * of where its links lead) another user can change; undefined when none of
 * that is so, or nothing is there.
 */
function fileDistrust(file: GoverningFile, trust: FileTrust): Distrust | undefined {
  const given = file.path;
  const link = foreignLinkSync(given, trust);
  if (link !== undefined) {
    return {
      why: foreignLinkWhy(link, trust),
      hint: file.named === true
        ? namedRemedy(file, trust)
        : `remove the link (rm ${shellQuote(link.link)}); ${recreate(file)}`,
    };
  }
  const written = folderDistrust(folderOf(given), file, trust);
  if (written !== undefined) return written;
  const info = statOrUndefined(given);
  if (info === undefined) return undefined; // Not there: nothing to trust or refuse.
  // The folder it is really in, when a link leads elsewhere.
  let real: string | undefined;
  try {
    real = Deno.realPathSync(given);
  } catch {
    real = undefined;
  }
  if (real !== undefined && folderOf(real) !== folderOf(given)) {
    const found = folderDistrust(folderOf(real), file, trust);
    if (found !== undefined) return found;
  }
  if (info.uid !== null && info.uid !== 0 && info.uid !== trust.owner) {
    return foreignFile(file, trust, info.uid);
  }
  const writable = writableFile(file, trust, info);
  if (writable !== undefined) return writable;
  // Every part of the path, and of where its links lead, up to /.
  const place = unsafeFilePlaceSync(given, trust);
  if (place === undefined) return undefined;
  const { part } = place;
  const away = file.named === true
    ? namedRemedy(file, trust)
    : isLink(given)
    ? `remove the link (rm ${shellQuote(given)}); ${recreate(file)}`
    : elsewhere(trust);
  return {
    why: place.why,
    hint: part.why === "writable" && part.uid === trust.self
      ? `make it writable by you alone: chmod go-w ${shellQuote(part.path)}; or ${away}`
      : away,
  };
}

/**
 * Why `file` (of the `found` owner and mode, by path or by the handle opened)
 * may be changed by its group or other users, and what to do; undefined when
 * only its owner may write to it.
 */
function writableFile(
  file: GoverningFile,
  trust: FileTrust,
  found: { uid: number | null; mode: number | null },
): Distrust | undefined {
  const why = writableByOthersWhy(found.mode);
  if (why === undefined) return undefined;
  const path = shellQuote(file.path);
  return {
    why: `${why} and decide what it says`,
    hint: `read it (another user may have changed it), then make it writable by its owner ` +
      `alone${asOwner(found.uid, trust)}: chmod go-w ${path}` +
      (file.named === true ? `; or ${namedRemedy(file, trust)}` : ""),
  };
}

/** Why the folder a file is in lets another user replace it, or undefined. */
function folderDistrust(
  folder: string,
  file: GoverningFile,
  trust: FileTrust,
): Distrust | undefined {
  const found = replaceableInSync(folder, trust);
  if (found === undefined) return undefined;
  if (found.owned) {
    return {
      why: found.why,
      hint: file.named === true ? namedRemedy(file, trust) : elsewhere(trust),
    };
  }
  return {
    why: found.why,
    hint: `make the folder writable by its owner alone: chmod go-w ${shellQuote(folder)}` +
      (file.named === true ? `; or ${namedRemedy(file, trust)}` : ""),
  };
}

/** Whether `path` is a symbolic link. */
function isLink(path: string): boolean {
  try {
    return Deno.lstatSync(path).isSymlink;
  } catch {
    return false;
  }
}

/** What `path` leads to, or undefined when nothing can be found there. */
function statOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/** Why a file another user (`uid`) owns is not used, and what to do. */
function foreignFile(file: GoverningFile, trust: FileTrust, uid: number): Distrust {
  const path = shellQuote(file.path);
  const adopt = trust.self === 0 && trust.owner !== 0
    ? `give it to its owner: chown ${trust.owner} ${path}`
    : `make it yours: cp ${path} ${shellQuote(`${file.path}.mine`)} && mv -f ${
      shellQuote(`${file.path}.mine`)
    } ${path}`;
  return {
    why: `it is owned by uid ${uid}, not ${
      whom(trust.owner, trust)
    } or root: another user wrote it, and decides what it says`,
    hint: file.named === true
      ? namedRemedy(file, trust)
      : `remove it (rm -f ${path}); ${recreate(file)}; or, once you have read every line of ` +
        `it, ${adopt}`,
  };
}

/** What thoth puts in place of a profile file that was removed. */
function recreate(file: GoverningFile): string {
  return file.kind === "policy"
    ? "thoth run then writes the default policy there"
    : "thoth makes an empty one on its next run";
}

/** What to do about a `--policy` file thoth cannot trust. */
function namedRemedy(file: GoverningFile, trust: FileTrust): string {
  return `give --policy a file of ${whom(trust.owner, trust)} or root, in a folder only that ` +
    `user or root can change (read ${shellQuote(file.path)}, then copy it there), or leave ` +
    "out --policy to use the profile's policy";
}
