/**
 * `thoth unwrap-config`: gives every wrapped server its original command, args
 * and env back; after `wrap-config` it returns the original file byte for byte.
 *
 * @example
 * ```sh
 * thoth unwrap-config --dry-run
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { CLIENT_IDS, type ClientId } from "../config/client_id.ts";
import { type ConfigShellDeps, denoConfigShellDeps } from "../config/config_shell_deps.ts";
import { resolveConfigPath } from "../config/resolve_config_path.ts";
import { readConfigFile } from "../config/read_config_file.ts";
import { planUnwrap, type UnwrapOptions } from "../config/plan_unwrap.ts";
import { formatPlanReport } from "../config/format_plan_report.ts";
import { applyConfigPlan, reportLeftServers } from "./apply_config_plan.ts";

const EXAMPLES = `
Each wrapped server gets back the command and args after "--", and its env without the
variables wrap-config added (values it replaced are put back). Servers wrapped by hand lose the
thoth arguments and keep their env. The .thoth-backup file beside the config is left as it is.
A config no one may write (mode 0444) is refused unless you pass --replace-read-only. An
--output file that exists and holds anything else is refused unless you pass --replace-output
(it is then backed up first, each time; --dry-run shows the diff against it).

Servers left as they are: an entry that names thoth, or carries a THOTH_WRAP record, but that
unwrap-config cannot restore (a thoth entry it does not understand, such as one without "--"
before the server's command; a THOTH_WRAP record it cannot read; an argument that is not a
string) is named on stderr with what to fix; the other servers are still restored and written,
and unwrap-config exits 1 (also with --dry-run), so a script sees it.

Examples:
  thoth unwrap-config --dry-run       # Claude Desktop, show the diff only
  thoth unwrap-config                 # Claude Desktop, in place
  thoth unwrap-config --client cursor
  thoth unwrap-config --output plain.json governed_config.json
`;

/** Builds the `unwrap-config` subcommand. */
export function unwrapConfigCommand(io: CliIo, deps: ConfigShellDeps = denoConfigShellDeps()) {
  return new Command("unwrap-config")
    .description("Restore every thoth-wrapped MCP server of a client config to its original")
    .argument("[input]", "client config to unwrap (default: the client's standard config file)")
    .option("--output <file>", "where to write (default: INPUT, in place)")
    .option(
      "--replace-output",
      "replace an --output file that exists with other content, backing it up first",
    )
    .addOption(new Option("--client <client>", "which client's config").choices(CLIENT_IDS))
    .option("--dry-run", "print a unified diff and write nothing")
    .option(
      "--replace-read-only",
      "replace a config whose mode gives no one write permission (0444); refused without it",
    )
    .addHelpText("after", EXAMPLES)
    .action(async (input, options) => {
      const client = options.client as ClientId | undefined;
      const path = resolveConfigPath({ input, client, cwd: io.cwd, os: deps.os, env: io.env });
      const file = await readConfigFile(path);
      const unwrap: UnwrapOptions = { label: path, thothCommand: io.selfCommand };
      if (client !== undefined) unwrap.client = client;
      const plan = planUnwrap(file.text, unwrap);
      const output = options.output === undefined
        ? path
        : resolveConfigPath({ input: options.output, cwd: io.cwd, os: deps.os, env: {} });
      await applyConfigPlan(io, file, output, plan.text, deps, {
        dryRun: options.dryRun,
        replaceReadOnly: options.replaceReadOnly,
        replaceOutput: options.replaceOutput,
        report: `${path}:\n${formatPlanReport(plan)}`,
        unchanged: plan.notRestored.length === 0
          ? "has no wrapped servers"
          : "has no servers unwrap-config can restore",
        backupOf: "the previous file",
        next: "Restart the client to apply.",
      });
      reportLeftServers(
        io,
        plan.notRestored,
        "was not restored",
        "restore each entry by hand as its line says (or from the .thoth-backup file)",
      );
    });
}
