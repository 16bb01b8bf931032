/**
 * `thoth status`: which MCP servers of a client run through thoth, with what
 * identity, intent and enforcement mode, and what has drifted.
 *
 * @example
 * ```sh
 * thoth status --check || echo "some servers run ungoverned"
 * ```
 */
import { decisionsOf, localDecisionsLine } from "./local_decisions.ts";
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { CLIENT_IDS, type ClientId } from "../config/client_id.ts";
import { type ConfigShellDeps, denoConfigShellDeps } from "../config/config_shell_deps.ts";
import { findConfigPlaces } from "../config/find_config_places.ts";
import { foundClientConfigs, withFoundClients } from "../config/found_client_configs.ts";
import { planStatus, type StatusOptions, type StatusReport } from "../config/plan_status.ts";
import { formatStatusTables } from "../config/format_status_table.ts";
import {
  hintConfigForm,
  type PlaceProblem,
  planConfigPlaces,
  type PlannedFile,
  shellWord,
  shownLine,
} from "./apply_config_plan.ts";
import { describeError, formatReport } from "./report_error.ts";
import { formatConfigPlaces } from "../config/format_config_places.ts";
import { judgedProfile, profileJudgedLine } from "./judged_profile.ts";
import { notPassedToServers, reportThothHomeNotPassed } from "./thoth_home_not_passed.ts";
import { notLookedInWords, readUnjudged, reportCoverage } from "./status_coverage.ts";
import { checkStrict } from "./strict_status.ts";
import { escapeJsonForDisplay } from "../audit/format_records.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import { AppError, isAppError } from "../errors.ts";
import { clientConfigRemedy } from "../doctor/client_config_remedy.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import type { Node } from "jsonc-parser";
import { parseConfig } from "../config/parse_config.ts";
import { serverEntries } from "../config/server_entries.ts";
import { classifyEntry } from "../config/classify_entry.ts";
import { readThothInvocation } from "../config/thoth_invocation.ts";
import { invocationContext } from "../config/wrap_entry.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { RUN_DEFAULTS } from "./run_flags.ts";
import type { ServerStatus } from "../config/plan_status.ts";
import { lookAtProjectConfigs, projectFileName } from "../config/look_at_project_configs.ts";
import { formatProjectPlaces } from "../config/format_project_places.ts";
import {
  formatUserConfigMissing,
  goesOnWithoutUserConfig,
  userConfigMissingNote,
} from "../config/user_config_missing.ts";
import {
  countProjectProblems,
  planProjectStatuses,
  projectConfigsJson,
  withProjectProblems,
} from "../config/plan_project_statuses.ts";

/** How status takes its config, for the hints of a missing one. */
const STATUS: ConfigCommand = { name: "status", takes: "--config FILE" };

