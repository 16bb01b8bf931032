/**
 * Reads one credential file as `loadCredentials` uses it, and judges first
 * whether thoth may trust it, as the doctor's profile check judges it
 * (`check_profile.ts`, `refuse_shared_profile.ts`): the file belongs to the
 * profile's owner (the user running thoth, or, when root inspects another
 * user's profile, the user who owns the profile folder; see
 * `owner_file_trust.ts`, whose rule the policy and the intent map follow
 * too). In the profile (`proxy_api_key.json`, the session file), a link is
 * not followed, a file neither the owner nor root owns is not read, and
 * nothing is read from a profile (or `sessions/` folder) another user owns
 * (root's is trusted: a fleet's `/var/lib/thoth`, `ownerOrRoot`) or a group
 * or everyone may write to, or that sits where another user could swap it. A
 * file named by `THOTH_API_KEY_FILE` or `THOTH_AUTH_TOKEN_FILE` may be a link
 * (a Kubernetes secret mount is one), but every link on its path, the file,
 * and every folder on its path and on where its links lead, up to `/`, must
 * be the owner's or root's, and no such folder writable by others (unless
 * sticky, like `/tmp`). No credential file, in the profile or named, may be
 * writable by its group or by other users (`writableByOthersWhy`): they could
 * put a credential of their own in it. A file not trusted is read
 * as unreadable, with why and what to do (`untrusted`), never with anything
 * of what a link leads to. A file is opened before it is looked at
 * (`platform/read_small_regular_file.ts`): a FIFO or a device a user swaps in
 * is refused, never waited on or read without end, and its contents never
 * reach an error message. Windows has no POSIX owners: there files are not
 * judged.
 *
 * @example
 * ```ts
 * const trust = fileTrustSync("/home/ana/.thoth");
 * const key = await readNamedFile("/run/secrets/thoth.json", "THOTH_API_KEY_FILE", trust);
 * if (key.untrusted !== undefined) console.error(key.untrusted.why);
 * ```
 */
import { folderOf } from "../platform/durable_file.ts";
import {
  FileOverLimitError,
  LinkRefusedError,
  type OpenFileFacts,
  type ReadSmallOptions,
  readSmallRegularFile,
} from "../platform/read_small_regular_file.ts";
import { sharedFolderProblem } from "./refuse_shared_profile.ts";
import type { CredentialFileRead } from "./select_credential.ts";
import {
  asOwner,
  type FileTrust,
  foreignLinkSync,
  foreignLinkWhy,
  ownerOrRoot,
  replaceableInSync,
  unsafeFilePlaceSync,
  unsafeProfilePlaceSync,
  whom,
  writableByOthersWhy,
} from "./owner_file_trust.ts";

/** The largest credential file thoth reads. */
const MAX_CREDENTIAL_FILE_BYTES = 64 * 1024;

/** Why a credential file is not trusted, and what to do about it. */
export interface Distrust {
  readonly why: string;
  readonly hint: string;
}

/** A credential file as read, with why it is not trusted when it is not. */
export interface JudgedRead {
  readonly label: string;
  readonly read: CredentialFileRead;
  readonly untrusted?: Distrust;
}

/** Thrown from `judge` to refuse an open file before it is read. */
class UntrustedFile extends Error {
  constructor(readonly distrust: Distrust) {
    super(distrust.why);
  }
}

/** Where a file in the profile is: the profile, the folders it is in, whom they must belong to. */
export interface ProfilePlace {
  readonly home: string;
  readonly folders: readonly string[];
  readonly trust: FileTrust | null;
}

/**
 * A file in the profile: read only when the profile and its folders are the
 * owner's (or root's) alone, never through a link, and only when the owner
 * or root owns it.
 */
