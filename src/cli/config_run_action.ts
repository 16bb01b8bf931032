/**
 * The frame `wrap-config` and `unwrap-config` do their work in, the same for
 * both: with `--json` the document on stdout when the command ends (see
 * `config_run_json.ts`) and every human line on stderr; a config that
 * changed on disk meanwhile is read, planned and written again (see
 * `retry_changed_config.ts`), the report starting anew each try; the files
 * to work on found on disk (for VS Code: Insiders', VSCodium's and each
 * profile's files too). Before the first write (and on a dry run), every
 * file's write is checked ({@linkcode checkWritesFirst}). Run without INPUT
 * or `--client` when Claude Desktop's config is missing, the hints name the
 * clients whose configs are here (see `found_client_configs.ts`). Both
 * commands take the options the frame and the writes read the same way
 * ({@linkcode sharedConfigOptions}).
 *
 * @example
 * ```ts
 * const report = new ConfigRunReport("unwrap-config");
 * const shared = sharedConfigOptions();
 * const command = new Command("unwrap-config").addOption(shared.output).addOption(shared.json);
 * command.action(configRunAction(io, report, deps, UNWRAP_CONFIG, async (run) => {
 *   run.places; // the files to work on, the required one first
 *   run.io.out("…"); // stderr with --json
 * }));
 * ```
 */
import { Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { CLIENT_IDS, type ClientId } from "../config/client_id.ts";
import type { ConfigShellDeps } from "../config/config_shell_deps.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import type { ConfigPlace } from "../config/resolve_config_path.ts";
import { findConfigPlaces } from "../config/find_config_places.ts";
import { foundClientConfigs, withFoundClients } from "../config/found_client_configs.ts";
import { isFile } from "../platform/is_file.ts";
import { retrying } from "./retry_changed_config.ts";
import { type ConfigRunReport, humanIo, jsonReported } from "./config_run_json.ts";
import { checkConfigWrites, type PlannedFile } from "./apply_config_plan.ts";

/** The options the frame reads; each command has more. */
export interface ConfigRunOptions {
  json?: boolean | undefined;
  dryRun?: boolean | undefined;
  client?: string | undefined;
}

/**
 * The options `wrap-config` and `unwrap-config` take the same way, made anew
 * for each command: each command adds them (`.addOption`) in this order, with
 * its own between.
 */
export function sharedConfigOptions() {
  return {
    output: new Option("--output <file>", "where to write (default: INPUT, in place)"),
    replaceOutput: new Option(
      "--replace-output",
      "replace an --output file that exists with other content, backing it up first",
    ),
    client: new Option("--client <client>", "which client's config").choices(CLIENT_IDS),
    dryRun: new Option("--dry-run", "print a unified diff and write nothing"),
    json: new Option(
      "--json",
      "print one JSON document on stdout: each file's outcome, each server's, any error " +
        "(the other lines go to stderr)",
    ),
    replaceReadOnly: new Option(
      "--replace-read-only",
      "replace a config whose mode gives no one write permission (0444); refused without it",
    ),
  };
}

/** One try of a config command, as its work gets it. */
export interface ConfigRun<O extends ConfigRunOptions> {
  /** Where the human lines go: stdout, or stderr with `--json`. */
  io: CliIo;
  /** The INPUT argument, if given. */
  input: string | undefined;
  options: O;
  /** `--client`, if given. */
  client: ClientId | undefined;
  /** The files to work on, the required one first (see `findConfigPlaces`). */
  places: ConfigPlace[];
}

/** The command's action: `work` run in the frame (see the module doc). */
export function configRunAction<O extends ConfigRunOptions>(
  cli: CliIo,
  report: ConfigRunReport,
  deps: Pick<ConfigShellDeps, "os"> & Partial<Pick<ConfigShellDeps, "isFile">>,
  command: ConfigCommand,
  work: (run: ConfigRun<O>) => Promise<void>,
): (input: string | undefined, options: O) => Promise<void> {
  return jsonReported(
    cli,
    report,
    retrying(cli, async (tryIo: CliIo, input: string | undefined, options: O) => {
      // With --json, stdout holds the document only: every other line goes to stderr.
      const io = humanIo(tryIo, options.json === true);
      report.reset();
      const client = options.client as ClientId | undefined;
      // For VS Code: Insiders', VSCodium's and each profile's files too (found on disk).
      const { places } = await findConfigPlaces({
        input,
        client,
        cwd: io.cwd,
        os: deps.os,
        env: io.env,
        command,
      });
      try {
        await work({ io, input, options, client, places });
      } catch (error) {
        // Claude Desktop's config, the default, is missing: name the clients that are here.
        if (input !== undefined || client !== undefined) throw error;
        throw withFoundClients(
          error,
          places[0]!.path,
          () =>
            foundClientConfigs({ os: deps.os, env: io.env, cwd: io.cwd }, deps.isFile ?? isFile),
          command,
        );
      }
    }),
  );
}

/**
 * Checks every planned write (read-only, `--output`) before the first one,
 * in file order, as one call would: one file written and the next refused
 * is a half-changed client. A refusal marks its file failed in `report`.
 * A dry run checks the same (nothing is written either way), so it fails as
 * the write would, with the same error; only an `--output` file with other
 * content it refuses later, after the diff against it (`applyConfigPlan`).
 */
export async function checkWritesFirst<P extends { text: string }>(
  planned: readonly PlannedFile<P>[],
  outputOf: (path: string) => string,
  options: {
    dryRun?: boolean | undefined;
    replaceReadOnly?: boolean | undefined;
    replaceOutput?: boolean | undefined;
  },
  report: ConfigRunReport,
): Promise<void> {
  for (const { file, plan } of planned) {
    await checkConfigWrites([{ file, output: outputOf(file.path), text: plan.text }], options)
      .catch((error) => {
        report.failed(file.path, error);
        throw error;
      });
  }
}