const EXAMPLES = `
Governed ✓: the server runs through thoth ("thoth run [flags] -- <command>"). ✗: a stdio
server that runs without thoth, including one thoth cannot wrap as it is written (an "args"
item or "env" value that is not a string, an "env" that is not an object, "command" beside
"url" without "type": "stdio"); its note says what to change. ?: the command names thoth but not in that shape, so thoth
cannot tell whether it is governed; the note says why, fix it by hand. —: not applicable
(remote servers, entries with no command). A disabled server counts as if it were enabled:
Claude Code ignores "disabled", and other clients enable it with one toggle. Notes show drift:
a thoth path or script that is not a file on this machine (the client cannot start the server,
so --check fails on it), an older flag set (such as --enforcer-url in args, or THOTH_ENFORCER_URL
in "env": deprecated and ignored), an API key in args, a credential (THOTH_API_KEY,
THOTH_AUTH_TOKEN, THOTH_RUNTIME_BEARER_TOKEN) in "env" in plain text, and anything thoth run
would refuse to start with ("thoth run will refuse to start: …", each with its fix): a flag value, a flag given twice, a THOTH_*
value in the server's "env", a tenant whose "env" does not set THOTH_USER_ID (or sets it to
""), an intent map thoth run cannot use, a session intent the policy does not define, a flag
with no value, -h. Two servers with one agent id are drift too. The flags are read with thoth
run's own reader. The user id is judged from the server's "env" only: this shell's environment
is not the client's (a GUI client does not get it), so a tenant's THOTH_USER_ID must be in
"env". A server with no --intent takes its intent from intent_map.json in its profile (the
THOTH_HOME of its "env", else this profile), read as thoth run reads it; the Session Intent
column then reads "NAME (intent map)", and a map thoth run refuses (unreadable, invalid, an
entry that is a server name) is a refusal. The intent is checked against the policy that
server's thoth run reads (--policy, else policy.jsonc under the same profile); when that policy
cannot be read, the note says so. Fix drift with "thoth wrap-config" given the same --client
and the file given to --config: notes and hints name that command. The line "Profile judged"
(--json: "profile") names the profile judged: this user's, THOTH_HOME's when it is set, or, run
as another user than the config's owner (root), the owner's ~/.thoth, read only as far as root
may trust it as the owner's own (what it cannot is named, and fails --check). A client passes
its servers its own environment, not this shell's: when THOTH_HOME names another folder than
the profile their thoth run finds without it (~/.thoth of the client's user), a governed server
whose "env" sets no THOTH_HOME runs with the profile judged only if the client gets THOTH_HOME
(set system-wide). Status warns, naming those servers and both profiles (--check: an error,
exit 1; --json: "profile" gets "notPassedToServers": {"defaultProfile", "servers"}); "thoth
wrap-config --env THOTH_HOME=PATH" writes it into each entry's "env".

--client vscode without --config reads every file VS Code reads user servers from: its mcp.json
and, when it names MCP servers ("mcp": {"servers": …} or "mcp.servers": {…}), its settings.json,
the same two of VS Code Insiders and VSCodium, and of each profile (User/profiles/*/) of the
three; each gets its own table, --check fails on a server in either and names its file, and the hint's
"thoth wrap-config --client vscode" wraps both. A settings.json whose servers are ambiguous (both
"mcp" and "mcp.servers", or a key such as "mcp.servers.NAME") is not understood, nor is one
that cannot be read: status still shows mcp.json's table, names the settings.json problem on
stderr, and exits 1 (with or without --check).
Two servers of one agent id in the two files are drift too.

--client claude-code, cursor or vscode without --config also reads that client's config in
each project folder ~/.claude.json lists (.mcp.json, .cursor/mcp.json, .vscode/mcp.json), as
thoth doctor does: each one found with servers gets its own table, --check fails on a server
in it as on any other, naming its file and the "thoth wrap-config" for that file. One that
cannot be read or parsed is named on stderr (a warning; an error with --check) and fails
--check only: without --check status exits 0, as a stale project folder is no reason to fail.
The lines under the tables say which were found, which cannot be read or understood, which
listed folders are gone (not a failure), and where status did not look (system folders such
as /proc/self are not looked in).
When the client's user config (such as ~/.cursor/mcp.json) does not exist but a project config
of it does (read or not, understood or not), status says so (a note on stderr, and "No such
file" under its path) and reports the project configs as it would beside it, and --check fails
only on what they hold; with no project config either, the missing file is an error.

--json prints {"schemaVersion": 1, "config", "configs", "userConfigMissing", "servers": [{"name",
"project", "transport", "disabled", "governed", "state", "agentId", "tenantId", "tenantIdSource",
"intent", "intentSource", "warnings", "decisions",
"enforcementMode", "enforcementModeUsed", "enforcementModeSource", "command",
"upstreamCommand", "drift", "refusals", "cannotStart", "note", "config"}], "summary": {"servers",
"governed", "ungoverned", "notUnderstood", "notApplicable", "drifted", "refused",
"cannotStart"}}; "configs" lists every file read ("config" is the first), each server's "config"
names the file it is in; "decisions" is "local" for a server thoth runs (this build decides
every call with the machine's policy, also with a tenant), null for one it does not;
"userConfigMissing" is null, or the client's user config path when
that file does not exist and only project configs were read ("config" is then that path too);
and "summary" counts over all of them, plus, when
"projectConfigs" is not null, "projectConfigProblems" (project configs that cannot be read or
parsed); "state" is "governed",
"not_understood", "ungoverned" or "not_applicable"; "intentSource" is "--intent", "intent_map"
or null; "tenantId" is the tenant thoth run would use, from "--tenant-id" or else the server's
"env" (THOTH_TENANT_ID), as "tenantIdSource" says ("--tenant-id", "env" or null); "refusals"
lists what thoth run would refuse to start the server with, "cannotStart" why the client cannot
start it at all (a thoth path or script that is not a file here; both also in "drift");
"enforcementMode" is the
--enforcement-mode written (null without one), "enforcementModeUsed" the mode thoth run will
use: that one, else its default (block), as "enforcementModeSource" says ("--enforcement-mode",
"default" or null when not governed; the table shows "block (default)"); "warnings" what thoth run
warns about as it starts it (an intent map key that differs from the agent id only by case;
also in "note"). "scope" is "user" (the client's own file) or "project" (a project folder's);
"projectConfigs" is null, or {"listedIn", "places": [{"client", "folder", "path", "state",
"problem"}], "notChecked"}: each project config place, "state" "found", "none",
"folder_missing" (gone, or not a folder), "not_looked_at" (a system folder thoth does not
read in), "unreadable" or "invalid" (found but not parsed or understood; "problem" says why,
else null). "notLookedIn" lists, in words, where the client may read servers that status did
not look; "profile" is {"path", "source" ("THOTH_HOME", "self" or "owner"), "ownerUid",
"config", "notRead"}, plus "notPassedToServers" when THOTH_HOME may not reach some servers (see
above). A tenant, agent id or intent that looks like a key is shown
by fingerprint.

Examples:
  thoth status                # Claude Desktop
  thoth status --client cursor
  thoth status --client vscode --check   # mcp.json and settings.json
  thoth status --config .mcp.json --json
  thoth status --check        # exit 1 unless every stdio server (disabled ones
                              # too) is governed and would start (MDM)

  # also exit 1 on servers with a URL (remote, or local over http) and on
  # entries whose command is not proven to be thoth, checked as "thoth doctor"
  # checks it
  thoth status --check --strict
`;