export async function readProfileFile(
  path: string,
  label: string,
  place: ProfilePlace,
): Promise<JudgedRead> {
  const { trust } = place;
  if (trust === null) return { label, read: await readCredentialFile(path, {}) };
  const owner = trust.owner;
  // Judged before anything in it is looked at: a link another user planted reveals nothing.
  const folder = profileDistrust(place.home, place.folders, trust);
  if (folder !== undefined) {
    // In a real folder of the profile, a file that is not there is only missing.
    const there = folder.blind || await Deno.lstat(path).then(
      () => true,
      (error) =>
        !(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory),
    );
    return there ? untrustedRead(label, path, folder) : { label, read: { path, state: "missing" } };
  }
  const removal = label === "API key file"
    ? `remove it (rm -f ${quote(path)}), then save the key again with ` +
      '"thoth set-api-key --api-key -"'
    : `remove it (rm -f ${quote(path)})`;
  try {
    return {
      label,
      read: await readCredentialFile(path, {
        noFollow: true,
        judge: ownedBy(new Set([0, owner]), (uid) => ({
          why: `it is owned by uid ${uid}, not ${whom(owner, trust)} or root: another user ` +
            "wrote it",
          hint: removal,
        }), (why, uid) => ({
          why: `${why} and put a credential of their own in it`,
          hint: `${removal}; or, once you know it is the one you saved, make it writable by ` +
            `its owner alone${asOwner(uid, trust)}: chmod go-w ${quote(path)}`,
        })),
      }),
    };
  } catch (error) {
    if (error instanceof UntrustedFile) return untrustedRead(label, path, error.distrust);
    if (!(error instanceof LinkRefusedError)) throw error;
    return untrustedRead(label, path, {
      why: "it is a symbolic link, and thoth follows no link in the profile",
      hint: removal.replace("remove it", "remove the link"),
    });
  }
}

/**
 * A file a variable names: it may be a link, but every link on its path, the
 * file, and the folders on its path and on where its links lead must be the
 * owner's or root's, those folders not writable by other users (unless
 * sticky, like /tmp), and the file not writable by its group or others.
 */
export async function readNamedFile(
  given: string,
  variable: string,
  trust: FileTrust | null,
): Promise<JudgedRead> {
  if (trust === null) return { label: variable, read: await readCredentialFile(given, {}) };
  const trusted = new Set([0, trust.owner]);
  const elsewhere = `point ${variable} at a file owned by ${
    whom(trust.owner, trust)
  } or by root, mode 0600, in a folder only that user or root can change, or unset it`;
  // Nothing of where a link of another user's on the way leads is looked at.
  const link = foreignLinkSync(given, trust);
  if (link !== undefined) {
    return untrustedRead(variable, given, { why: foreignLinkWhy(link, trust), hint: elsewhere });
  }
  const written = namedFolderDistrust(folderOf(given), trust, elsewhere);
  if (written !== undefined) return untrustedRead(variable, given, written);
  let read: CredentialFileRead;
  try {
    read = await readCredentialFile(given, {
      judge: ownedBy(trusted, (uid) => ({
        why: `it is owned by uid ${uid}, not ${whom(trust.owner, trust)} or root: that user ` +
          "can change the credential thoth presents",
        hint: elsewhere,
      }), (why, uid) => ({
        why: `${why} and change the credential thoth presents`,
        hint: `make it writable by its owner alone${asOwner(uid, trust)}: chmod go-w ${
          quote(given)
        }; or ${elsewhere.replace("point", "else point")}`,
      })),
    });
  } catch (error) {
    if (error instanceof UntrustedFile) return untrustedRead(variable, given, error.distrust);
    throw error;
  }
  if (read.state === "found") {
    // The folder it is really in, when a link leads elsewhere.
    const real = await Deno.realPath(given).catch(() => undefined);
    if (real !== undefined && folderOf(real) !== folderOf(given)) {
      const found = namedFolderDistrust(folderOf(real), trust, elsewhere);
      if (found !== undefined) return untrustedRead(variable, given, found);
    }
    // Every part of its path, and of where its links lead, up to /.
    const place = unsafeFilePlaceSync(given, trust);
    if (place !== undefined) {
      return untrustedRead(variable, given, {
        why: place.why,
        hint: place.part.why === "writable" && place.part.uid === trust.self
          ? `make it writable by you alone: chmod go-w ${quote(place.part.path)}; or ${
            elsewhere.replace("point", "else point")
          }`
          : elsewhere,
      });
    }
  }
  return { label: variable, read };
}

/**
 * The `judge` that refuses a handle whose owner is not `trusted`, or that its
 * group or other users may write to (`writable`, given why).
 */
function ownedBy(
  trusted: ReadonlySet<number>,
  distrust: (uid: number) => Distrust,
  writable: (why: string, uid: number | null) => Distrust,
): (facts: OpenFileFacts) => void {
  return ({ uid, mode }) => {
    if (uid !== null && !trusted.has(uid)) throw new UntrustedFile(distrust(uid));
    const why = writableByOthersWhy(mode);
    if (why !== undefined) throw new UntrustedFile(writable(why, uid));
  };
}

/** An untrusted file, as `selectCredential` gets it: unreadable, for the reason why. */
function untrustedRead(label: string, path: string, distrust: Distrust): JudgedRead {
  return { label, read: { path, state: "unreadable", reason: distrust.why }, untrusted: distrust };
}

