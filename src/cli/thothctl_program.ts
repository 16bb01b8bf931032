/**
 * The `thothctl` command tree (commander): loaded by `thothctl.ts` once the
 * process has its profile, so that a missing npm package is reported as such
 * (see `packages_not_cached.ts`) instead of failing the entry's module load.
 *
 * @example
 * ```ts
 * const code = await runThothctlProgram(["--version"], io);
 * ```
 */
import { Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { runProgram } from "./program.ts";
import { reportLoadFailure } from "./report_error.ts";
import { refuseLowerV } from "./refuse_lower_v.ts";
import { profileChecksFor } from "./profile_checks_for.ts";
import { commandsToLoad } from "./commands_to_load.ts";
import { importUnlisted } from "./unlisted_module.ts";
import { THOTH_COMMAND_NAMES } from "./thoth_command_names.ts";
import { versionLine } from "../version.ts";
import { runtimeLine } from "./runtime_line.ts";
import { bootstrapForReading } from "../identity/bootstrap_profile.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { thothHomeError } from "../identity/thoth_home_error.ts";

/** Each command by name, in the order the list of commands shows them. */
const COMMANDS: readonly (readonly [string, (io: CliIo) => Promise<CommandUnknownOpts>])[] = [
  [
    "auth",
    async (io) =>
      (await importUnlisted<typeof import("./auth.ts")>("./auth.ts", import.meta.url)).authCommand(
        io,
      ),
  ],
  [
    "audit",
    async (io) =>
      (await importUnlisted<typeof import("./audit.ts")>("./audit.ts", import.meta.url))
        .auditCommand(io),
  ],
  [
    "policy",
    async (io) =>
      (await importUnlisted<typeof import("./policy.ts")>("./policy.ts", import.meta.url))
        .policyCommand(io),
  ],
  [
    "approvals",
    async (io) =>
      (await importUnlisted<typeof import("./approvals.ts")>("./approvals.ts", import.meta.url))
        .approvalsCommand(io, undefined, "thothctl"),
  ],
];

/**
 * Builds the `thothctl` command tree for one invocation (`args`: its command line): only the
 * command it names, or every command when it names none (see `commands_to_load.ts`).
 */
export async function buildThothctlProgram(
  io: CliIo,
  args: readonly string[] = [],
): Promise<Command<[], { verbose?: true }>> {
  const program = new Command("thothctl")
    .description(
      "Administer thoth: check policy, settle approvals, export audit evidence (sign-in is " +
        "not available in this build).",
    )
    .version(
      `${versionLine("thothctl", Deno.build.target)}\n` +
        runtimeLine(Deno.build.standalone, Deno.version.deno),
      "-V, --version",
      "print version, target and commit, and how this binary runs",
    )
    .addOption(new Option("--verbose", "show stack traces and causes on internal errors"))
    .helpCommand(true)
    .addHelpText(
      "after",
      `\nProfile: ${io.thothHome} (set THOTH_HOME to relocate it)` +
        '\nUpdates: thothctl has no network access of its own; "thoth update" updates a ' +
        "thothctl installed beside thoth, with the same checks\n" +
        `
Examples:
  # is the audit log intact? then what was blocked in the last day
  thothctl audit verify
  thothctl audit show --since 24h --effect blocked

  # is the policy valid; what waits for a person's approval
  thothctl policy check
  thothctl approvals list`,
    );
  refuseLowerV(program, "thothctl");
  const wanted = commandsToLoad(args, COMMANDS.map(([name]) => name));
  const built = await Promise.all(
    COMMANDS.filter(([name]) => wanted.includes(name)).map(([, build]) => build(io)),
  );
  for (const command of built) program.addCommand(command);
  program.hook("preAction", async (_program, action) => {
    // `audit verify` exits 3 on a refused profile; with --bundle it needs none.
    await profileChecksFor(action, async () => {
      // A THOTH_HOME that is not absolute would put the profile under the current folder.
      const badHome = thothHomeError(io.env, Deno.build.os);
      if (badHome !== null) throw badHome;
      // A THOTH_HOME that is a file: each command that reads the profile names it as such,
      // with its own exit code (3 for "audit verify"), so nothing is set up here.
      const folder = await requireProfileFolder(io.thothHome, io.env).then(
        () => true,
        () => false,
      );
      if (!folder) return;
      // Root reading a profile another user keeps (audit evidence, the queue) sets
      // nothing up in it; commands that write there refuse on their own.
      const { notices } = await bootstrapForReading(io.thothHome, Deno.build.os);
      for (const notice of notices) io.err(`thothctl: ${notice}\n`);
    });
  });
  return program;
}

/**
 * The commands only `thoth` holds: `thothctl doctor` is refused as any
 * unknown command is, with a hint to run `thoth doctor`. Taken from thoth's
 * list of names, not from its tree, so that thothctl loads none of those
 * commands (tests/cli/thothctl_hints_test.ts checks it against thoth's tree).
 */
export const THOTH_ONLY_COMMANDS: readonly string[] = THOTH_COMMAND_NAMES.filter((name) =>
  !COMMANDS.some(([own]) => own === name)
);

/** Runs `thothctl` with the given arguments; returns the exit code. */
export async function runThothctlProgram(args: readonly string[], io: CliIo): Promise<number> {
  let program: Awaited<ReturnType<typeof buildThothctlProgram>>;
  try {
    program = await buildThothctlProgram(io, args);
  } catch (error) {
    // A command's modules load when its command line names it: one thoth cannot read says so.
    return reportLoadFailure("thothctl", args, io, error);
  }
  return await runProgram("thothctl", program, args, io, {
    commandsElsewhere: { program: "thoth", commands: THOTH_ONLY_COMMANDS },
  });
}
