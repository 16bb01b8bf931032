/**
 * Which thoth profile `status` and `wrap-config` judge a config's servers by
 * (the policy and intent map `thoth run` reads, for what it would refuse to
 * start with): the profile of the user whose client runs them. That is this
 * user's profile (`io.thothHome`), except when thoth runs as another user
 * than the config's owner (root, in a management tool's script, looking at
 * `/home/ana/...`): then the owner's, `~/.thoth` in the home folder the
 * password file gives the owner (where the owner's `thoth run` finds it
 * without `THOTH_HOME`, as a GUI client sets none), or, where the password
 * file does not list the owner (macOS), in the home folder this command was
 * given (`HOME`) when the owner owns it. A `THOTH_HOME` set for the
 * command wins: whoever sets it says which profile the servers run with (a
 * fleet's shared profile, or the owner's at another path), and it is judged
 * as it is, as before.
 *
 * Root reads the owner's files only as far as it may trust them as that
 * user's own, as it reads credentials in a user's profile
 * (`load_credentials.ts`): the profile folder must be the owner's or root's
 * and not writable by a group or others, and no folder above it may let
 * another user swap it (`unsafePartFor`, with closed folders shielding, as
 * for a user's own profile); each file read must pass
 * `ownedFileDistrustSync`. What is not read is said (`notRead`), never
 * guessed at: `status --check` fails on it.
 *
 * @example
 * ```ts
 * const judged = await judgedProfile(io, ["/home/ana/.cursor/mcp.json"]);
 * judged.profile.path; // "/home/ana/.thoth" (run as root), or io.thothHome
 * planStatus(text, { isFile, run: judged.run });
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import type { RunReaders } from "../config/run_refusals.ts";
import { type OwnerTrust, thothRunReaders } from "./run_readers.ts";
import { passwdHome } from "../platform/passwd_home.ts";
import { effectiveUid, unsafePartFor } from "../platform/root_safe_path.ts";
import { folderOf } from "../platform/durable_file.ts";
import { modeText } from "../platform/file_mode.ts";

/** The profile judged, and why that one. Field names are stable: `status --json` prints them. */
export interface JudgedProfileFacts {
  /** The profile folder, or null when the owner's cannot be known (no home in the password file). */
  path: string | null;
  /** `THOTH_HOME` (set for the command), `self` (this user's), or `owner` (the config owner's). */
  source: "THOTH_HOME" | "self" | "owner";
  /** The config owner's uid when `source` is `owner`, else null. */
  ownerUid: number | null;
  /** The config whose owner it is, when `source` is `owner`, else null. */
  config: string | null;
  /** What was not read, and why (filled in as the servers are judged). */
  notRead: string[];
}

/** The profile and the readers that judge by it. */
export interface JudgedProfile {
  profile: JudgedProfileFacts;
  run: RunReaders;
}

/**
 * The profile to judge `configs` by (the first of them that exists names the
 * owner; else the folder of the first), and `thoth run`'s readers for it.
 * `readPasswd` gives the password file's text.
 */
