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
import { CLIENT_IDS, type ClientId } from "../config/client_id.ts";
import { ENFORCEMENT_MODES } from "../policy/enforcement_mode.ts";
import { type ConfigShellDeps, denoConfigShellDeps } from "../config/config_shell_deps.ts";
import { resolveConfigPath } from "../config/resolve_config_path.ts";
import { planWrap, reserveAgentIds, type WrapOptions } from "../config/plan_wrap.ts";
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
  reportLeftServers,
  sameFileAs,
  shownLine,
  writeEach,
  writtenElsewhere,
} from "./apply_config_plan.ts";
import { isAppError } from "../errors.ts";
import { configCommandLine, STATUS_COMMAND } from "./config_command_line.ts";
import { formatConfigPlaces } from "../config/format_config_places.ts";
import { checkOutputPath } from "../config/check_output_path.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import { noteApiKeyFlag, warnKeyLeft } from "./warn_key_left.ts";
import { notStarting } from "../config/not_starting.ts";
import { withProjectConfigHints } from "../config/user_config_missing.ts";
import { ConfigRunReport, type Governed, tenantLocalNote } from "./config_run_json.ts";
import { planStatus } from "../config/plan_status.ts";
import { checkWritesFirst, configRunAction } from "./config_run_action.ts";
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

