/**
 * What `thoth status --check --strict` fails on besides what `--check` does:
 * `--check` judges stdio servers only, and a governed entry by its shape, so
 * a remote server (or a local one reached over `http://localhost`), whose
 * tool calls thoth never sees, and an entry in thoth's shape whose command
 * (or `THOTH_WRAP` record) names a program that is not thoth (a
 * `/usr/bin/python3` given thoth's arguments) both pass it. `--strict` fails
 * on every server with a URL, and checks each governed entry's command the
 * way `thoth doctor` does ({@linkcode verifyThothLaunch}: this very thoth,
 * or a program that answers `--version` as thoth does; as root, or for a
 * project's config, nothing is started, so only this thoth's own file
 * passes). An entry that cannot be verified fails: strict means proven.
 *
 * @example
 * ```ts
 * const findings = await strictFindings(files, { os: "linux", env, self: io.selfCommand, uid: 0 });
 * findings[0]; // { server: "docs", file: "/home/ana/.cursor/mcp.json", why: "a remote server …" }
 * await checkStrict(io, files, { os: "linux", env, self: io.selfCommand });
 * ```
 */
import type { Node } from "jsonc-parser";
import type { ClientId } from "../config/client_id.ts";
import type { StatusReport } from "../config/status_report.ts";
import { parseConfig } from "../config/parse_config.ts";
import { serverEntries } from "../config/server_entries.ts";
import { classifyEntry } from "../config/classify_entry.ts";
import { envPaths, thothLaunches } from "../config/discover_client_configs.ts";
import { isLoopbackUrl } from "../config/loopback_url.ts";
import { verifyThothLaunch } from "../doctor/verify_thoth_launch.ts";
import { serverPath } from "../doctor/server_path.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import type { CliIo } from "./cli_io.ts";
import { shownLines } from "./apply_config_plan.ts";

/** One server `--strict` fails on, and why. */
export interface StrictFinding {
  /** The server's name (with its Claude Code project, if any), a key by fingerprint only. */
  server: string;
  file: string;
  why: string;
}

/** One file status read, with its report. */
export interface StrictFile {
  path: string;
  text: string;
  report: StatusReport;
  scope: "user" | "project";
}

/** What the checks need of the machine. */
export interface StrictFacts {
  client?: ClientId | undefined;
  os: string;
  env: Readonly<Record<string, string | undefined>>;
  /** How this thoth is started (`CliIo.selfCommand`). */
  self: readonly string[];
  /** The user id status runs as; null where there is none (Windows). */
  uid: number | null;
}

/** The servers of `files` that `--strict` fails on, in file order. */
export async function strictFindings(
  files: readonly StrictFile[],
  facts: StrictFacts,
): Promise<StrictFinding[]> {
  const findings: StrictFinding[] = [];
  for (const file of files) {
    const rows = file.report.servers;
    if (!rows.some((row) => row.transport === "remote" || row.governed)) continue;
    const entries = serverEntries(parseConfig(file.text, file.path, true), facts.client, file.path);
    const launches = thothLaunches(entries, rows, facts.self);
    const paths = envPaths(entries, rows);
    const owner = (await Deno.stat(file.path).catch(() => null))?.uid ?? null;
    for (const [index, row] of rows.entries()) {
      const server = `${shownUnlessKey(row.name)}${
        row.project === null ? "" : ` (project ${row.project})`
      }`;
      const entry = entries[index];
      const node: Node | undefined = entry?.name === row.name ? entry.node : undefined;
      if (row.transport === "remote") {
        findings.push({ server, file: file.path, why: remoteWhy(node) });
        continue;
      }
      if (!row.governed) continue;
      const launch = launches[index] ?? null;
      if (launch === null) {
        findings.push({
          server,
          file: file.path,
          why: "how the entry starts thoth is not known, so it cannot be checked",
        });
        continue;
      }
      const where = serverPath(facts.client ?? "claude-desktop", facts.os, facts.env, {
        envPath: paths[index] ?? [],
      });
      const check = await verifyThothLaunch(launch, where.searched, {
        self: facts.self,
        os: facts.os,
        uid: facts.uid,
        configOwner: owner,
        env: facts.env,
        scope: file.scope,
      });
      if (check.outcome === "verified") continue;
      findings.push({
        server,
        file: file.path,
        why: check.outcome === "not_thoth"
          ? `its command is not thoth: ${check.detail}`
          : check.outcome === "missing"
          ? check.detail
          : `its command could not be verified as thoth: ${check.detail}`,
      });
    }
  }
  return findings;
}

/**
 * Runs the checks as this process (its uid) and names each server that fails
 * them on stderr, one `thoth: error:` line each (`more` after them: what the
 * caller found, such as a governed server whose upstream command is not
 * found), then one with their count and a `thoth: hint:` line, setting exit
 * code 1.
 */
export async function checkStrict(
  io: CliIo,
  files: readonly StrictFile[],
  facts: Omit<StrictFacts, "uid">,
  more: readonly StrictFinding[] = [],
): Promise<void> {
  const findings = [
    ...await strictFindings(files, { ...facts, uid: effectiveUid() }),
    ...more.map(({ server, file, why }) => ({ server, file, why })),
  ];
  for (const finding of findings) {
    io.err(
      shownLines(
        `thoth: error: --strict: ${finding.server} (in "${finding.file}"): ${finding.why}`,
      ) +
        "\n",
    );
  }
  if (findings.length === 0) return;
  // The closing lines in the form of every other --check line: a level, then what to do.
  io.err(
    `thoth: error: ${findings.length} server(s) fail --strict\n` +
      'thoth: hint: run "thoth doctor" to see how each entry\'s command was checked\n',
  );
  io.exitCode = 1;
}

/** Why a server with a URL fails `--strict`. */
function remoteWhy(node: Node | undefined): string {
  const kind = node === undefined ? undefined : classifyEntry(node);
  const url = kind?.kind === "remote" ? kind.url : undefined;
  if (url !== undefined && isLoopbackUrl(url)) {
    return `a server on this machine reached over the network (${
      JSON.stringify(url.slice(0, 200))
    }): thoth governs the stdio servers a client starts, so its tool calls are not governed; ` +
      "configure it as a stdio server (command and args) and wrap it";
  }
  return `a remote server${
    url === undefined ? "" : ` (${JSON.stringify(url.slice(0, 200))})`
  }: thoth governs stdio servers only, so its tool calls are not governed`;
}
