/**
 * `thoth status`: which MCP servers of a client run through thoth, with what
 * identity, intent and enforcement mode, and what has drifted.
 *
 * @example
 * ```sh
 * thoth status --check || echo "some servers run ungoverned"
 * ```
 */
import { localDecisionsLine } from "./local_decisions.ts";
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { CLIENT_IDS, type ClientId } from "../config/client_id.ts";
import { type ConfigShellDeps, denoConfigShellDeps } from "../config/config_shell_deps.ts";
import { findConfigPlaces } from "../config/find_config_places.ts";
import { foundClientConfigs, withFoundClients } from "../config/found_client_configs.ts";
import { planStatus, type StatusOptions } from "../config/plan_status.ts";
import type { StatusReport } from "../config/status_report.ts";
import { statusJson } from "./status_json.ts";
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
import { notStartableNote, notStartableServers, warnNotStartable } from "./status_not_startable.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import { AppError, isAppError } from "../errors.ts";
import { clientConfigRemedy } from "../doctor/client_config_remedy.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { lookAtProjectConfigs, projectFileName } from "../config/look_at_project_configs.ts";
import { formatProjectPlaces } from "../config/format_project_places.ts";
import {
  formatUserConfigMissing,
  goesOnWithoutUserConfig,
  userConfigMissingNote,
} from "../config/user_config_missing.ts";
import { planProjectStatuses, withProjectProblems } from "../config/plan_project_statuses.ts";
import { statusHelp } from "./status_examples.ts";
import { markAgentIdsSharedAcross } from "./shared_agent_ids.ts";
import { shownMode } from "./enforcement_in_effect.ts";

export { enforcementInEffect } from "./enforcement_in_effect.ts";

/** How status takes its config, for the hints of a missing one. */
const STATUS: ConfigCommand = { name: "status", takes: "--config FILE" };

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
        "shape not understood, or would not start (a thoth path not there, a refusal of thoth " +
        "run); warn, still exit 0, about a governed server whose command is not found on the " +
        "PATH its client gives it (as thoth doctor's upstream_path)",
    )
    .option(
      "--strict",
      "with --check: also fail on servers with a URL (remote, or local over http), on " +
        "governed entries whose command is not proven to be thoth (as thoth doctor checks it), " +
        "and on those whose upstream command is not found where thoth run looks it up",
    )
    .addHelpText(
      "after",
      () => statusHelp(formatConfigPlaces({ os: deps.os, env: io.env })),
    )
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
      // Governed servers whose command is not found where their client looks (as doctor's
      // upstream_path, health's not_startable; looked up, nothing started): in --json, a note
      // below the plain tables (which mark them governed), and a warning with --check.
      const notStartable = await notStartableServers(all, {
        client,
        os: deps.os,
        env: io.env,
        isExecutable: deps.isExecutable,
      });
      if (options.json) {
        io.out(statusJson({
          config: path,
          userConfigMissing,
          files: all,
          projects,
          notLookedIn,
          profile: judged.profile,
          notStartable,
        }));
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
      if (!options.check) {
        if (!options.json) io.out(notStartableNote(notStartable, status));
        return;
      }
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
      // A warning, as that is a model of the client's PATH (root's own for Claude Code under
      // MDM); --strict fails on the upstream ones.
      if (options.strict) {
        await checkStrict(
          io,
          all,
          { client, os: deps.os, env: io.env, self: io.selfCommand },
          notStartable.filter((server) => server.upstream),
        );
      } else {
        warnNotStartable(io, notStartable, status);
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
