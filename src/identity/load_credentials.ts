/**
 * Reads the credential files and selects the credential thoth presents (see
 * `selectCredential` for the precedence). The thin I/O shell around it: files
 * are read with a size cap and their contents never reach an error message.
 * A file is opened before it is looked at (`platform/read_small_regular_file.ts`):
 * a FIFO or a device a user swaps in under `thoth health` run as root is
 * refused, never waited on or read without end. Kept off `thoth run`'s path.
 *
 * A credential file thoth would not trust is not used, as the doctor's
 * profile check judges it (`check_profile.ts`, `refuse_shared_profile.ts`):
 * the file belongs to the profile's owner (the user running thoth, or, when
 * root inspects another user's profile, the user who owns the profile
 * folder). In the profile (`proxy_api_key.json`, the session file), a link is
 * not followed, a file someone else owns is not read, and nothing is read
 * from a profile (or `sessions/` folder) another user owns or a group or
 * everyone may write to, or that sits where another user could swap it. A
 * file named by `THOTH_API_KEY_FILE` or `THOTH_AUTH_TOKEN_FILE` may be a link
 * (a Kubernetes secret mount is one), but the link, the file and the folders
 * it is named and found in must be the owner's or root's, and the folders not
 * writable by others (unless sticky, like `/tmp`). Such a file, when it is the
 * one thoth would use, is `credentials.untrusted`, naming why and what to do,
 * and never anything of what a link leads to. Windows has no POSIX owners:
 * there files are not judged.
 *
 * @example
 * ```ts
 * const { env } = parseThothEnv(Deno.env.toObject());
 * const { credential } = await loadCredentials(env, "/home/ana/.thoth", new Date());
 * if (credential?.expired) console.error("log in again");
 * ```
 */
import { AppError } from "../errors.ts";
import { folderOf } from "../platform/durable_file.ts";
import { joinPath } from "../platform/join_path.ts";
import { modeText, othersMayReplaceIn } from "../platform/file_mode.ts";
import {
  FileOverLimitError,
  LinkRefusedError,
  type OpenFileFacts,
  type ReadSmallOptions,
  readSmallRegularFile,
} from "../platform/read_small_regular_file.ts";
import { effectiveUid, foreignLinkOnPath, unsafePartFor } from "../platform/root_safe_path.ts";
import { sharedFolderProblem } from "./refuse_shared_profile.ts";
import {
  type CredentialFileRead,
  type CredentialResolution,
  selectCredential,
} from "./select_credential.ts";
import { sessionFilePath } from "./session_file_path.ts";
import { deriveTenantUrls } from "./tenant_urls.ts";
import type { ThothEnv } from "./validate_thoth_env.ts";

/** The largest credential file thoth reads. */
const MAX_CREDENTIAL_FILE_BYTES = 64 * 1024;

/** Reads the sources and selects the credential; throws `credentials.*` on a broken one. */
export async function loadCredentials(
  env: ThothEnv,
  thothHome: string,
  now: Date,
): Promise<CredentialResolution> {
  const apiKeyPath = env.apiKeyFile ?? joinPath(thothHome, "proxy_api_key.json");
  const sessionPath = env.tenantId !== null && env.apexDomain !== null
    ? sessionFilePath(
      thothHome,
      env.tenantId,
      deriveTenantUrls(env.tenantId, env.apexDomain).govapiHost,
    )
    : null;
  const owner = await profileOwner(thothHome);
  const inProfile = (path: string, folders: string[], label: string) =>
    readProfileFile(path, label, { home: thothHome, folders, owner });
  const [authTokenFile, sessionFile, apiKeyFile] = await Promise.all([
    env.authTokenFile === null
      ? null
      : readNamedFile(env.authTokenFile, "THOTH_AUTH_TOKEN_FILE", owner),
    sessionPath === null
      ? null
      : inProfile(sessionPath, [thothHome, joinPath(thothHome, "sessions")], "session file"),
    env.apiKeyFile === null
      ? inProfile(apiKeyPath, [thothHome], "API key file")
      : readNamedFile(apiKeyPath, "THOTH_API_KEY_FILE", owner),
  ]);
  try {
    return selectCredential({
      env,
      authTokenFile: authTokenFile?.read ?? null,
      sessionFile: sessionFile?.read ?? null,
      apiKeyFile: apiKeyFile.read,
      apiKeyFileIsDefault: env.apiKeyFile === null,
      now,
    });
  } catch (error) {
    // An untrusted file goes in as unreadable; when it is the one that would be used, it says why.
    for (const file of [authTokenFile, sessionFile, apiKeyFile]) {
      const untrusted = file?.untrusted;
      if (untrusted === undefined || !(error instanceof AppError)) continue;
      if (
        error.code === "credentials.unreadable" &&
        error.message.endsWith(`"${file!.read.path}": ${untrusted.why}`)
      ) {
        throw untrustedError(file!.label, file!.read.path, untrusted);
      }
    }
    throw error;
  }
}

