/**
 * What `thoth audit show` says on stderr when no record matched its filters
 * (stdout stays empty with `--json`, and holds only the header otherwise):
 * `no records match`, naming the filters as given, and when `--server`
 * matched none, the servers the log holds records of (a name that differs
 * only in case first), since `--server` takes a server's name exactly: no
 * glob, case counts. Pure: the caller prints the lines.
 *
 * @example
 * ```ts
 * io.err(noRecordsNote({ server: "FS" }, ["fs", "memory"]));
 * // thoth: no records match --server "FS"
 * // thoth: hint: --server takes a server's name exactly (case counts, no globs): did you mean fs?
 * // thoth: hint: the log holds records of 2 servers: fs, memory
 * ```
 */
import { nameCell } from "../audit/name_cell.ts";
import type { TableJoins } from "../audit/table_joins.ts";
import { showName } from "../identity/shown_env_value.ts";

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
 * record; none without a filter (an empty log); `servers` are the names of the servers the log holds records of
 * (read only when `--server` was given).
 */
export function noRecordsNote(given: GivenFilters, servers: Iterable<string>): string {
  const flags = (["since", "until", "server", "decision", "effect"] as const)
    .filter((flag) => given[flag] !== undefined)
    .map((flag) => `--${flag} ${showName(given[flag]!)}`);
  if (flags.length === 0) return "";
  const lines = [`thoth: no records match ${flags.join(" ")}`];
  const asked = given.server;
  if (asked !== undefined) {
    const names = [...new Set(servers)].filter((name) => name !== "").sort();
    if (!names.includes(asked)) {
      const near = names.find((name) => name.toLowerCase() === asked.toLowerCase());
      lines.push(
        `thoth: hint: --server takes a server's name exactly (case counts, no globs)${
          near === undefined ? "" : `: did you mean ${nameCell(near, NAME_MAX)}?`
        }`,
      );
      const shown = names.slice(0, SERVERS_LISTED).map((name) => nameCell(name, NAME_MAX));
      const more = names.length > SERVERS_LISTED
        ? ` and ${names.length - SERVERS_LISTED} more`
        : "";
      lines.push(
        names.length === 0
          ? "thoth: hint: the log holds records of no server yet"
          : `thoth: hint: the log holds records of ${names.length} server${
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
