/**
 * Every `thoth` command but `run`, added to the command tree on demand so
 * that the long-lived sidecar never loads them; each command's modules load
 * only when a command line needs that command.
 *
 * @example
 * ```ts
 * const { addToolCommands } = await import("./thoth_commands.ts");
 * await addToolCommands(program, io, ["doctor"]);
 * ```
 */
import type { Command, CommandUnknownOpts } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import type { DoctorPlugins } from "../doctor/doctor_plugins.ts";
import { commandSummary } from "./help_layout.ts";
import { lowerCaseDescription } from "./thoth_program.ts";
import { profileChecksFor } from "./profile_checks_for.ts";
import { THOTH_TOOL_COMMAND_NAMES, type ThothToolCommandName } from "./thoth_command_names.ts";
import { importUnlisted } from "./unlisted_module.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";
import { refuseSharedProfile } from "../identity/refuse_shared_profile.ts";
import { thothHomeError } from "../identity/thoth_home_error.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { REPORTS_INVALID_HOME } from "./invalid_home_problem.ts";

/** Top-level commands that must not create the profile. */
const READ_ONLY = new Set(["doctor", "health", "status"]);

/** Top-level commands that write nothing, so create no profile, with `--dry-run`. */
const READ_ONLY_DRY_RUN = new Set(["wrap-config", "unwrap-config"]);

/** What builds each command: shared by the commands built for one command line. */
interface Builders {
  readonly io: CliIo;
  /** doctor's and health's checks beyond the profile's: built once for both. */
  plugins(): Promise<Partial<DoctorPlugins>>;
}

/** What builds each tool command. */
const TOOL_COMMANDS: Readonly<
  Record<ThothToolCommandName, (b: Builders) => Promise<CommandUnknownOpts>>
> = {
  "wrap-config": async ({ io }) =>
    (await importUnlisted<typeof import("./wrap_config.ts")>("./wrap_config.ts", import.meta.url))
      .wrapConfigCommand(io),
  "unwrap-config": async ({ io }) =>
    (await importUnlisted<typeof import("./unwrap_config.ts")>(
      "./unwrap_config.ts",
      import.meta.url,
    ))
      .unwrapConfigCommand(io),
  "status": async ({ io }) =>
    (await importUnlisted<typeof import("./status.ts")>("./status.ts", import.meta.url))
      .statusCommand(io),
  "doctor": async (b) =>
    (await importUnlisted<typeof import("./doctor.ts")>("./doctor.ts", import.meta.url))
      .doctorCommand(b.io, { plugins: await b.plugins() }),
  "health": async (b) =>
    (await importUnlisted<typeof import("./health.ts")>("./health.ts", import.meta.url))
      .healthCommand(b.io, { plugins: await b.plugins() }),
  "set-api-key": async ({ io }) =>
    (await importUnlisted<typeof import("./set_api_key.ts")>("./set_api_key.ts", import.meta.url))
      .setApiKeyCommand(io).addHelpText(
        "after",
        `
Examples:
  # from a file only you may read, so the key is in no command line
  thoth set-api-key --api-key - < key.txt

  # then see which credential thoth uses
  thoth doctor`,
      ),
  "auth": async ({ io }) =>
    (await importUnlisted<typeof import("./auth.ts")>("./auth.ts", import.meta.url)).authCommand(
      io,
    ),
  "audit": async ({ io }) =>
    (await importUnlisted<typeof import("./audit.ts")>("./audit.ts", import.meta.url)).auditCommand(
      io,
    ),
  "policy": async ({ io }) =>
    (await importUnlisted<typeof import("./policy.ts")>("./policy.ts", import.meta.url))
      .policyCommand(io),
  "approvals": async ({ io }) =>
    (await importUnlisted<typeof import("./approvals.ts")>("./approvals.ts", import.meta.url))
      .approvalsCommand(io),
  "update": async ({ io }) => {
    const update =
      (await importUnlisted<typeof import("./update.ts")>("./update.ts", import.meta.url))
        .updateCommand(io);
    // Its description is a paragraph; the list of commands shows one line.
    if (update.summary() === "") update.summary("install the latest verified thoth release");
    return update;
  },
};

