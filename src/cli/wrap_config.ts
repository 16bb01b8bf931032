/**
 * `thoth wrap-config`: puts every stdio MCP server of a client config behind
 * thoth in one command, keeping the rest of the file byte for byte.
 *
 * @example
 * ```sh
 * thoth wrap-config --tenant-id acme --env THOTH_USER_ID=ana@example.com --dry-run
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import type { ClientId } from "../config/client_id.ts";
import { ENFORCEMENT_MODES } from "../policy/enforcement_mode.ts";
import { type ConfigShellDeps, denoConfigShellDeps } from "../config/config_shell_deps.ts";
import { resolveConfigPath } from "../config/resolve_config_path.ts";
import { planWrap, type WrapPlan } from "../config/plan_wrap.ts";
import { reserveAgentIds } from "../config/reserve_agent_ids.ts";
import { formatPlanReport } from "../config/format_plan_report.ts";
import {
  formatProjectConfigsNotWrapped,
  projectConfigsNotWrapped,
} from "../config/project_configs_not_wrapped.ts";
import {
  applyConfigPlan,
  hintConfigForm,
  oneOutputError,
  planConfigPlaces,
  type PlannedFile,
  reportLeftServers,
  sameFileAs,
  shownLine,
  writeEach,
  writtenElsewhere,
} from "./apply_config_plan.ts";
import { isAppError } from "../errors.ts";
import { configCommandLine, STATUS_COMMAND } from "./config_command_line.ts";
import { formatConfigPlaces } from "../config/format_config_places.ts";
import { wrapConfigHelp } from "./wrap_config_help.ts";
import { checkOutputPath } from "../config/check_output_path.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import { noteApiKeyFlag, warnKeyLeft } from "./warn_key_left.ts";
import { notStarting } from "../config/not_starting.ts";
import { withProjectConfigHints } from "../config/user_config_missing.ts";
import { ConfigRunReport, tenantLocalNote } from "./config_run_json.ts";
import { governedIn } from "./governed_in.ts";
import { checkWritesFirst, configRunAction, sharedConfigOptions } from "./config_run_action.ts";
import { configRunFailures } from "./config_run_failure.ts";
import { wrapOptionsFor } from "./wrap_options_for.ts";
import { judgedProfileNote } from "./judged_profile_note.ts";
import { notPassedToServers, reportThothHomeNotPassed } from "./thoth_home_not_passed.ts";
import { reportNotStarting, reportPlanWarnings, say, warn } from "./report_wrapped_servers.ts";
import { redirectablePathWarning } from "./redirectable_path_warning.ts";
import { writtenCommandRisks } from "../platform/written_path_risk.ts";
import { diffSecrets, wouldChange } from "./dry_run_diff.ts";

/** How wrap-config takes its config, for the hints of a missing one. */
const WRAP_CONFIG: ConfigCommand = { name: "wrap-config", takes: "INPUT" };

