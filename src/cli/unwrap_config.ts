/**
 * `thoth unwrap-config`: gives every wrapped server its original command, args
 * and env back; after `wrap-config` it returns the original file byte for byte.
 *
 * @example
 * ```sh
 * thoth unwrap-config --dry-run
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { type ConfigShellDeps, denoConfigShellDeps } from "../config/config_shell_deps.ts";
import { resolveConfigPath } from "../config/resolve_config_path.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import { planUnwrap, type UnwrapOptions } from "../config/plan_unwrap.ts";
import { formatPlanReport } from "../config/format_plan_report.ts";
import {
  applyConfigPlan,
  hintConfigForm,
  oneOutputError,
  planConfigPlaces,
  reportLeftServers,
  sameFileAs,
  writeEach,
  writtenElsewhere,
} from "./apply_config_plan.ts";
import { parseConfig } from "../config/parse_config.ts";
import { serverEntries } from "../config/server_entries.ts";
import { keyStoreFor, warnKeyLeft } from "./warn_key_left.ts";
import { judgedProfile } from "./judged_profile.ts";
import { ConfigRunReport } from "./config_run_json.ts";
import { checkWritesFirst, configRunAction, sharedConfigOptions } from "./config_run_action.ts";
import { configRunFailures } from "./config_run_failure.ts";
import { wouldChange } from "./dry_run_diff.ts";

/** How unwrap-config takes its config, for the hints of a missing one. */
const UNWRAP_CONFIG: ConfigCommand = { name: "unwrap-config", takes: "INPUT" };

const EXAMPLES = `
Each wrapped server gets back the command and args after "--", and its env without the
variables wrap-config added (values it replaced are put back). Servers wrapped by hand lose the
thoth arguments and keep their env. The .thoth-backup file beside the config is left as it is.
A config no one may write (mode 0444) is refused unless you pass --replace-read-only. An
--output file that exists and holds anything else is refused unless you pass --replace-output
(it is then backed up first, each time; --dry-run shows the diff against it). --dry-run checks
the write without making it (the file, and that its folder exists and lets this user make the
new file there): what the write would refuse fails the dry run the same way.

An --api-key among the thoth arguments goes with them and is saved nowhere: the backup of such
a config holds the key, so it is made readable by its owner only (0600); when the backup kept
from an earlier run does not hold the key, a new one does (<file>.thoth-backup.2, .3, …), and a
warning names the file that holds it (never the key). To keep the key for thoth, save it first
with "thoth set-api-key --api-key -".

--client vscode without INPUT restores every file VS Code reads user servers from: its user
mcp.json and, when it names MCP servers ("mcp": {"servers": …} or "mcp.servers": {…}), its user
settings.json (one with both forms, or a key such as "mcp.servers.NAME", is refused), the same
two of VS Code Insiders and VSCodium, and of each profile (User/profiles/*/) of the three
(status --help lists the places). All are checked (read-only, --output) before any is written;
a write that still fails after another file was written says which were written and which
were not. --output then takes one file only, so it is refused when more than one holds servers.

Servers left as they are: an entry that names thoth, or carries a THOTH_WRAP record, but that
unwrap-config cannot restore (a thoth entry it does not understand, such as one without "--"
before the server's command; a THOTH_WRAP record it cannot read; an argument that is not a
string) is named on stderr with what to fix; the other servers are still restored and written,
and unwrap-config exits 1 (also with --dry-run), so a script sees it.

--json prints the document wrap-config --json prints (see "thoth wrap-config --help"), with
"profile" null: each file's "outcome", each server's "action" ("unwrapped", "unchanged",
"skipped" for a server that is not local, or "left" for one not restored) and its "problems",
as wrap-config --json gives them: for a server left as it is, "code" config.unwrappable_entry,
config.malformed_entry or config.bad_wrap_record, "severity" "error" (it makes the command
exit 1), and "remedy" what to do; for a remote server (a "url", an http or sse "type"),
config.remote_server, a "note" (left alone by design, "remedy" null); for an entry with no
command, config.invalid_entry, a "warning".

Exit status:
  0  every thoth-wrapped server was restored (or, with --dry-run, would be);
     nothing to restore is 0 too
  1  the rest was written, but an entry could not be restored (named on
     stderr; config.servers_not_restored in --json "failures"), also with
     --dry-run; or a config could not be read or written (a read-only one,
     or one in a folder this user may not write, included), also with
     --dry-run, which checks the write first
  2  a command line it cannot read or will not write, and nothing is written:
     an unknown flag, --output a folder, or an --output file with other
     content (without --replace-output)

Examples:
  thoth unwrap-config --dry-run       # Claude Desktop, show the diff only
  thoth unwrap-config                 # Claude Desktop, in place
  thoth unwrap-config --client cursor
  thoth unwrap-config --client vscode  # every user mcp.json, settings.json
  thoth unwrap-config --output plain.json governed_config.json
`;

