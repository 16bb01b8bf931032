/**
 * Where a session folder of the sandboxed proxy core (`audit/`, `approvals/`,
 * `state/`) really leads, judged before the core is granted it. The core gets
 * each folder by the path given and by its real path (see
 * `sandbox_permissions.ts`), and Deno follows a link inside a granted path:
 * a folder that is a link hands the core whatever it leads to. So the real
 * path of each must be the folder's own place in the profile, or a private
 * folder elsewhere (an admin may keep the audit log on another disk): never
 * the root of the file system, the home folder or a folder holding it, the
 * profile itself or a folder holding it, another part of the profile (the
 * keys, the policy, the credentials, another session folder) or a folder
 * holding one, a folder holding an MCP client's config, or anything but a
 * folder. Elsewhere, private means a folder of the user thoth runs as that no
 * one else may enter (no permission bits for group or others, as thoth makes
 * its own: mode 0700). Pure: the caller resolves the paths and reads the
 * modes (see `check_session_folders.ts`).
 *
 * @example
 * ```ts
 * sessionFolderProblem({
 *   folder: "/home/ana/.thoth/audit", name: "audit", real: "/", isFolder: true,
 *   owner: 0, mode: 0o755, self: 1000, profile: "/home/ana/.thoth",
 *   profileReal: "/home/ana/.thoth", otherParts: [], clientConfigs: [], os: "linux",
 * });
 * // { why: "root" }
 * ```
 */
import { AppError } from "../errors.ts";
import { isFileSystemRoot } from "../platform/file_system_root.ts";

/** What {@linkcode sessionFolderProblem} judges: one session folder and its surroundings. */
export interface SessionFolderFacts {
  /** The session folder as it is granted (`$THOTH_HOME/audit`). */
  folder: string;
  /** Its name in the profile (`audit`). */
  name: string;
  /** Its real path (links resolved). */
  real: string;
  /** Whether the real path is a folder. */
  isFolder: boolean;
  /** The owner's uid and the mode of the real path; null where the system has none. */
  owner: number | null;
  mode: number | null;
  /** The uid thoth runs as; null on Windows. */
  self: number | null;
  /** The profile folder, as given and with its links resolved. */
  profile: string;
  profileReal: string;
  /** The user's home folder, as given and with its links resolved, when known. */
  home?: string | undefined;
  homeReal?: string | undefined;
  /** The profile's other entries (by their path in the real profile) and their real paths. */
  otherParts: readonly { path: string; real: string }[];
  /** The MCP clients' config files, which no call may reach. */
  clientConfigs: readonly string[];
  os: string;
}

/** Why a session folder must not be granted. */
export type SessionFolderProblem =
  | { why: "root" }
  | { why: "home"; home: string }
  | { why: "profile" }
  | { why: "holds_profile" }
  | { why: "part"; part: string }
  | { why: "client_config"; file: string }
  | { why: "not_folder" }
  | { why: "not_private"; owner: number | null; mode: number | null; mine: boolean };

/** The first reason not to grant the folder `facts` describes; undefined when it may be. */
export function sessionFolderProblem(facts: SessionFolderFacts): SessionFolderProblem | undefined {
  const { os, real } = facts;
  if (isFileSystemRoot(real, os)) return { why: "root" };
  const profiles = [facts.profileReal, facts.profile];
  const inProfile = profiles.find((profile) => atOrUnder(real, profile, os));
  if (inProfile !== undefined) {
    // Its own place: a plain folder, or the profile itself reached through a link.
    if (profiles.some((profile) => same(real, joinTo(profile, facts.name), os))) return undefined;
    if (same(real, inProfile, os)) return { why: "profile" };
    const rest = trimmed(real).slice(trimmed(inProfile).length).replace(/^[\\/]+/, "");
    return { why: "part", part: joinTo(inProfile, rest.split(/[\\/]/)[0]!) };
  }
  if (profiles.some((profile) => atOrUnder(profile, real, os))) return { why: "holds_profile" };
  for (const home of [facts.home, facts.homeReal]) {
    if (home !== undefined && home !== "" && atOrUnder(home, real, os)) {
      return { why: "home", home };
    }
  }
  for (const part of facts.otherParts) {
    if (atOrUnder(part.real, real, os) || atOrUnder(real, part.real, os)) {
      return { why: "part", part: part.path };
    }
  }
  const config = facts.clientConfigs.find((file) => atOrUnder(file, real, os));
  if (config !== undefined) return { why: "client_config", file: config };
  if (!facts.isFolder) return { why: "not_folder" };
  if (facts.self !== null && facts.owner !== null) {
    const open = ((facts.mode ?? 0) & 0o077) !== 0;
    if (facts.owner !== facts.self || open) {
      return {
        why: "not_private",
        owner: facts.owner,
        mode: facts.mode,
        mine: facts.owner === facts.self,
      };
    }
  }
  return undefined;
}

/** How the folder is reached: through a link of its own, or as a plain folder. */
export interface SessionFolderRefusal {
  folder: string;
  real: string;
  /** Whether the folder itself is a symbolic link (else a folder on its way is). */
  link: boolean;
  os: string;
}

