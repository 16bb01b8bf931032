/**
 * What `thoth audit show` says on stderr when no record matched its filters
 * (stdout stays empty with `--json`, and holds only the header otherwise):
 * `no records match`, naming the filters as given, and when `--server`
 * matched none, the servers the log holds records of (a name that differs
 * only in case first), since `--server` takes a server's name exactly: no
 * glob, case counts. When the profile has no audit log at all (no segment),
 * `show` and `tail` say that instead, naming the audit folder they read and
 * how a log written under another `THOTH_HOME` is read ({@linkcode noLogNote}):
 * an empty answer there is no filter's doing. Pure: the caller prints the lines.
 *
 * @example
 * ```ts
 * io.err(noRecordsNote({ server: "FS" }, ["fs", "memory"]));
 * // thoth: no records match --server "FS"
 * // thoth: hint: --server takes a server's name exactly (case counts, no globs): did you mean fs?
 * // thoth: hint: the log holds records of 2 servers: fs, memory
 * io.err(noLogNote("thoth", "/home/ana/.thoth/audit", {}));
 * // thoth: there is no audit log in "/home/ana/.thoth/audit" yet: no thoth session has written a record under this profile
 * // thoth: hint: THOTH_HOME is not set here; …
 * ```
 */
import { nameCell } from "../audit/name_cell.ts";
import type { TableJoins } from "../audit/table_joins.ts";
import { showName } from "../identity/shown_env_value.ts";
import { displayText } from "../approval/display_text.ts";

/** The filters of `show` as given on the command line (only those given are named). */
export interface GivenFilters {
  since?: string | undefined;
  until?: string | undefined;
  server?: string | undefined;
  decision?: string | undefined;
  effect?: string | undefined;
}

/** The most server names the hint lists. */
const SERVERS_LISTED = 20;
/** The longest a server name gets in the hint. */
const NAME_MAX = 80;

/**
 * The stderr lines (each ending in a newline) for a `show` that matched no
 * record, under the name of `program` (`thoth` or `thothctl`); none without a
 * filter (an empty log); `servers` are the names of the servers the log holds
 * records of (read only when `--server` was given).
 */
export function noRecordsNote(
  given: GivenFilters,
  servers: Iterable<string>,
  program = "thoth",
): string {
  const flags = (["since", "until", "server", "decision", "effect"] as const)
    .filter((flag) => given[flag] !== undefined)
    .map((flag) => `--${flag} ${showName(given[flag]!)}`);
  if (flags.length === 0) return "";
  const lines = [`${program}: no records match ${flags.join(" ")}`];
  const asked = given.server;
  if (asked !== undefined) {
    const names = [...new Set(servers)].filter((name) => name !== "").sort();
    if (!names.includes(asked)) {
      const near = names.find((name) => name.toLowerCase() === asked.toLowerCase());
      lines.push(
        `${program}: hint: --server takes a server's name exactly (case counts, no globs)${
          near === undefined ? "" : `: did you mean ${nameCell(near, NAME_MAX)}?`
        }`,
      );
      const shown = names.slice(0, SERVERS_LISTED).map((name) => nameCell(name, NAME_MAX));
      const more = names.length > SERVERS_LISTED
        ? ` and ${names.length - SERVERS_LISTED} more`
        : "";
      lines.push(
        names.length === 0
          ? `${program}: hint: the log holds records of no server yet`
          : `${program}: hint: the log holds records of ${names.length} server${
            names.length === 1 ? "" : "s"
          }: ${shown.join(", ")}${more}`,
      );
    }
  }
  return lines.map((line) => line + "\n").join("");
}

/**
 * The servers the records `joins` gathered belong to: those the log's
 * sessions started and its decisions name.
 */
export function serversIn(joins: TableJoins): Set<string> {
  const names = new Set(joins.sessions.values());
  for (const decision of joins.decisions.values()) {
    if (decision.server !== undefined) names.add(decision.server);
  }
  return names;
}

/**
 * The stderr lines (each ending in a newline) for `show` or `tail` run by
 * `program` on a profile whose audit folder `dir` holds no segment: no thoth
 * session has written a record under it, whatever the filters. `waiting`:
 * `tail -f`, which waits for the first record instead of ending. The hint
 * says where a session run under another profile wrote its records, by
 * whether `THOTH_HOME` is set in `env`.
 */
export function noLogNote(
  program: string,
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
  waiting = false,
): string {
  const home = env["THOTH_HOME"];
  const where = home === undefined || home === ""
    ? "THOTH_HOME is not set here; a session run with THOTH_HOME set (a client's config may " +
      "set it) writes its records in that profile's audit folder: read them with the same " +
      "THOTH_HOME"
    : `THOTH_HOME is set to ${
      JSON.stringify(displayText(home, 400))
    } here; a session run under another profile writes its records in that profile's audit ` +
      "folder: read them with the same THOTH_HOME";
  return `${program}: there is no audit log in ${JSON.stringify(displayText(dir, 400))} yet: ${
    waiting
      ? "waiting for the first record (Ctrl-C stops)"
      : "no thoth session has written a record under this profile"
  }\n${program}: hint: ${where}\n`;
}