/** Why a credential file is not trusted, and what to do about it. */
interface Distrust {
  readonly why: string;
  readonly hint: string;
}

/** A credential file as read, with why it is not trusted when it is not. */
interface JudgedRead {
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

/**
 * `credentials.untrusted` for the file at `path`.
 *
 * @example
 * ```ts
 * untrustedError("API key file", "/h/.thoth/proxy_api_key.json", { why: "it is a symbolic link", hint: "rm it" });
 * ```
 */
function untrustedError(label: string, path: string, distrust: Distrust): AppError {
  return new AppError(
    "credentials.untrusted",
    `not using the ${label} "${path}": ${distrust.why}, so thoth cannot trust it`,
    { hints: [distrust.hint] },
  );
}

/**
 * Whom the profile's credential files must belong to: the user running
 * thoth, or, when root inspects another user's profile, the owner of the
 * profile folder (as the doctor's profile check decides); null on Windows.
 */
async function profileOwner(thothHome: string): Promise<number | null> {
  const self = effectiveUid();
  if (self === null || self !== 0) return self;
  const info = await Deno.stat(thothHome).catch(() => undefined);
  return info?.uid != null && info.uid !== 0 ? info.uid : self;
}

/** `uid`, as a message names the profile's owner. */
function whom(uid: number): string {
  return uid === effectiveUid() ? `you (uid ${uid})` : `the profile's owner (uid ${uid})`;
}

/** Where a file in the profile is: the profile, the folders it is in, their owner. */
interface ProfilePlace {
  readonly home: string;
  readonly folders: readonly string[];
  readonly owner: number | null;
}

/**
 * A file in the profile: read only when the profile and its folders are the
 * owner's alone, never through a link, and only when the owner owns it.
 */
async function readProfileFile(
  path: string,
  label: string,
  place: ProfilePlace,
): Promise<JudgedRead> {
  const { owner } = place;
  if (owner === null) return { label, read: await readCredentialFile(path, {}) };
  // Judged before anything in it is looked at: a link another user planted reveals nothing.
  const folder = await profileDistrust(place.home, place.folders, owner);
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
        judge: ownedBy(new Set([owner]), (uid) => ({
          why: `it is owned by uid ${uid}, not ${whom(owner)}: another user wrote it`,
          hint: removal,
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
 * A file a variable names: it may be a link, but the link, the file, and the
 * folders it is named and found in must be the owner's or root's, and those
 * folders not writable by other users (unless sticky, like /tmp).
 */
async function readNamedFile(
  given: string,
  variable: string,
  owner: number | null,
): Promise<JudgedRead> {
  if (owner === null) return { label: variable, read: await readCredentialFile(given, {}) };
  const trusted = new Set([0, owner]);
  const elsewhere = `point ${variable} at a file owned by ${whom(owner)} or by root, mode 0600, ` +
    "in a folder only that user or root can change, or unset it";
  // Root follows no link of another user's on the way: it may lead to a file only root can
  // read. Nothing of where it leads is looked at.
  const link = effectiveUid() === 0
    ? await foreignLinkOnPath(given).catch(() => undefined)
    : await Deno.lstat(given).then(
      (info) =>
        info.isSymlink && info.uid !== null && !trusted.has(info.uid)
          ? { link: given, uid: info.uid }
          : undefined,
      () => undefined,
    );
  if (link !== undefined) {
    return untrustedRead(variable, given, {
      why: `it is reached through a link owned by uid ${link.uid} ("${link.link}"), not ` +
        `${effectiveUid() === 0 ? "root" : `${whom(owner)} or root`}: that user can point it ` +
        "anywhere",
      hint: elsewhere,
    });
  }
  const written = await namedFolderDistrust(folderOf(given), trusted, owner, elsewhere);
  if (written !== undefined) return untrustedRead(variable, given, written);
  let read: CredentialFileRead;
  try {
    read = await readCredentialFile(given, {
      judge: ownedBy(trusted, (uid) => ({
        why: `it is owned by uid ${uid}, not ${whom(owner)} or root: that user can change the ` +
          "credential thoth presents",
        hint: elsewhere,
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
      const found = await namedFolderDistrust(folderOf(real), trusted, owner, elsewhere);
      if (found !== undefined) return untrustedRead(variable, given, found);
    }
  }
  return { label: variable, read };
}

/** The `judge` that refuses a handle whose owner is not `trusted`. */
function ownedBy(
  trusted: ReadonlySet<number>,
  distrust: (uid: number) => Distrust,
): (facts: OpenFileFacts) => void {
  return ({ uid }) => {
    if (uid !== null && !trusted.has(uid)) throw new UntrustedFile(distrust(uid));
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
async function profileDistrust(
  home: string,
  folders: readonly string[],
  owner: number,
): Promise<(Distrust & { blind: boolean }) | undefined> {
  const elsewhere = "set THOTH_HOME to a folder of the profile's owner that does not exist yet " +
    "(thoth makes it 0700)";
  for (const folder of folders) {
    const info = await Deno.lstat(folder).catch(() => undefined);
    if (info === undefined) continue;
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
    if (info.uid !== null && info.uid !== owner) {
      return {
        why: `its folder "${folder}" is owned by uid ${info.uid}, not ${whom(owner)}`,
        hint: `${elsewhere}; do not chown this folder: that would adopt whatever the other ` +
          "user put in it",
        blind: false,
      };
    }
    return {
      why: `its folder "${folder}" ${problem}, so another user may have put it there`,
      hint: `make the folder its owner's alone: chmod 700 ${quote(folder)}; or ${elsewhere}`,
      blind: false,
    };
  }
  // Root's own profile is judged for root alone (no folder shields), as root_safe_path does.
  const part = owner === 0
    ? await unsafePartFor(home, new Set([0]))
    : await unsafePartFor(home, new Set([0, owner]), { closedFolders: true });
  if (part === undefined) return undefined;
  const why = part.why === "owner"
    ? `"${part.path}" is owned by uid ${part.uid}, not ${whom(owner)} or root`
    : part.why === "dangling"
    ? `"${part.path}" is a link to a place that does not exist`
    : part.why === "unmade"
    ? `anyone may make a part of it in "${part.path}"`
    : `"${part.path}" can be written by other users, who may rename what is in it`;
  return {
    why: `the profile "${home}" is in a place another user can change (${why})`,
    hint: `${elsewhere}, in a folder only that user (or root) can change`,
    blind: true,
  };
}

/** Why the folder of a named file is not to be trusted, or undefined. */
async function namedFolderDistrust(
  folder: string,
  trusted: ReadonlySet<number>,
  owner: number,
  elsewhere: string,
): Promise<Distrust | undefined> {
  const info = await Deno.stat(folder).catch(() => undefined);
  if (info === undefined) return undefined; // Then the file is not found either.
  if (info.uid !== null && !trusted.has(info.uid)) {
    return {
      why: `its folder "${folder}" is owned by uid ${info.uid}, not ${whom(owner)} or root: ` +
        "that user can replace the file in it",
      hint: elsewhere,
    };
  }
  const mode = info.mode ?? 0;
  if (othersMayReplaceIn(mode)) {
    return {
      why: `its folder "${folder}" is ${modeText(mode)}: other users can replace the file in it`,
      hint: `make the folder writable by its owner alone: chmod go-w ${quote(folder)}; or ${
        elsewhere.replace("point", "else point")
      }`,
    };
  }
  return undefined;
}

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