/** Builds the `status` subcommand. */
export function statusCommand(io: CliIo, deps: ConfigShellDeps = denoConfigShellDeps()) {
  const command = new Command("status")
    .description("Show which MCP servers of a client run through thoth")
    .option("--config <file>", "client config to read (default: the client's standard config file)")
    .addOption(new Option("--client <client>", "which client's config").choices(CLIENT_IDS))
    .option("--json", "print a stable JSON document for scripts")
    .option(
      "--check",
      "exit 1 when any stdio server (disabled ones too) runs without thoth, names thoth in a " +
        "shape not understood, or would not start (a thoth path not there, a refusal of thoth run)",
    )
    .option(
      "--strict",
      "with --check: also fail on servers with a URL (remote, or local over http) and on " +
        "governed entries whose command is not proven to be thoth (as thoth doctor checks it)",
    )
    .addHelpText("after", () => `${EXAMPLES}\n${formatConfigPlaces({ os: deps.os, env: io.env })}`)
    .action(async (options) => {
      const client = options.client as ClientId | undefined;
      if (options.strict && !options.check) {
        throw new AppError("usage.strict_without_check", "--strict works with --check only", {
          hints: ["run thoth status --check --strict"],
        });
      }
      // Every file the client reads user servers from (for VS Code: Insiders', VSCodium's and
      // each profile's too), and where it may read more that status does not look.
      const found = await findConfigPlaces({
        input: options.config,
        client,
        cwd: io.cwd,
        os: deps.os,
        env: io.env,
        command: STATUS,
      });
      const places = found.places;
      // The profile holds the policy and intent map each server is judged by.
      await requireProfileFolder(io.thothHome, io.env);
      // The command that wraps this very config: the client's (every file of it), or the file named.
      const wrapCommand = [
        "thoth wrap-config",
        ...(client === undefined ? [] : [`--client ${client}`]),
        ...(options.config === undefined ? [] : [shellWord(places[0]!.path)]),
      ].join(" ");
      // The profile of the user whose client runs these servers (the owner's, run as root).
      const judged = await judgedProfile(
        io,
        places.map((place) => place.path),
        deps.readPasswd,
        deps.os,
      );
      const statusOptions: StatusOptions = {
        isFile: deps.isFile,
        thothCommand: io.selfCommand,
        run: judged.run,
        wrapCommand,
      };
      if (client !== undefined) statusOptions.client = client;
      // The project configs doctor finds for this client (the folders ~/.claude.json lists).
      const looked = options.config === undefined && client !== undefined
        ? await lookAtProjectConfigs({ client, os: deps.os, env: io.env, command: STATUS })
        : null;
      // A settings.json status cannot use (ambiguous servers, unreadable) does not hide
      // mcp.json's table: both are shown, and the command fails.
      const problems: PlaceProblem[] = [];
      let planned: PlannedFile<StatusReport>[];
      // The client's user config that does not exist, when its project configs are reported alone.
      let userConfigMissing: string | null = null;
      try {
        planned = await planConfigPlaces(
          places,
          STATUS,
          // Labelled with its path: broken JSON and ambiguous VS Code settings are refused as not
          // understood, naming the file (planStatus parses it; ~/.claude.json can be tens of MiB).
          (file) => planStatus(file.text, { ...statusOptions, label: file.path }),
          withRemedy,
          { client, problems },
        );
      } catch (error) {
        // A user who keeps servers in project configs only has none: nothing to report is
        // the error, not a missing file beside project configs that run servers.
        if (!goesOnWithoutUserConfig(error, looked)) {
          // Claude Desktop's config, the default, is missing: name the clients that are here.
          if (options.config !== undefined || client !== undefined) throw error;
          throw withFoundClients(
            error,
            places[0]!.path,
            () => foundClientConfigs({ os: deps.os, env: io.env, cwd: io.cwd }, deps.isFile),
            STATUS,
          );
        }
        planned = [];
        userConfigMissing = places[0]!.path;
      }
      const files = planned.map(({ file, plan }) => ({
        path: file.path,
        text: file.text,
        report: plan,
      }));
      if (files.length > 1) markAgentIdsSharedAcross(files, client, io.selfCommand);
      // A project config that cannot be read or parsed fails --check only (a stale folder the
      // user once opened is no reason for plain status to fail), unlike the client's own.
      const projectProblems: PlaceProblem[] = [];
      const all = [
        ...files.map((file) => ({ ...file, scope: "user" as const, wrapCommand })),
        ...planProjectStatuses(looked, {
          client,
          statusOptions,
          wrapCommandFor: (file) => `thoth wrap-config --client ${client} ${shellWord(file)}`,
          explain: withRemedy,
          problems: projectProblems,
        }),
      ];
      const projects = withProjectProblems(looked, projectProblems);
      // Servers this command's THOTH_HOME may not reach (their "env" sets none): said, in JSON too.
      const notPassed = notPassedToServers(judged, all, {
        client,
        self: io.selfCommand,
        os: deps.os,
      });
      if (notPassed !== undefined) {
        judged.profile.notPassedToServers = {
          defaultProfile: notPassed.defaultProfile,
          servers: notPassed.servers.map((server) => server.name),
        };
      }
      const path = userConfigMissing ?? files[0]!.path;
      const notLookedIn = notLookedInWords(found.notChecked, found.unjudged, wrapCommand);
      // Read with --check only: a file wrap-config does not change fails the check, not the table.
      const unjudged = options.check ? await readUnjudged(found.unjudged, statusOptions) : [];
      if (options.json) {
        const servers = all.flatMap((file) =>
          file.report.servers.map((server) => ({
            ...server,
            name: shownUnlessKey(server.name),
            ...enforcementInEffect(server),
            decisions: decisionsOf(server),
            config: file.path,
            scope: file.scope,
          }))
        );
        const doc = {
          schemaVersion: 1,
          config: path,
          configs: all.map((file) => file.path),
          userConfigMissing,
          servers,
          summary: {
            ...sumSummaries(all.map((file) => file.report.summary)),
            // Beside "projectConfigs" only: a file given with --config keeps the summary it had.
            ...(projects === null ? {} : { projectConfigProblems: countProjectProblems(projects) }),
          },
          projectConfigs: projectConfigsJson(projects),
          notLookedIn,
          profile: judged.profile,
        };
        // DEL, C1 and bidi controls as \u escapes too: safe to print, parses to the exact names.
        io.out(escapeJsonForDisplay(JSON.stringify(doc, null, 2)) + "\n");
      } else {
        const tables = formatStatusTables(all.map((file) => ({
          path: file.path,
          report: {
            ...file.report,
            servers: file.report.servers.map((server) => ({
              ...shownMode(server),
              name: shownUnlessKey(server.name),
            })),
          },
        })));
        io.out(
          userConfigMissing === null
            ? tables
            : `${formatUserConfigMissing(userConfigMissing)}${tables === "" ? "" : `\n${tables}`}`,
        );
        const tenants = localDecisionsLine(all.flatMap((file) => file.report.servers));
        if (tenants !== "") io.out(`\n${tenants}`);
        io.out(`\n${profileJudgedLine(judged.profile)}`);
        if (projects !== null) {
          const withClient = { ...projects, notChecked: [...projects.notChecked, ...notLookedIn] };
          io.out(`\n${formatProjectPlaces(withClient, projectFileName(client!))}`);
        } else if (notLookedIn.length > 0) {
          io.out(`\nNot looked in: ${notLookedIn.join("; ")}\n`);
        }
      }
      if (userConfigMissing !== null && looked !== null) {
        io.err(userConfigMissingNote(userConfigMissing, looked));
      }
      for (const problem of problems) {
        io.err(formatReport("thoth", describeError(problem.error, false)));
        io.exitCode = 1;
      }
      for (const problem of projectProblems) {
        const report = formatReport("thoth", describeError(problem.error, false));
        io.err(options.check ? report : report.replace(/^thoth: error: /, "thoth: warning: "));
        if (options.check) io.exitCode = 1;
      }
      const status = [
        "thoth status",
        ...(client === undefined ? [] : [`--client ${client}`]),
        ...(options.config === undefined ? [] : [`--config ${shellWord(places[0]!.path)}`]),
      ].join(" ");
      reportCoverage(io, {
        findings: unjudged,
        profile: judged.profile,
        check: options.check === true,
        status,
      });
      // A check must not pass on a profile it cannot show the servers use: an error with --check.
      if (notPassed !== undefined) reportThothHomeNotPassed(io, notPassed, options.check === true);
      if (!options.check) return;
      // Disabled servers count too: Claude Code ignores "disabled", other clients flip it.
      // Several files (VS Code's mcp.json and settings.json): each server named with its file,
      // as is one of a project (the only file read when the user config does not exist).
      const servers = all.flatMap((file) =>
        file.report.servers.map((server) => ({
          ...server,
          file: all.length > 1 || file.scope === "project" ? file.path : undefined,
          wrapCommand: file.wrapCommand,
        }))
      );
      const ungovernedRows = servers.filter((s) => s.state === "ungoverned");
      const ungoverned = ungovernedRows.map(nameOf);
      // Each file with an ungoverned server, by the command that wraps it (a project's: alone).
      const wraps = [...new Set(ungovernedRows.map((s) => `"${shownLine(s.wrapCommand)}"`))]
        .join(" and ");
      const unreadRows = servers.filter((s) => s.state === "not_understood");
      const unread = unreadRows.map(nameOf);
      // What wraps them once fixed: each one's file (a project's alone), as for the ungoverned.
      const rewraps = [...new Set(unreadRows.map((s) => `"${shownLine(s.wrapCommand)}"`))]
        .join(" and ");
      const refused = servers.filter((s) => s.refusals.length > 0 || s.cannotStart.length > 0)
        .map(nameOf);
      if (ungoverned.length > 0) {
        io.err(
          `thoth: error: ${ungoverned.length} stdio server(s) run without thoth: ${
            ungoverned.join(", ")
          }\n` +
            `thoth: hint: run ${wraps} to govern them; where "${status}" says ` +
            "thoth cannot wrap one as written, change what its note says first\n",
        );
      }
      if (unread.length > 0) {
        io.err(
          `thoth: error: ${unread.length} thoth entry(ies) not understood, ` +
            `so not known to be governed: ${unread.join(", ")}\n` +
            `thoth: hint: run "${status}" to see why, fix the entries by hand, then run ` +
            `${rewraps}\n`,
        );
      }
      if (refused.length > 0) {
        io.err(
          `thoth: error: ${refused.length} governed server(s) that will not start: ${
            refused.join(", ")
          }\n` +
            `thoth: hint: run "${status}" to see what stops each (thoth run's refusals, a ` +
            "thoth path that is not there), and the fix\n",
        );
      }
      if (ungoverned.length > 0 || unread.length > 0 || refused.length > 0) io.exitCode = 1;
      if (options.strict) {
        await checkStrict(io, all, { client, os: deps.os, env: io.env, self: io.selfCommand });
      }
    });
  return hintConfigForm(command, STATUS.takes);
}