/** Builds the `wrap-config` subcommand. */
export function wrapConfigCommand(cli: CliIo, deps: ConfigShellDeps = denoConfigShellDeps()) {
  const io = cli;
  const report = new ConfigRunReport("wrap-config");
  const shared = sharedConfigOptions();
  const command = new Command("wrap-config")
    .description("Put every stdio MCP server of a client config behind thoth")
    .argument("[input]", "client config to wrap (default: the client's standard config file)")
    .option("--tenant-id <id>", "tenant written as --tenant-id (default: $THOTH_TENANT_ID)")
    .addOption(
      new Option(
        "--enforcement-mode <mode>",
        "mode for the servers (default: block for new ones; wrapped ones keep theirs)",
      ).choices(ENFORCEMENT_MODES),
    )
    .option(
      "--env <KEY=VALUE>",
      "add a variable to every wrapped server's env (repeatable, each key once); THOTH_* " +
        "variables configure thoth (a THOTH_* name thoth does not read is refused), any other " +
        "reaches thoth run only, never the server",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      "--intent-map <file>",
      'JSON object of server name → session intent, e.g. {"gdrive": "calendar_management"}; ' +
        "an intent this machine's policy does not define exits 1 (a warning with " +
        "--thoth-path-elsewhere)",
    )
    .addOption(shared.output)
    .addOption(shared.replaceOutput)
    .addOption(shared.client)
    .option(
      "--thoth-path <path>",
      "absolute thoth path to write (default: this thoth); entries that start it are " +
        "recognised as wrapped whatever it is called",
    )
    .option(
      "--thoth-path-elsewhere",
      "write a --thoth-path that is not a file on this machine (a config for other machines); " +
        "what this machine's policy or intent map refuses is then a warning",
    )
    .addOption(shared.dryRun)
    .addOption(shared.json)
    .addOption(shared.replaceReadOnly)
    .option("--api-key <key>", "accepted but never written into the config (see set-api-key)")
    .addHelpText("after", () => wrapConfigHelp(formatConfigPlaces({ os: deps.os, env: io.env })))
    .action(
      configRunAction(
        cli,
        report,
        deps,
        WRAP_CONFIG,
        async ({ io, input, options, client, places }) => {
          const path = places[0]!.path;
          const { wrap, judged, keyStore } = await wrapOptionsFor(
            io,
            options,
            deps,
            places,
            client,
          );
          report.judged(judged.profile);
          // Run as root on another user's config: say whose profile the servers are judged by.
          const judgedNote = judgedProfileNote(judged.profile, io.thothHome);
          if (judgedNote !== "") say(io, judgedNote);
          if (options.apiKey !== undefined) noteApiKeyFlag(io, keyStore, judged.profile);
          // A thoth path another user could change is written all the same, with one warning
          // (a --thoth-path-elsewhere is on other machines: not judged here); from source, its
          // entry script and deno's config too.
          const given = options.thothPath !== undefined;
          const partOf = io.redirectablePartOf;
          const risks = (given && options.thothPathElsewhere) || partOf === undefined
            ? []
            : writtenCommandRisks(wrap.thothCommand, partOf);
          // Said once: a try started over (a config that changed meanwhile) prints nothing.
          for (const { path, part, role } of risks) {
            warn(io, redirectablePathWarning(path, part, given, role));
          }
          // The project configs of `client` that run servers without thoth (see status and doctor).
          const projectsLeft = (client: ClientId) =>
            projectConfigsNotWrapped({
              client,
              os: deps.os,
              env: io.env,
              isFile: deps.isFile,
              thothCommand: wrap.thothCommand,
            });
          let output = options.output === undefined
            ? undefined
            : resolveConfigPath({ input: options.output, cwd: io.cwd, os: deps.os, env: {} });
          if (output !== undefined && output !== path) await checkOutputPath(output, path);
          // Each file planned, for --json: also those planned before one that stops the command.
          const reportPlanned = (files: readonly PlannedFile<WrapPlan>[]) => {
            for (const { file, plan } of files) {
              report.planned(
                file.path,
                output ?? file.path,
                plan.servers,
                plan.ungoverned ?? [],
                governedIn(plan.text, file.path, wrap, client),
              );
            }
          };
          let planned = await planConfigPlaces(
            places,
            WRAP_CONFIG,
            (file) => planWrap(file.text, { ...wrap, label: file.path }),
            undefined,
            {
              client,
              refused: (at, error, before) => {
                reportPlanned(before);
                report.notPlanned(at, output ?? at, error);
              },
            },
          ).catch(async (error) => {
            // A client's user config that is not there: its project configs may still run
            // servers without thoth; the hints name each, with the command that wraps it.
            if (
              input !== undefined || client === undefined || !isAppError(error, "config.not_found")
            ) {
              throw error;
            }
            const left = await projectsLeft(client);
            throw withProjectConfigHints(
              error,
              left,
              (file) => configCommandLine(WRAP_CONFIG, { client, file }),
            );
          });
          if (output !== undefined && planned.length > 1) {
            throw oneOutputError("wrap-config", planned.map(({ file }) => file.path), client);
          }
          // An --output that names the input by another path (a link) is a write in place.
          if (output !== undefined && planned.length === 1) {
            output = await sameFileAs(output, planned[0]!.file.path);
          }
          if (planned.length > 1) {
            // The client runs the servers of every file: one agent id is one server across them.
            const agentIds = reserveAgentIds(
              planned.map(({ file }) => ({ text: file.text, label: file.path })),
              wrap,
            );
            planned = planned.map(({ file }) => ({
              file,
              plan: planWrap(file.text, { ...wrap, label: file.path, agentIds }),
            }));
          }
          reportPlanned(planned);
          // Every refusal before the first write: one file written and the other refused is
          // a half-wrapped client.
          await checkWritesFirst(planned, (at) => output ?? at, options, report);
          // The commands the hints name work on what this one did: the same --client, and the
          // file named (as INPUT), or the client's standard files when none was.
          const wrapAgain = `"${
            configCommandLine(WRAP_CONFIG, { client, file: input === undefined ? undefined : path })
          }" again${
            Object.keys(options).some((key) => key !== "client") ? " with the same options" : ""
          }`;
          const shown = new Set<string>();
          // The entries as written, for the servers this command's THOTH_HOME may not reach.
          const written: { path: string; text: string; wrapCommand: string }[] = [];
          const again = configCommandLine(WRAP_CONFIG, {
            client,
            file: input === undefined ? undefined : path,
          });
          await writeEach(planned, ({ file }) => output ?? file.path, async ({ file, plan }) => {
            const at = file.path;
            if (output !== undefined && output !== at && at !== path) {
              await checkOutputPath(output, at);
            }
            const refused = notStarting(plan.text, {
              label: at,
              thothCommand: wrap.thothCommand,
              run: judged.run,
              elsewhere: options.thothPathElsewhere === true,
              ...(client === undefined ? {} : { client }),
            });
            report.notStarting(at, refused);
            reportPlanWarnings(io, { plan, label: at, planned, refused, shown });
            written.push({ path: at, text: plan.text, wrapCommand: again });
            const removedKeys = plan.removedApiKeys ?? [];
            const writeTo = output ?? at;
            const removedSecrets = plan.removedSecrets ?? [];
            const left = plan.ungoverned ?? [];
            const willNotStart = refused.filter((server) => server.errors.length > 0);
            // What status checks: the file written when it was named (INPUT, --output), else the client's.
            const check = configCommandLine(STATUS_COMMAND, {
              client,
              file: input === undefined && writeTo === at ? undefined : writeTo,
            });
            const changes = options.dryRun ? await wouldChange(file, writeTo, plan.text) : true;
            const outcome = await applyConfigPlan(io, file, writeTo, plan.text, deps, {
              dryRun: options.dryRun,
              replaceReadOnly: options.replaceReadOnly,
              replaceOutput: options.replaceOutput,
              privateBackup: removedKeys.length > 0,
              // A dry run's diff is pasted into tickets: the servers' secrets (on either side of
              // it: "env" values, URL passwords, tokens in args, credential headers) are shown by
              // fingerprint too. A write keeps them as they are.
              secrets: options.dryRun
                ? [
                  ...removedSecrets,
                  ...await diffSecrets(file, writeTo, plan.text, removedSecrets),
                ]
                : removedSecrets,
              report: `${shownLine(at)}:\n${formatPlanReport(plan)}`,
              unchanged: "is up to date",
              ...(left.length > 0
                ? {
                  unchangedNote: `No changes written: ${writeTo} is not up to date: ` +
                    `${left.length} server(s) in it run without thoth because thoth cannot wrap ` +
                    "them as they are written (named on stderr with what to fix), and nothing " +
                    "else needed changing.",
                }
                : willNotStart.length > 0
                ? {
                  // Wrapped as wrap-config wraps it, but not up to date for the client: they
                  // will not start, and no write of this command fixes that.
                  unchangedNote: `No changes written: ${writeTo} needed none, but ` +
                    `${willNotStart.length} server(s) in it will not start (named on stderr ` +
                    "with what to fix).",
                }
                : {}),
              backupOf: "the original",
              next: writeTo === at
                ? `Restart the client to apply, then check with "${check}".`
                : writtenElsewhere(writeTo, client, options.thothPathElsewhere === true),
            }).catch((error) => {
              report.failed(at, error);
              throw error;
            });
            report.done(at, outcome, changes);
            if (removedKeys.length > 0 && outcome) {
              warnKeyLeft(io, removedKeys, at, writeTo, outcome, keyStore);
            }
            if (left.length > 0) {
              report.failure(
                "config.servers_left",
                `${left.length} server(s) in ${writeTo} run without thoth: thoth cannot wrap them ` +
                  "as they are written",
              );
            }
            if (willNotStart.length > 0) {
              // Nothing written (no change, or a dry run): the servers are in the file as it was.
              const where = outcome
                ? "written to"
                : options.dryRun
                ? "that would be written to"
                : "in";
              report.failure(
                "config.servers_will_not_start",
                `${willNotStart.length} server(s) ${where} ${writeTo} will not start, because ` +
                  `thoth run refuses them: ${willNotStart.map((server) => server.name).join(", ")}`,
              );
            }
            reportLeftServers(
              io,
              left,
              "is not governed",
              `fix each entry as its line says, then run ${wrapAgain}`,
            );
            reportNotStarting(
              io,
              refused,
              writeTo,
              options.dryRun ? "dry" : outcome ? "written" : "unchanged",
              {
                here: check,
                there: configCommandLine(STATUS_COMMAND, { client }),
                elsewhere: options.thothPathElsewhere === true,
              },
            );
            return outcome;
          });
          // THOTH_HOME of this command that the client may not pass: a warning (status --check
          // makes it an error), and in "profile" of --json.
          const notPassed = notPassedToServers(judged, written, {
            client,
            self: wrap.thothCommand,
            os: deps.os,
          });
          if (notPassed !== undefined) {
            judged.profile.notPassedToServers = {
              defaultProfile: notPassed.defaultProfile,
              servers: notPassed.servers.map((server) => server.name),
            };
            const same = Object.keys(options).some((key) => key !== "client");
            const remedy = `${notPassed.remedy}${same ? " with the same options" : ""}`;
            reportThothHomeNotPassed(io, { ...notPassed, remedy }, false);
          }
          // A tenant brings no remote enforcement in this build: said once, for every file.
          io.err(tenantLocalNote(report.tenantServers()));
          if (input === undefined && output === undefined && client !== undefined) {
            // A project's config (shared through its repository) is wrapped only when named:
            // the ones status and doctor check are named here, each with the command that wraps it.
            const same = Object.keys(options).some((key) => key !== "client")
              ? " (with the same options)"
              : "";
            const left = await projectsLeft(client);
            report.projectsLeft(left);
            // A warning: their servers run without thoth, and "thoth status --check" fails on them.
            io.err(
              formatProjectConfigsNotWrapped(
                left,
                (file) => `${configCommandLine(WRAP_CONFIG, { client, file })}${same}`,
              ).replace(/^thoth: note: not wrapped: /gm, "thoth: warning: not wrapped: "),
            );
          }
        },
      ),
    );
  // With --json, a command line the parser refuses gets the command's document too.
  return configRunFailures(hintConfigForm(command, WRAP_CONFIG.takes));
}