/**
 * Why the profile's `folders` are not the owner's alone (the rule
 * `refuseSharedProfile` applies before it saves a secret in a profile), or
 * are links (which the doctor's profile check refuses), or why a folder above
 * the profile lets another user swap it; undefined when none of that is so.
 * `blind` when what is in them must not be looked at (a link, or a path
 * another user can change, may lead anywhere).
 */
function profileDistrust(
  home: string,
  folders: readonly string[],
  trust: FileTrust,
): (Distrust & { blind: boolean }) | undefined {
  const owner = trust.owner;
  const elsewhere = "set THOTH_HOME to a folder of the profile's owner that does not exist yet " +
    "(thoth makes it 0700)";
  for (const folder of folders) {
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(folder);
    } catch {
      continue;
    }
    if (info.isSymlink) {
      return {
        why: `its folder "${folder}" is a symbolic link, and thoth follows no link in the profile`,
        hint: `${elsewhere}, or make "${folder}" a real folder`,
        blind: true,
      };
    }
    if (!info.isDirectory) continue;
    const problem = sharedFolderProblem(info, owner);
    if (problem === undefined) continue;
    if (!ownerOrRoot(info.uid, owner)) {
      return {
        why: `its folder "${folder}" is owned by uid ${info.uid}, not ${
          whom(owner, trust)
        } or root`,
        hint: `${elsewhere}; do not chown this folder: that would adopt whatever the other ` +
          "user put in it",
        blind: false,
      };
    }
    return {
      why: `its folder "${folder}" ${problem}, so another user may have put it there`,
      // Root's folder of a managed profile stays open to the user: only its write bits go.
      hint: info.uid === 0 && owner !== 0
        ? `make the folder writable by root alone, as root: chmod go-w ${quote(folder)}; or ` +
          elsewhere
        : `make the folder its owner's alone: chmod 700 ${quote(folder)}; or ${elsewhere}`,
      blind: false,
    };
  }
  const place = unsafeProfilePlaceSync(home, trust);
  if (place === undefined) return undefined;
  return {
    why: place.why,
    hint: `${elsewhere}, in a folder only that user (or root) can change`,
    blind: true,
  };
}

/** Why the folder of a named file is not to be trusted, or undefined. */
function namedFolderDistrust(
  folder: string,
  trust: FileTrust,
  elsewhere: string,
): Distrust | undefined {
  const found = replaceableInSync(folder, trust);
  if (found === undefined) return undefined;
  return {
    why: found.why,
    hint: found.owned
      ? elsewhere
      : `make the folder writable by its owner alone: chmod go-w ${quote(folder)}; or ${
        elsewhere.replace("point", "else point")
      }`,
  };
}

/**
 * The credential file at `path` as `selectCredential` takes it: found (its
 * text), missing, or unreadable with why. Throws the refusals of `options`'
 * `judge` and `noFollow`.
 */
async function readCredentialFile(
  path: string,
  options: ReadSmallOptions,
): Promise<CredentialFileRead> {
  try {
    // Opened before it is looked at: a FIFO or a device swapped in is refused, never read.
    const bytes = await readSmallRegularFile(path, MAX_CREDENTIAL_FILE_BYTES, options);
    return { path, state: "found", text: new TextDecoder().decode(bytes) };
  } catch (error) {
    if (error instanceof UntrustedFile || error instanceof LinkRefusedError) throw error;
    if (error instanceof Deno.errors.NotFound) return { path, state: "missing" };
    if (error instanceof Deno.errors.PermissionDenied) {
      return { path, state: "unreadable", reason: "permission denied" };
    }
    if (error instanceof FileOverLimitError) {
      return { path, state: "unreadable", reason: error.message, tooLarge: true };
    }
    if (error instanceof Deno.errors.InvalidData) {
      return { path, state: "unreadable", reason: error.message };
    }
    if (error instanceof Deno.errors.NotCapable) {
      // Deno's own refusal, by path: a system file such as /proc/self/environ, never a token file.
      return { path, state: "unreadable", reason: NOT_CAPABLE_REASON };
    }
    return {
      path,
      state: "unreadable",
      reason: error instanceof Error ? error.name : "unknown error",
    };
  }
}

/** Why a file Deno refuses to thoth (`NotCapable`) is not read. */
const NOT_CAPABLE_REASON = "thoth is not permitted to read it: Deno lets only a program with " +
  "every permission read such a system file (/proc/self/environ is one), and it is no " +
  "credential file";

/** `path` single-quoted for a POSIX shell. */
function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