/**
 * A server as the --check lines name it: with its Claude Code project, if
 * any, and its file when status read more than one; a name that is a key by
 * fingerprint only.
 */
function nameOf(
  server: { name: string; project: string | null; file?: string | undefined },
): string {
  const project = server.project === null ? "" : ` (project ${server.project})`;
  const file = server.file === undefined ? "" : ` (in "${server.file}")`;
  return shownLine(`${shownUnlessKey(server.name)}${project}${file}`);
}

/**
 * Adds drift to each governed server whose agent id a server in another file
 * of the same client has too (VS Code's mcp.json and settings.json: the
 * client runs both), unless that is the same server (same name, same
 * command); then recounts each report's drifted servers. Within one file
 * `planStatus` has marked them already.
 */
function markAgentIdsSharedAcross(
  files: readonly { path: string; text: string; report: StatusReport }[],
  client: ClientId | undefined,
  self: readonly string[],
): void {
  const rows = files.flatMap((file) => {
    const entries = serverEntries(parseConfig(file.text, file.path, true), client, file.path);
    return file.report.servers.flatMap((row, i) => {
      const entry = entries[i];
      if (!row.governed || row.agentId === null || entry?.name !== row.name) return [];
      return [{ row, path: file.path, upstream: upstreamOf(entry.node, self) }];
    });
  });
  for (const mine of rows) {
    const others = rows.filter((other) =>
      other.path !== mine.path && other.row.agentId === mine.row.agentId &&
      (other.row.name !== mine.row.name || other.upstream !== mine.upstream)
    );
    if (others.length === 0) continue;
    const named = others.map((other) =>
      `"${shownUnlessKey(other.row.name)}" in "${other.path}"${
        other.row.name === mine.row.name ? ", which starts another command" : ""
      }`
    );
    mine.row.drift.push(
      `agent id "${mine.row.agentId}" is also the agent id of ${named.join(", ")}: the client ` +
        "runs both files, and policy rules, intents and audit records cannot tell them apart; " +
        "give one another --agent-id by hand",
    );
  }
  for (const file of files) {
    file.report.summary.drifted = file.report.servers.filter((row) => row.drift.length > 0)
      .length;
  }
}

