/**
 * A `THOTH_HOME` set for `status` or `wrap-config` names the profile the
 * servers are judged by (the admin's declaration), but a client starts its
 * servers with its own environment and the entry's "env", never this
 * command's: a governed entry whose "env" sets no `THOTH_HOME` runs with the
 * profile judged only if the client gets `THOTH_HOME` from its own
 * environment (set system-wide: `launchctl setenv` on macOS, the desktop
 * session's environment on Linux, a system variable on Windows), else with
 * the profile its `thoth run` finds without it (`defaultProfile` of
 * `judged_profile.ts`). Which one cannot be seen from here, so `status`
 * warns (with `--check` it is an error: a check must not pass on a profile it
 * cannot show the servers use) and `wrap-config` warns; the remedy is
 * `wrap-config --env THOTH_HOME=PATH`, which writes it into each entry's
 * "env" (and `unwrap-config` takes it out again).
 *
 * @example
 * ```ts
 * const servers = serversWithoutThothHome(text, { label, self: io.selfCommand, os: "linux", judged: "/srv/thoth" });
 * const { message, hint } = thothHomeNotPassedLines({ judged: "/srv/thoth", defaultProfile: "/home/ana/.thoth", servers, remedy });
 * ```
 */
import type { ClientId } from "../config/client_id.ts";
import { parseConfig } from "../config/parse_config.ts";
import { serverEntries } from "../config/server_entries.ts";
import { classifyEntry } from "../config/classify_entry.ts";
import { readThothInvocation } from "../config/thoth_invocation.ts";
import { invocationContext } from "../config/wrap_entry.ts";
import { entryThothHome, runEntryOf } from "../config/run_entry.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import type { CliIo } from "./cli_io.ts";
import type { JudgedProfile } from "./judged_profile.ts";
import { shownLine } from "./apply_config_plan.ts";
import { shellWord } from "./config_command_line.ts";

/** How to read a config's entries. */
export interface EntriesOptions {
  /** The file, for errors. */
  readonly label: string;
  /** The thoth command entries are recognised by (this thoth's). */
  readonly self: readonly string[];
  /** The client whose servers are read, if known. */
  readonly client?: ClientId | undefined;
  /** The OS thoth run runs on (where its profile is). */
  readonly os: string;
  /** The profile judged (`THOTH_HOME` of the command). */
  readonly judged: string;
}

/** A server whose "env" sets no `THOTH_HOME`. */
export interface ServerWithoutThothHome {
  /** Its name, with its Claude Code project when it has one (a key-like name by fingerprint). */
  name: string;
  /** The profile its "env" gives without `THOTH_HOME` (it sets HOME), else undefined. */
  ownDefault: string | undefined;
}

/**
 * The governed entries of `text` whose "env" sets no `THOTH_HOME` (one
 * whose "env" sets a HOME that leads to the profile judged is left out: it
 * runs with it either way). A config that cannot be read so gives none (its
 * own reader reports it).
 */
export function serversWithoutThothHome(
  text: string,
  options: EntriesOptions,
): ServerWithoutThothHome[] {
  let entries;
  try {
    entries = serverEntries(parseConfig(text, options.label, true), options.client, options.label);
  } catch {
    return [];
  }
  const found: ServerWithoutThothHome[] = [];
  for (const entry of entries) {
    const kind = classifyEntry(entry.node);
    if (kind.kind !== "stdio") continue;
    const args = (kind.args?.children ?? []).map((node) => node.value);
    if (args.some((arg) => typeof arg !== "string")) continue;
    const invocation = readThothInvocation(
      kind.command.value as string,
      args as string[],
      options.self,
      invocationContext(kind.env),
    );
    if (invocation?.kind !== "wrapped") continue;
    const env = runEntryOf(invocation, args as string[], kind.env).env;
    if (env["THOTH_HOME"] !== undefined && env["THOTH_HOME"] !== "") continue;
    const ownDefault = entryThothHome(env, options.os);
    if (ownDefault === options.judged) continue;
    const project = entry.project === undefined ? "" : ` (project ${entry.project})`;
    found.push({ name: `${shownUnlessKey(entry.name)}${project}`, ownDefault });
  }
  return found;
}

/** What the lines say: the profile judged, the default one, the servers, the remedy command. */
export interface NotPassedFacts {
  judged: string;
  defaultProfile: string | null;
  servers: readonly ServerWithoutThothHome[];
  /** Commands that write `THOTH_HOME` into the entries, each quoted, joined with "and". */
  remedy: string;
}

/**
 * The warning (or error) line, without `thoth: LEVEL: ` nor an end of line,
 * and its hint (`check`: for status --check, which fails on it).
 */
export function thothHomeNotPassedLines(
  facts: NotPassedFacts,
  check = false,
): { message: string; hint: string } {
  const fallback = facts.defaultProfile === null
    ? "the profile of the client's user, which is not known here (no home folder)"
    : `"${facts.defaultProfile}", the profile their thoth run finds without it`;
  const names = facts.servers.map(({ name, ownDefault }) =>
    ownDefault === undefined
      ? name
      : `${name} (without it: "${ownDefault}", as its "env" sets HOME)`
  );
  return {
    message: `THOTH_HOME is "${facts.judged}" for this command, and the servers were judged by ` +
      `that profile, but ${facts.servers.length} governed server(s) set no THOTH_HOME in their ` +
      `"env": ${names.join(", ")}; a client passes them its own environment, not this ` +
      `command's, so they run with "${facts.judged}" only if the client gets THOTH_HOME ` +
      `(set system-wide), else with ${fallback}`,
    hint: `run ${facts.remedy} to write it into each server's "env" (unwrap-config takes it ` +
      "out again); or, when THOTH_HOME is set system-wide for the client, " +
      (check
        ? "this check cannot see that (it cannot read the client's environment) and fails " +
          'until it is in each "env"; without --check, status only warns'
        : "this warning is expected (status --check fails on it, as it cannot read the " +
          "client's environment)"),
  };
}

/** The servers of `files` that a `THOTH_HOME` of this command may not reach, and the remedy. */
export function notPassedToServers(
  judged: JudgedProfile,
  files: readonly { path: string; text: string; wrapCommand: string }[],
  options: { client: ClientId | undefined; self: readonly string[]; os: string },
): NotPassedFacts | undefined {
  const defaultProfile = judged.defaultProfile;
  const path = judged.profile.path;
  if (defaultProfile === undefined || path === null) return undefined;
  const remedies = new Set<string>();
  const servers = files.flatMap((file) => {
    const found = serversWithoutThothHome(file.text, {
      ...options,
      label: file.path,
      judged: path,
    });
    if (found.length > 0) remedies.add(`"${file.wrapCommand} --env THOTH_HOME=${shellWord(path)}"`);
    return found.map((server) =>
      files.length > 1 ? { ...server, name: `${server.name} (in "${file.path}")` } : server
    );
  });
  if (servers.length === 0) return undefined;
  return { judged: path, defaultProfile, servers, remedy: [...remedies].join(" and ") };
}

/**
 * Says it on stderr: a warning, or with `check` an error that makes the
 * command exit 1.
 */
export function reportThothHomeNotPassed(io: CliIo, facts: NotPassedFacts, check: boolean): void {
  const { message, hint } = thothHomeNotPassedLines(facts, check);
  io.err(
    `${shownLine(`thoth: ${check ? "error" : "warning"}: ${message}`)}\n` +
      `${shownLine(`thoth: hint: ${hint}`)}\n`,
  );
  if (check) io.exitCode = 1;
}