/** Builds the `unwrap-config` subcommand. */
export function unwrapConfigCommand(cli: CliIo, deps: ConfigShellDeps = denoConfigShellDeps()) {
  const report = new ConfigRunReport("unwrap-config");
  const shared = sharedConfigOptions();
  const command = new Command("unwrap-config")
    .description("Restore every thoth-wrapped MCP server of a client config to its original")
    .argument("[input]", "client config to unwrap (default: the client's standard config file)")
    .addOption(shared.output)
    .addOption(shared.replaceOutput)
    .addOption(shared.client)
    .addOption(shared.dryRun)
    .addOption(shared.json)
    .addOption(shared.replaceReadOnly)
    .addHelpText("after", EXAMPLES)
    .action(
      configRunAction(cli, report, deps, UNWRAP_CONFIG, async ({ io, options, client, places }) => {
        // A key taken out of the args belongs in the profile of whoever runs the servers: the
        // config owner's, run as root (as wrap-config says it, see judged_profile.ts).
        const judged = await judgedProfile(
          io,
          places.map((place) => place.path),
          deps.readPasswd,
        );
        const keyStore = keyStoreFor(io, judged.profile);
        let output = options.output === undefined
          ? undefined
          : resolveConfigPath({ input: options.output, cwd: io.cwd, os: deps.os, env: {} });
        const planned = await planConfigPlaces(
          places,
          UNWRAP_CONFIG,
          (file) => {
            const unwrap: UnwrapOptions = {
              label: file.path,
              thothCommand: io.selfCommand,
            };
            if (keyStore.file !== null) unwrap.apiKeyFile = keyStore.file;
            if (keyStore.runAs !== null) unwrap.apiKeyRunAs = keyStore.runAs;
            if (client !== undefined) unwrap.client = client;
            // Ambiguous VS Code settings are refused, naming the file.
            serverEntries(parseConfig(file.text, file.path), client, file.path);
            return planUnwrap(file.text, unwrap);
          },
          undefined,
          {
            client,
            refused: (at, error, before) => {
              // Those planned before it too, for --json: not written.
              for (const { file, plan } of before) {
                report.planned(
                  file.path,
                  output ?? file.path,
                  plan.servers,
                  plan.notRestored,
                  null,
                );
              }
              report.notPlanned(at, output ?? at, error);
            },
          },
        );
        if (options.output !== undefined && planned.length > 1) {
          throw oneOutputError("unwrap-config", planned.map(({ file }) => file.path), client);
        }
        // An --output that names the input by another path (a link) is a write in place.
        if (output !== undefined && planned.length === 1) {
          output = await sameFileAs(output, planned[0]!.file.path);
        }
        const outputOf = (path: string) => output ?? path;
        for (const { file, plan } of planned) {
          report.planned(file.path, outputOf(file.path), plan.servers, plan.notRestored, null);
        }
        // Every refusal before the first write: one file restored and the other refused is a
        // half-restored client.
        await checkWritesFirst(planned, outputOf, options, report);
        await writeEach(planned, ({ file }) => outputOf(file.path), async ({ file, plan }) => {
          const path = file.path;
          const writeTo = outputOf(path);
          const removedKeys = plan.removedApiKeys ?? [];
          const changes = options.dryRun ? await wouldChange(file, writeTo, plan.text) : true;
          const outcome = await applyConfigPlan(io, file, writeTo, plan.text, deps, {
            dryRun: options.dryRun,
            replaceReadOnly: options.replaceReadOnly,
            replaceOutput: options.replaceOutput,
            privateBackup: removedKeys.length > 0,
            secrets: plan.removedSecrets ?? [],
            report: `${path}:\n${formatPlanReport(plan)}`,
            unchanged: plan.notRestored.length === 0
              ? "has no wrapped servers"
              : "has no servers unwrap-config can restore",
            backupOf: "the previous file",
            next: writeTo === path
              ? "Restart the client to apply."
              : writtenElsewhere(writeTo, client, false),
          }).catch((error) => {
            report.failed(path, error);
            throw error;
          });
          report.done(path, outcome, changes);
          if (plan.notRestored.length > 0) {
            report.failure(
              "config.servers_not_restored",
              `${plan.notRestored.length} server(s) in ${path} were not restored: unwrap-config ` +
                "cannot restore them as they are written",
            );
          }
          if (removedKeys.length > 0 && outcome) {
            warnKeyLeft(io, removedKeys, path, writeTo, outcome, keyStore);
          }
          reportLeftServers(
            io,
            plan.notRestored,
            "was not restored",
            "restore each entry by hand as its line says (or from the .thoth-backup file)",
          );
          return outcome;
        });
      }),
    );
  // With --json, a command line the parser refuses gets the command's document too.
  return configRunFailures(hintConfigForm(command, UNWRAP_CONFIG.takes));
}