/** What a governed entry starts behind thoth, as one comparable string. */
function upstreamOf(node: Node, self: readonly string[]): string {
  const kind = classifyEntry(node);
  if (kind.kind !== "stdio") return "";
  const args = (kind.args?.children ?? []).map((arg) => arg.value as string);
  const found = readThothInvocation(
    kind.command.value as string,
    args,
    self,
    invocationContext(kind.env),
  );
  return JSON.stringify(found?.kind === "wrapped" ? found.upstream : []);
}

/**
 * The enforcement mode `thoth run` will use for `server`, for `--json`:
 * `enforcementModeUsed` is its `--enforcement-mode`, else thoth run's
 * default (`block`), as `enforcementModeSource` says (`"--enforcement-mode"`
 * or `"default"`); both null for a server that is not governed.
 * `enforcementMode` keeps its meaning: the flag as written, or null.
 *
 * @example
 * ```ts
 * enforcementInEffect({ governed: true, enforcementMode: null });
 * // { enforcementModeUsed: "block", enforcementModeSource: "default" }
 * ```
 */
export function enforcementInEffect(
  server: Pick<ServerStatus, "governed" | "enforcementMode">,
): {
  enforcementModeUsed: string | null;
  enforcementModeSource: "--enforcement-mode" | "default" | null;
} {
  if (!server.governed) return { enforcementModeUsed: null, enforcementModeSource: null };
  if (server.enforcementMode !== null) {
    return {
      enforcementModeUsed: server.enforcementMode,
      enforcementModeSource: "--enforcement-mode",
    };
  }
  return { enforcementModeUsed: RUN_DEFAULTS.enforcementMode, enforcementModeSource: "default" };
}