const EXAMPLES = `
What a wrapped server runs:
  <thoth> run --agent-id NAME [--tenant-id ID] --enforcement-mode MODE [--intent INTENT] \\
    -- <original command> <original args…>
  "env" keeps the server's variables and adds the --env pairs. Running wrap-config again changes
  only what you select (thoth path, tenant, mode, intent, env); "thoth unwrap-config" restores
  the original. Remote (url) servers are left alone. Disabled servers are wrapped too and stay
  disabled: Claude Code ignores "disabled", and other clients enable a server with one toggle.
  An explicit "type": "stdio" (any case) is a local server even beside a "url".

--env: variables go into each wrapped server's "env", where thoth run reads them. THOTH_*
variables are thoth's; any other variable given with --env reaches thoth run only, not the
server: thoth run takes what wrap-config added out of the server's environment again, so the
server gets the environment it had without thoth (a warning says so). Give a key once: a key
repeated is a usage error (exit 2) and nothing is written. A credential (THOTH_API_KEY,
THOTH_AUTH_TOKEN, THOTH_RUNTIME_BEARER_TOKEN) is refused the same way: it would sit in the
config in plain text. Save an API key with "thoth set-api-key --api-key -"; for a token, point
--env THOTH_AUTH_TOKEN_FILE at a file only its owner may read. THOTH_ENFORCER_URL is deprecated
and ignored (thoth run derives the enforcer URL from THOTH_TENANT_ID and THOTH_APEX_DOMAIN), so
--env THOTH_ENFORCER_URL is not written (a warning says so); one an earlier --env added is taken
out of the server's "env" again, and one the entry has of its own is kept with a warning (remove
it by hand), as "thoth status" shows it. One tenant per server: a --tenant-id (or this shell's
THOTH_TENANT_ID, its default) and an --env THOTH_TENANT_ID of another value are a usage error
(exit 2), since thoth run would use the flag and "thoth health" and "thoth doctor", reading the
server's "env", the variable; so is a --tenant-id beside another THOTH_TENANT_ID in a server's
own "env" (pass --env THOTH_TENANT_ID with the same tenant, or remove it by hand). An entry that
already had two is a warning. The same value in both is fine.

--thoth-path must name a file on this machine: a path that is not there (a typo) would leave
every server unable to start, so it is a usage error (exit 2). When the config is for other
machines where thoth lives at that path, pass --thoth-path-elsewhere as well.

--client vscode without INPUT wraps every file VS Code reads user servers from: its mcp.json
and, when it names MCP servers ("mcp": {"servers": …} or "mcp.servers": {…}), its settings.json,
each with its own backup. A settings.json whose servers are ambiguous (both "mcp" and
"mcp.servers", or a key such as "mcp.servers.NAME") is refused: move them into one place by hand.
Agent ids are handed out over both files, so no two servers share one. Both are read, planned
and checked (read-only, --output) before either is written; a write that still fails after the
other file was written (a file changed meanwhile) says which was written and which was not.
--output then takes one file only, so it is refused when both hold servers: pass INPUT to
choose one.

Servers left without thoth: a server the client starts as a local command that thoth cannot
rewrite as written (an "args" item or "env" value that is not a string, an "env" that is not
an object, "command" beside "url" without "type": "stdio") or that it skips (a thoth entry it
does not understand, a flag thoth run refuses) is named on stderr with what to fix; the other
servers are still wrapped and written, and wrap-config exits 1 (also with --dry-run), so an
MDM script sees it. "thoth status --check" fails on the same servers.

Safety: the file is checked first (nothing is written if it does not parse), backed up once to
<file>.thoth-backup, and replaced atomically with its mode kept; a config no one may write (mode
0444, perhaps locked on purpose), or one its owner may write but the user running thoth may
not (run as root: a file owned by root in another user's folder), is refused unless you pass
--replace-read-only. --output must name a file, not a directory. An --output file that exists
and holds anything else than what would be written is refused (exit 2) unless you pass
--replace-output; then its old content is backed up first, each time, to the first free
<output>.thoth-backup, .thoth-backup.2, .3, … (an older backup is never replaced); --dry-run
shows the diff against that file. Secrets never go into args: an --api-key found in an entry's args
is taken out and not saved anywhere; save it with "thoth set-api-key --api-key -" (it goes to
THOTH_API_KEY_FILE, else THOTH_HOME/proxy_api_key.json; run as root on another user's config,
to proxy_api_key.json in the owner's profile, so the hint says to run it as the owner). The
backup of such a config still holds the key, so it is made readable by its owner only (0600):
delete it once the key is saved. When the backup kept from an earlier run does not hold the key,
a new one does (<file>.thoth-backup.2, .3, …; the first backup is never replaced); the warning
names the file that holds it.
Nothing thoth run would refuse to start with is written: a --tenant-id that is not a DNS label,
an --env THOTH_* value that breaks its rule, or a tenant whose env sets THOTH_USER_ID to "" is a
usage error (exit 2), and what an entry already had is a warning ("thoth status" shows it as
drift). A tenant needs a user id: wrap-config has no --user-id; pass --env THOTH_USER_ID=…, or
thoth run refuses those servers unless the client's own environment sets THOTH_USER_ID. Only
that environment could still supply it (a THOTH_USER_ID in the shell that runs wrap-config does
not reach a GUI client, and an MDM may set it system-wide), so this is a warning, never exit 1;
"thoth status --check" fails on those servers.
Servers written that thoth run will refuse to start (an intent the policy does not define, a
policy it cannot use, an intent map it cannot use, a refusal the entry already had) are written
all the same, named on stderr with why (a reason several share, such as a broken policy, once
after all their names; --json keeps each server's), and wrap-config exits 1 (also with
--dry-run) with a line naming the file written (the --output file when given) and how many:
"thoth status --check" fails on them too. With --thoth-path-elsewhere, what only this machine's
profile makes thoth run refuse (its policy, its intent map, a --policy file as it is here, or
missing here) is a warning that says so, not exit 1: the machines the config is for have their
own; every other refusal still exits 1.

--json prints {"schemaVersion": 1, "command", "ok", "exitCode", "dryRun", "error", "failures",
"files": [{"path", "output", "outcome", "backup", "keyBackup", "reason", "servers": [{"name",
"project", "action", "reason", "reasons", "tenantId", "intent", "decisions", "problems": [{"code",
"severity", "message", "remedy"}]}], "error"}], "profile"}. "error" is what stopped the command
({"code", "message", "hints", "exitCode"}, null when nothing did), "failures" what made it exit
1 after it went on ({"code", "message"}). A file's "outcome" is "written", "unchanged",
"would_write" (--dry-run), "failed", "not_written" or "left" (a project config not named); a
server's "action" is "wrapped", "updated", "unchanged", "skipped" or "left"; its "intent" is
the session intent its entry runs with (--intent, as --intent or --intent-map wrote it), null
when it runs without one or not through thoth. "problems" lists
why a server is not governed as asked, one item each, for a script to act on: "code" is
config.remote_server, config.invalid_entry, config.unwrappable_entry, config.malformed_entry,
config.run_flag_refused, config.stray_wrap_record, config.bad_wrap_record,
config.will_not_start, config.profile_will_not_start, config.deprecated_setting (an --env
THOTH_ENFORCER_URL not written, or one the server's "env" keeps) or config.conflicting_tenant
(two tenants the entry already had); "severity" is "error" (it makes the command exit 1),
"warning" or "note" (a remote server, left alone by design); "remedy" says
what to do (null when nothing needs doing). "profile" names the profile the servers were judged
by, as status --json does: {"path", "source" ("THOTH_HOME", "self" or "owner"), "ownerUid",
"config", "notRead"}, plus "notPassedToServers" ({"defaultProfile", "servers"}) when
THOTH_HOME may not reach some servers (below). Run as another user than the config's owner
(root), wrap-config judges by the owner's profile and says so in a line on stderr.

THOTH_HOME set for wrap-config names the profile the servers are judged by, but is not written
into their "env" unless --env THOTH_HOME=PATH says so, and a client passes its servers its own
environment, not this shell's. When it names another folder than the profile their thoth run
finds without it (~/.thoth of the client's user), wrap-config warns, naming the servers whose
"env" sets no THOTH_HOME and both profiles: they run with the one judged only if the client gets
THOTH_HOME (set system-wide). --env THOTH_HOME=PATH writes it (unwrap-config takes it out).

Examples:
  # see what would change in Claude Desktop's config, without writing
  thoth wrap-config --dry-run --tenant-id acme \\
    --env THOTH_USER_ID=ana@example.com

  # wrap it in place, observe-only while you baseline
  thoth wrap-config --tenant-id acme --env THOTH_USER_ID=ana@example.com \\
    --enforcement-mode observe

  # session intents per server, written to a new file (again: --replace-output)
  thoth wrap-config --tenant-id acme --env THOTH_USER_ID=ana@example.com \\
    --intent-map intent_map.json --output governed_config.json base_config.json

  # a config for other machines, with thoth at /opt/thoth/bin/thoth there
  thoth wrap-config --thoth-path /opt/thoth/bin/thoth --thoth-path-elsewhere \\
    --output fleet_config.json base_config.json

  # other clients
  thoth wrap-config --client cursor
  thoth wrap-config --client vscode   # user mcp.json and settings.json
  thoth wrap-config --client vscode .vscode/mcp.json
  thoth wrap-config --client claude-code   # ~/.claude.json: user and projects
  thoth wrap-config .mcp.json               # Claude Code project scope
`;