/**
 * The `io.unsafe_session_folder` error for `problem`: what the folder leads
 * to, what the core could then reach, and how to put a folder in its place.
 */
export function sessionFolderError(
  refusal: SessionFolderRefusal,
  problem: SessionFolderProblem,
): AppError {
  const { folder, real } = refusal;
  const [what, reach] = problem.why === "root"
    ? ["the root of the file system", "every file on this machine"]
    : problem.why === "home"
    ? [
      same(problem.home, real, refusal.os)
        ? `the home folder "${problem.home}"`
        : `a folder that holds the home folder "${problem.home}"`,
      "every file of this user",
    ]
    : problem.why === "profile"
    ? ["the profile folder itself", PROFILE_SECRETS]
    : problem.why === "holds_profile"
    ? ["a folder that holds the profile", PROFILE_SECRETS]
    : problem.why === "part"
    ? [
      `"${problem.part}", another part of the profile (or a folder that holds one)`,
      PROFILE_SECRETS,
    ]
    : problem.why === "client_config"
    ? [
      `a folder that holds the MCP client config "${problem.file}"`,
      "the client's config, and with it which servers the client starts",
    ]
    : problem.why === "not_folder"
    ? ["something that is not a folder", "that file"]
    : [
      `a folder that is not private (${ownerText(problem.owner)}, mode ${modeOf(problem.mode)})`,
      "whatever else is in it",
    ];
  const leads = same(folder, real, refusal.os)
    ? `the session folder "${folder}" is ${what}`
    : `the session folder "${folder}" leads to "${real}", ${what}`;
  return new AppError(
    "io.unsafe_session_folder",
    `refusing to start the sandboxed proxy core: ${leads}; the core is granted the folder a ` +
      `session folder leads to, so it could read and change ${reach} (io.unsafe_session_folder)`,
    {
      hints: problem.why === "not_private" && problem.mine
        ? [
          `make the folder it leads to private: chmod 700 ${quoteFor(real, refusal.os)}`,
          ...sessionFolderHints(refusal, "you").slice(0, 1).map((hint) => `or ${hint}`),
        ]
        : sessionFolderHints(refusal, "you"),
    },
  );
}

/**
 * The hints for a session folder that must be put back as a plain folder:
 * remove the link (what it leads to is kept) or move the folder aside, then
 * make it again; or point the link at a private folder elsewhere. `who` owns
 * that folder ("you", or "root").
 */
export function sessionFolderHints(refusal: SessionFolderRefusal, who: string): string[] {
  const { folder, os } = refusal;
  const shown = quoteFor(folder, os);
  const remake = os === "windows" ? `mkdir ${shown}` : `mkdir -m 700 ${shown}`;
  const first = refusal.link
    ? `replace the link with a folder (what it leads to is kept): ${
      os === "windows" ? `rmdir ${shown}` : `rm ${shown}`
    } && ${remake}`
    : `move it aside and make it again: ${os === "windows" ? "move" : "mv"} ${shown} ${
      quoteFor(`${folder}.old`, os)
    } && ${remake}`;
  return [
    first,
    "or keep it elsewhere: link it to a folder of its own outside the profile that only " +
    `${who} may enter (${os === "windows" ? "" : "mkdir -m 700; "}not the home folder or one ` +
    "holding the profile)",
  ];
}

const PROFILE_SECRETS = "the policy, the audit keys and the credentials";

function ownerText(owner: number | null): string {
  return owner === null ? "owner unknown" : `owned by uid ${owner}`;
}

function modeOf(mode: number | null): string {
  return mode === null ? "unknown" : `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

/** `path` quoted for the shell a person on `os` pastes it into. */
function quoteFor(path: string, os: string): string {
  return os === "windows" ? `"${path}"` : `'${path.replaceAll("'", "'\\''")}'`;
}

/** Whether `path` is `folder` or lies inside it, compared as the system compares names. */
export function atOrUnder(path: string, folder: string, os: string): boolean {
  const p = comparable(path, os);
  const f = comparable(folder, os);
  if (p === f) return true;
  const sep = os === "windows" ? "\\" : "/";
  return p.startsWith(f.endsWith(sep) ? f : `${f}${sep}`);
}

function same(a: string, b: string, os: string): boolean {
  return comparable(a, os) === comparable(b, os);
}

/**
 * `path` as compared: Windows's separators made one, no separator at the end
 * (but for a root), and in one case where names are compared without it
 * (Windows, and macOS's default file system).
 */
function comparable(path: string, os: string): string {
  let p = os === "windows" ? path.replaceAll("/", "\\").replace(/^\\\\\?\\/, "") : path;
  p = p.replace(os === "windows" ? /(?<=[^\\:])\\+$/ : /(?<=.)\/+$/, "");
  if (os !== "windows") p = p.replace(/\/{2,}/g, "/");
  return os === "windows" || os === "darwin" ? p.toLowerCase() : p;
}

function trimmed(path: string): string {
  return path.replace(/(?<=.)[\\/]+$/, "");
}

function joinTo(folder: string, name: string): string {
  const base = trimmed(folder);
  const sep = base.includes("\\") && !base.includes("/") ? "\\" : "/";
  return base.endsWith(sep) ? `${base}${name}` : `${base}${sep}${name}`;
}