export async function judgedProfile(
  io: Pick<CliIo, "env" | "thothHome">,
  configs: readonly string[],
  readPasswd: () => string = () => Deno.readTextFileSync("/etc/passwd"),
): Promise<JudgedProfile> {
  const self = (source: "THOTH_HOME" | "self"): JudgedProfile => ({
    profile: { path: io.thothHome, source, ownerUid: null, config: null, notRead: [] },
    run: thothRunReaders(io.thothHome),
  });
  const set = io.env["THOTH_HOME"];
  if (set !== undefined && set !== "") return self("THOTH_HOME");
  const uid = effectiveUid();
  const found = uid === null ? undefined : await ownerOf(configs);
  if (uid === null || found === undefined || found.uid === uid) return self("self");
  const { uid: owner, config } = found;
  let home: string | undefined;
  try {
    home = passwdHome(readPasswd(), owner);
  } catch {
    home = undefined;
  }
  // Where the password file does not list people (macOS keeps them in its directory
  // service): the home this command was given (HOME), when the owner owns it.
  const given = folderOf(io.thothHome);
  if (home === undefined && (await Deno.stat(given).catch(() => undefined))?.uid === owner) {
    home = given;
  }
  const path = home === undefined ? null : `${home === "/" ? "" : home}/.thoth`;
  const distrust = path === null
    ? `uid ${owner}, who owns "${config}", has no home folder in the password file, so the ` +
      "profile its thoth run reads is not known"
    : await profileDistrust(path, owner);
  const notRead: string[] = [];
  const trust: OwnerTrust = {
    owner,
    profileDistrust: distrust === undefined ? null : distrust,
    distrusted: notRead,
  };
  if (distrust !== undefined) {
    notRead.push(path === null ? distrust : `the profile "${path}" was not read: ${distrust}`);
  }
  return {
    profile: { path, source: "owner", ownerUid: owner, config, notRead },
    run: thothRunReaders(path ?? io.thothHome, trust),
  };
}

/**
 * The line under `status`'s tables that names the profile judged.
 *
 * @example
 * ```ts
 * profileJudgedLine({ path: "/home/ana/.thoth", source: "owner", ownerUid: 1000, config: "/home/ana/.cursor/mcp.json", notRead: [] });
 * // 'Profile judged: "/home/ana/.thoth" (the profile of uid 1000, who owns "/home/ana/.cursor/mcp.json")\n'
 * ```
 */
export function profileJudgedLine(profile: JudgedProfileFacts): string {
  const why = profile.source === "THOTH_HOME"
    ? "THOTH_HOME"
    : profile.source === "self"
    ? "this user's"
    : `the profile of uid ${profile.ownerUid}, who owns "${profile.config}"`;
  const where = profile.path === null ? "none" : `"${profile.path}"`;
  const unread = profile.notRead.length === 0 ? "" : `; not read: ${profile.notRead.join("; ")}`;
  return `Profile judged (policy and intent map thoth run reads): ${where} (${why})${unread}\n`;
}

/** The owner of the first of `configs` that exists, or of the folder of the first. */
async function ownerOf(
  configs: readonly string[],
): Promise<{ uid: number; config: string } | undefined> {
  for (const config of configs) {
    const info = await Deno.stat(config).catch(() => undefined);
    if (info?.uid !== null && info?.uid !== undefined) return { uid: info.uid, config };
  }
  const first = configs[0];
  if (first === undefined) return undefined;
  const folder = await Deno.stat(folderOf(first)).catch(() => undefined);
  return folder?.uid === null || folder?.uid === undefined
    ? undefined
    : { uid: folder.uid, config: first };
}

/**
 * Why root may not read `profile` as `owner`'s own, or undefined: the
 * folder is another user's or writable by a group or others, or a folder
 * above it lets another user swap it.
 */
async function profileDistrust(profile: string, owner: number): Promise<string | undefined> {
  const info = await Deno.stat(profile).catch(() => undefined);
  if (info !== undefined && info.uid !== null) {
    if (info.uid !== owner && info.uid !== 0) {
      return `it is owned by uid ${info.uid}, not uid ${owner} or root`;
    }
    const mode = info.mode ?? 0;
    if ((mode & 0o022) !== 0) {
      return `it is ${modeText(mode)}: ${(mode & 0o002) !== 0 ? "every user" : "its group"} ` +
        "may change what is in it";
    }
  }
  const part = await unsafePartFor(profile, new Set([0, owner]), { closedFolders: true });
  if (part === undefined) return undefined;
  return part.why === "owner"
    ? `"${part.path}" is owned by uid ${part.uid}, not uid ${owner} or root`
    : part.why === "dangling"
    ? `"${part.path}" is a link to a place that does not exist`
    : part.why === "unmade"
    ? `anyone may make a part of it in "${part.path}"`
    : `"${part.path}" can be written by other users, who may rename what is in it`;
}