/**
 * Adds the tool commands named in `names` (all of them by default; see `commands_to_load.ts`
 * for which a command line needs), in the order the list of commands shows them, and the
 * profile bootstrap hook to `program`.
 */
export async function addToolCommands(
  program: Command<[], { verbose?: true }>,
  io: CliIo,
  names: readonly string[] = THOTH_TOOL_COMMAND_NAMES,
): Promise<void> {
  let plugins: Promise<Partial<DoctorPlugins>> | undefined;
  const builders: Builders = {
    io,
    plugins: () =>
      plugins ??= importUnlisted<typeof import("./doctor_plugins.ts")>(
        "./doctor_plugins.ts",
        import.meta.url,
      )
        .then(({ thothDoctorPlugins }) => thothDoctorPlugins(io)),
  };
  const built = await Promise.all(
    THOTH_TOOL_COMMAND_NAMES.filter((name) => names.includes(name)).map((name) =>
      TOOL_COMMANDS[name](builders)
    ),
  );
  for (const command of built) program.addCommand(command);
  // The list of commands reads in lower case, as the parser's own lines do
  // ("display help for command"), and so does each command's own help.
  const lowerCase = (command: Command<unknown[], Record<string, unknown>>): void => {
    lowerCaseDescription(command);
    const line = commandSummary(command.summary(), command.description());
    if (/^[A-Z][a-z]/.test(line)) command.summary(`${line[0]!.toLowerCase()}${line.slice(1)}`);
    for (const sub of command.commands) {
      lowerCase(sub as unknown as Command<unknown[], Record<string, unknown>>);
    }
  };
  for (const command of program.commands) {
    lowerCase(command as unknown as Command<unknown[], Record<string, unknown>>);
  }
  // Every command refuses a THOTH_HOME that is not an absolute path here
  // before it writes anything. The first run of a command bootstraps the
  // profile; `run` does both itself (a failure there is answered on the wire
  // instead of killing the pipe), and `doctor` and `health` report a profile
  // that cannot be set up as a finding, so they still check the rest.
  program.hook("preAction", async (_program, action) => {
    const top = action.parent === program;
    if (top && (action.name() === "run" || action.name() === "help")) return;
    // `audit verify` exits 3 on a refused profile; with --bundle it needs none.
    await profileChecksFor(action, async () => {
      const badHome = thothHomeError(io.env, Deno.build.os);
      // health reports it in its profile part (invalid_home_problem.ts).
      if (badHome !== null && !(top && REPORTS_INVALID_HOME.has(action.name()))) throw badHome;
      // Commands that only read (status, a config command's --dry-run) or report on the
      // profile (doctor, health) do not create it.
      if (!top || READ_ONLY.has(action.name())) return;
      if (READ_ONLY_DRY_RUN.has(action.name()) && action.opts()["dryRun"] === true) return;
      // A key saved to THOTH_API_KEY_FILE needs no profile (root with a user's HOME
      // may save one to a safe path: writeApiKeyFile judges that path).
      const setApiKey = action.name() === "set-api-key";
      if (setApiKey && (io.env.THOTH_API_KEY_FILE ?? "") !== "") return;
      // A profile that is a file is named as such (THOTH_HOME and its path), as the
      // subcommands that read it (policy, audit, approvals) name it.
      await requireProfileFolder(io.thothHome, io.env);
      // Nothing is set up for a key in a profile someone else can change.
      if (setApiKey) await refuseSharedProfile(io.thothHome, "the API key");
      const { notices } = await bootstrapProfile(io.thothHome, Deno.build.os);
      for (const notice of notices) io.err(`thoth: ${notice}\n`);
    });
  });
}
