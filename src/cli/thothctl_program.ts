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
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { runProgram } from "./program.ts";
import { refuseLowerV } from "./refuse_lower_v.ts";
import { authCommand } from "./auth.ts";
import { auditCommand, profileChecksFor } from "./audit.ts";
import { policyCommand } from "./policy.ts";
import { approvalsCommand } from "./approvals.ts";
import { versionLine } from "../version.ts";
import { runtimeLine } from "./runtime_line.ts";
import { bootstrapForReading } from "../identity/bootstrap_profile.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { thothHomeError } from "../identity/thoth_home_error.ts";

/** Builds the `thothctl` command tree for one invocation. */
export function buildThothctlProgram(io: CliIo): Command<[], { verbose?: true }> {
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
  program.addCommand(authCommand(io));
  program.addCommand(auditCommand(io));
  program.addCommand(policyCommand(io));
  program.addCommand(approvalsCommand(io, undefined, "thothctl"));
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
 * unknown command is, with a hint to run `thoth doctor`. Kept here, not read
 * from thoth's tree, so that thothctl loads none of those commands
 * (tests/cli/thothctl_hints_test.ts checks it against thoth's tree).
 */
export const THOTH_ONLY_COMMANDS: readonly string[] = [
  "run",
  "wrap-config",
  "unwrap-config",
  "status",
  "doctor",
  "health",
  "set-api-key",
  "update",
];

/** Runs `thothctl` with the given arguments; returns the exit code. */
export async function runThothctlProgram(args: readonly string[], io: CliIo): Promise<number> {
  return await runProgram("thothctl", buildThothctlProgram(io), args, io, {
    commandsElsewhere: { program: "thoth", commands: THOTH_ONLY_COMMANDS },
  });
}