/** Builds the `wrap-config` subcommand. */
export function wrapConfigCommand(cli: CliIo, deps: ConfigShellDeps = denoConfigShellDeps()) {
  const io = cli;
  const report = new ConfigRunReport("wrap-config");
  // Said once, not again when a config that changed meanwhile is planned anew.
  let pathWarned = false;
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
    .option("--output <file>", "where to write (default: INPUT, in place)")
    .option(
      "--replace-output",
      "replace an --output file that exists with other content, backing it up first",
    )
    .addOption(new Option("--client <client>", "which client's config").choices(CLIENT_IDS))
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
    .option("--dry-run", "print a unified diff and write nothing")
    .option(
      "--json",
      "print one JSON document on stdout: each file's outcome, each server's, any error " +
        "(the other lines go to stderr)",
    )
    .option(
      "--replace-read-only",
      "replace a config whose mode gives no one write permission (0444); refused without it",
    )
    .option("--api-key <key>", "accepted but never written into the config (see set-api-key)")
    .addHelpText("after", () => `${EXAMPLES}\n${formatConfigPlaces({ os: deps.os, env: io.env })}`)
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
          if (risks.length > 0 && !pathWarned) {
            pathWarned = true;
            for (const { path, part, role } of risks) {
              warn(io, redirectablePathWarning(path, part, given, role));
            }
          }
          let output = options.output === undefined
            ? undefined
            : resolveConfigPath({ input: options.output, cwd: io.cwd, os: deps.os, env: {} });
          if (output !== undefined && output !== path) await checkOutputPath(output, path);
          let planned = await planConfigPlaces(
            places,
            WRAP_CONFIG,
            (file) => planWrap(file.text, { ...wrap, label: file.path }),
            undefined,
            { client },
          ).catch(async (error) => {
            // A client's user config that is not there: its project configs may still run
            // servers without thoth; the hints name each, with the command that wraps it.
            if (
              input !== undefined || client === undefined || !isAppError(error, "config.not_found")
            ) {
              throw error;
            }
            const left = await projectConfigsNotWrapped({
              client,
              os: deps.os,
              env: io.env,
              isFile: deps.isFile,
              thothCommand: wrap.thothCommand,
            });
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
          for (const { file, plan } of planned) {
            report.planned(
              file.path,
              output ?? file.path,
              plan.servers,
              plan.ungoverned ?? [],
              governedIn(plan.text, file.path, wrap, client),
            );
          }
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
              ...(left.length === 0 ? {} : {
                unchangedNote: `No changes written: ${writeTo} is not up to date: ${left.length} ` +
                  "server(s) in it run without thoth because thoth cannot wrap them as they are " +
                  "written (named on stderr with what to fix), and nothing else needed changing.",
              }),
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
            const willNotStart = refused.filter((server) => server.errors.length > 0);
            if (willNotStart.length > 0) {
              report.failure(
                "config.servers_will_not_start",
                `${willNotStart.length} server(s) written to ${writeTo} will not start, because ` +
                  `thoth run refuses them: ${willNotStart.map((server) => server.name).join(", ")}`,
              );
            }
            reportLeftServers(
              io,
              left,
              "is not governed",
              `fix each entry as its line says, then run ${wrapAgain}`,
            );
            reportNotStarting(io, refused, writeTo, options.dryRun === true, {
              here: check,
              there: configCommandLine(STATUS_COMMAND, { client }),
              elsewhere: options.thothPathElsewhere === true,
            });
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
            const left = await projectConfigsNotWrapped({
              client,
              os: deps.os,
              env: io.env,
              isFile: deps.isFile,
              thothCommand: wrap.thothCommand,
            });
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

/**
 * The servers `text` runs through thoth, with the tenant each carries (from
 * `--tenant-id` or THOTH_TENANT_ID in its env) and its `--intent`, as `thoth
 * status` reads them; null when it cannot be read so.
 */
function governedIn(
  text: string,
  label: string,
  wrap: WrapOptions,
  client: ClientId | undefined,
): Governed[] | null {
  try {
    return planStatus(text, {
      label,
      isFile: wrap.pathCheck?.isFile ?? (() => false),
      thothCommand: wrap.thothCommand,
      ...(client === undefined ? {} : { client }),
    }).servers.filter((server) => server.state === "governed");
  } catch {
    return null;
  }
}
