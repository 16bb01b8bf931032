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
 * as it is, as before. But a client passes its servers its own environment,
 * not this command's: when that `THOTH_HOME` names another folder than the
 * profile the client's `thoth run` finds without it (that default, the
 * owner's when the config is another user's), `defaultProfile` names the
 * default, and a server whose "env" sets no `THOTH_HOME` runs with the one
 * judged only if the client gets `THOTH_HOME` from its own environment (set
 * system-wide); see `thoth_home_not_passed.ts`.
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
 * judged.defaultProfile; // undefined, or the profile used without THOTH_HOME when it is another
 * planStatus(text, { isFile, run: judged.run });
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import type { RunReaders } from "../config/run_refusals.ts";
import { type OwnerTrust, thothRunReaders } from "./run_readers.ts";
import { passwdHome } from "../platform/passwd_home.ts";
import { profileHome } from "./profile_home.ts";
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
  /**
   * Only when `THOTH_HOME` set for the command is not the profile a client's
   * `thoth run` finds without it (`defaultProfile`, null when not known), and
   * some governed servers' "env" set no `THOTH_HOME` (filled in by status).
   */
  notPassedToServers?: { defaultProfile: string | null; servers: string[] };
}

/** The profile and the readers that judge by it. */
export interface JudgedProfile {
  profile: JudgedProfileFacts;
  run: RunReaders;
  /**
   * Set only when `THOTH_HOME` is set for the command and names another
   * folder than the profile the client's `thoth run` uses without it: that
   * one (this user's `~/.thoth`, or the config owner's), or null when it
   * cannot be known (no home folder).
   */
  defaultProfile?: string | null;
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
  os: string = Deno.build.os,
): Promise<JudgedProfile> {
  const self = (source: "THOTH_HOME" | "self"): JudgedProfile => ({
    profile: { path: io.thothHome, source, ownerUid: null, config: null, notRead: [] },
    run: thothRunReaders(io.thothHome),
  });
  const set = io.env["THOTH_HOME"];
  const uid = effectiveUid();
  const found = uid === null ? undefined : await ownerOf(configs);
  const owner = uid === null || found === undefined || found.uid === uid ? undefined : found;
  if (set !== undefined && set !== "") {
    // The profile the client's thoth run finds without THOTH_HOME: the owner's, or this user's.
    const fallback = owner === undefined
      ? ownDefaultProfile(io.env, os, uid, readPasswd)
      : await ownerProfile(owner.uid, readPasswd, io.env["HOME"]);
    const judged = self("THOTH_HOME");
    return await sameFolder(io.thothHome, fallback)
      ? judged
      : { ...judged, defaultProfile: fallback };
  }
  if (owner === undefined) return self("self");
  const { config } = owner;
  // Where the password file does not list people (macOS keeps them in its directory
  // service): the home this command was given (HOME), when the owner owns it.
  const path = await ownerProfile(owner.uid, readPasswd, folderOf(io.thothHome));
  const distrust = path === null
    ? `uid ${owner.uid}, who owns "${config}", has no home folder in the password file, so ` +
      "the profile its thoth run reads is not known"
    : await profileDistrust(path, owner.uid);
  const notRead: string[] = [];
  const trust: OwnerTrust = {
    owner: owner.uid,
    profileDistrust: distrust === undefined ? null : distrust,
    distrusted: notRead,
  };
  if (distrust !== undefined) {
    notRead.push(path === null ? distrust : `the profile "${path}" was not read: ${distrust}`);
  }
  return {
    profile: { path, source: "owner", ownerUid: owner.uid, config, notRead },
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

/**
 * `~/.thoth` of uid `owner`: in the home the password file gives it, else in
 * `given` (the home this command was given) when `owner` owns that folder;
 * null when neither.
 */
async function ownerProfile(
  owner: number,
  readPasswd: () => string,
  given: string | undefined,
): Promise<string | null> {
  let home: string | undefined;
  try {
    home = passwdHome(readPasswd(), owner);
  } catch {
    home = undefined;
  }
  if (
    home === undefined && given !== undefined && given !== "" &&
    (await Deno.stat(given).catch(() => undefined))?.uid === owner
  ) {
    home = given;
  }
  return home === undefined ? null : `${home === "/" ? "" : home}/.thoth`;
}

/**
 * This user's profile without `THOTH_HOME` (`.thoth` in `HOME`, else in the
 * home the password file gives `uid`), or null when none can be found.
 */
function ownDefaultProfile(
  env: Readonly<Record<string, string | undefined>>,
  os: string,
  uid: number | null,
  readPasswd: () => string,
): string | null {
  const { THOTH_HOME: _, ...rest } = env;
  try {
    return profileHome(rest, os, () => {
      try {
        return uid === null ? undefined : passwdHome(readPasswd(), uid);
      } catch {
        return undefined;
      }
    });
  } catch {
    return null;
  }
}

/** Whether `path` and `other` name one folder (by their text, else where their links lead). */
async function sameFolder(path: string, other: string | null): Promise<boolean> {
  if (other === null) return false;
  if (path === other) return true;
  const [real, otherReal] = await Promise.all(
    [path, other].map((name) => Deno.realPath(name).catch(() => undefined)),
  );
  return real !== undefined && real === otherReal;
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