/**
 * `server` as the table shows it: a governed server with no
 * `--enforcement-mode` shows the mode thoth run will use, marked as its
 * default (`block (default)`), not "—".
 */
function shownMode(server: ServerStatus): ServerStatus {
  const { enforcementModeUsed, enforcementModeSource } = enforcementInEffect(server);
  return enforcementModeSource === "default"
    ? { ...server, enforcementMode: `${enforcementModeUsed} (default)` }
    : server;
}

/** The counts of several files' reports, added up (all 0 for none). */
function sumSummaries(summaries: readonly StatusReport["summary"][]): StatusReport["summary"] {
  const total: StatusReport["summary"] = {
    servers: 0,
    governed: 0,
    ungoverned: 0,
    notUnderstood: 0,
    notApplicable: 0,
    drifted: 0,
    refused: 0,
    cannotStart: 0,
  };
  for (const summary of summaries) {
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += summary[key];
  }
  return total;
}

/**
 * A config status cannot read (a FIFO or a folder at its path, broken JSON),
 * with the remedy `thoth doctor` gives for it; other errors as they are.
 */
function withRemedy(error: unknown, path: string): unknown {
  if (!isAppError(error, "config.unreadable") && !isAppError(error, "config.invalid")) {
    return error;
  }
  return new AppError(error.code, error.message, {
    cause: error.cause,
    hints: [clientConfigRemedy({ configPath: path, problemHint: error.hints[0] ?? null })],
  });
}
