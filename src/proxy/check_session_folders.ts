/**
 * Checks where each session folder of the sandboxed proxy core really leads
 * before the core is granted it (see `session_folder_problem.ts` for the
 * rules), and returns the real paths to grant beside the paths given. Run as
 * root, the real path must also be one no other user can change (the test of
 * `platform/root_safe_path.ts`): otherwise that user could swap it, between
 * this check and the core's writes, for a link to any folder. A session
 * folder that is a link leading nowhere is refused too: whoever makes its
 * target decides what the core is granted. A folder that does not exist (it
 * could not be made) is left to the core, which reports what it cannot write.
 *
 * @example
 * ```ts
 * const real = await checkSessionFolders({
 *   thothHome: "/home/ana/.thoth",
 *   folders: ["/home/ana/.thoth/audit"],
 *   os: "linux",
 * });
 * // ["/home/ana/.thoth/audit"]; throws io.unsafe_session_folder for `audit -> /`
 * ```
 */
import { AppError } from "../errors.ts";
import { effectiveUid, unsafePartForRoot } from "../platform/root_safe_path.ts";
import {
  sessionFolderError,
  sessionFolderHints,
  sessionFolderProblem,
  type SessionFolderRefusal,
} from "./session_folder_problem.ts";

/** What {@linkcode checkSessionFolders} needs to know. */
export interface SessionFolderCheck {
  /** The profile folder, as the session was given it. */
  thothHome: string;
  /** The session's folders (see `sessionFolders`), each directly in the profile. */
  folders: readonly string[];
  /** The user's home folder, when known. */
  home?: string | undefined;
  /** The MCP clients' config files. */
  clientConfigs?: readonly string[] | undefined;
  os: string;
}

/**
 * The real paths of the session folders that exist; throws
 * `io.unsafe_session_folder` (or, run as root, `io.unsafe_for_root`) for one
 * the core must not be granted.
 */
export async function checkSessionFolders(check: SessionFolderCheck): Promise<string[]> {
  const { os } = check;
  const profileReal = await realOrGiven(check.thothHome);
  const home = check.home === undefined || check.home === "" ? undefined : check.home;
  const homeReal = home === undefined ? undefined : await realOrGiven(home);
  const self = os === "windows" ? null : effectiveUid();
  const reals: string[] = [];
  for (const folder of check.folders) {
    let link: boolean;
    try {
      link = (await Deno.lstat(folder)).isSymlink;
    } catch {
      continue; // Not there: the core reports what it cannot write.
    }
    const name = lastName(folder);
    let real: string;
    try {
      real = await Deno.realPath(folder);
    } catch (error) {
      if (!link) continue;
      throw leadsNowhere(folder, os, error);
    }
    let info: Deno.FileInfo | undefined;
    try {
      info = await Deno.stat(real);
    } catch {
      info = undefined;
    }
    const refusal: SessionFolderRefusal = { folder, real, link, os };
    const problem = sessionFolderProblem({
      folder,
      name,
      real,
      isFolder: info?.isDirectory === true,
      owner: info?.uid ?? null,
      mode: info?.mode ?? null,
      self,
      profile: check.thothHome,
      profileReal,
      home,
      homeReal,
      otherParts: await otherParts(profileReal, name),
      clientConfigs: check.clientConfigs ?? [],
      os,
    });
    if (problem !== undefined) throw sessionFolderError(refusal, problem);
    if (self === 0) {
      const part = await unsafePartForRoot(real);
      if (part !== undefined) throw unsafeForRoot(refusal, part);
    }
    reals.push(real);
  }
  return reals;
}

/** The profile's entries but `name`, each with its real path (its own where it has none). */
async function otherParts(
  profileReal: string,
  name: string,
): Promise<{ path: string; real: string }[]> {
  const parts: { path: string; real: string }[] = [];
  try {
    for await (const entry of Deno.readDir(profileReal)) {
      if (entry.name === name) continue;
      const path = `${profileReal.replace(/(?<=.)[\\/]+$/, "")}${
        separatorOf(profileReal)
      }${entry.name}`;
      parts.push({ path, real: await realOrGiven(path) });
    }
  } catch {
    // An unreadable profile: the parts inside it are judged by their place alone.
  }
  return parts;
}

async function realOrGiven(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return path;
  }
}

function lastName(path: string): string {
  return path.replace(/(?<=.)[\\/]+$/, "").split(/[\\/]/).pop() ?? path;
}

function separatorOf(path: string): string {
  return path.includes("\\") && !path.includes("/") ? "\\" : "/";
}

/** `io.unsafe_session_folder` for a session folder that is a link leading nowhere. */
function leadsNowhere(folder: string, os: string, cause: unknown): AppError {
  return new AppError(
    "io.unsafe_session_folder",
    `refusing to start the sandboxed proxy core: the session folder "${folder}" is a link to a ` +
      "place that does not exist (or cannot be resolved), and whoever makes that place decides " +
      "what the core is granted (io.unsafe_session_folder)",
    { cause, hints: sessionFolderHints({ folder, real: folder, link: true, os }, "you") },
  );
}

/** `io.unsafe_for_root` for a session folder whose real path another user can change. */
function unsafeForRoot(
  refusal: SessionFolderRefusal,
  part: { path: string; uid: number; why: string },
): AppError {
  const whose = part.why === "owner"
    ? `"${part.path}" belongs to uid ${part.uid}`
    : part.why === "dangling"
    ? `"${part.path}" is a link to a place that does not exist`
    : `"${part.path}" can be changed by other users`;
  const leads = refusal.real === refusal.folder ? "is" : `leads to "${refusal.real}", which is`;
  return new AppError(
    "io.unsafe_for_root",
    `thoth runs as root, and the session folder "${refusal.folder}" ${leads} in a place root ` +
      `cannot trust (${whose}): another user could redirect it to any folder, and the ` +
      "sandboxed proxy core would read and write there (io.unsafe_for_root)",
    { hints: sessionFolderHints(refusal, "root") },
  );
}
