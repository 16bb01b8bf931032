/**
 * The `thoth` command tree (commander): help, every subcommand, and the
 * full reader of `thoth run`'s flags with its errors. Loaded by `thoth.ts`
 * except for a well-formed `thoth run`, which skips it.
 *
 * @example
 * ```ts
 * const code = await runThothProgram(["status"], processCliIo(entryUrl));
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { runProgram } from "./program.ts";
import { reportLoadFailure } from "./report_error.ts";
import { refuseLowerV } from "./refuse_lower_v.ts";
import { commandsToLoad } from "./commands_to_load.ts";
import { unlistedModule } from "./unlisted_module.ts";
import { THOTH_COMMAND_ALIASES, THOTH_COMMAND_NAMES } from "./thoth_command_names.ts";
import { versionLine } from "../version.ts";
import { runtimeLine } from "./runtime_line.ts";
import { RUN_DEFAULT_TEXT, RUN_SUMMARY } from "./run_flags.ts";

/**
 * Builds the `thoth` command tree for one invocation (`args`: its command
 * line). `thoth run` sits in the hot path of every client start and lives as
 * long as the server, so it loads only its own modules; the other commands
 * load when asked for, only the one a command line names (see
 * `commands_to_load.ts`).
 */
export async function buildThothProgram(
  io: CliIo,
  args: readonly string[] = [],
): Promise<Command<[], { verbose?: true }>> {
  const program = new Command("thoth")
    .description(
      "Govern MCP servers with zero code changes: a stdio sidecar that checks every\n" +
        "tools/call against policy before it reaches the server, and keeps\n" +
        "tamper-evident evidence.",
    )
    .version(
      `${versionLine("thoth", Deno.build.target)}\n` +
        runtimeLine(Deno.build.standalone, Deno.version.deno),
      "-V, --version",
      "print version, target and commit, and how this binary runs",
    )
    .addOption(new Option("--verbose", "show stack traces and causes on internal errors"))
    .helpCommand(true)
    .enablePositionalOptions()
    .addHelpText(
      "after",
      `
From a checkout, "deno task thoth <command>" runs the commands below, and
"deno task demo" shows ALLOW and BLOCK end to end with a demo policy, in a temp
profile.

Profile: ${io.thothHome} (set THOTH_HOME to relocate it)

Examples:
  # put Claude Desktop's stdio MCP servers behind thoth: preview, then write
  thoth wrap-config --dry-run
  thoth wrap-config

  # which servers run through thoth, and what to fix on this machine
  thoth status
  thoth doctor

  # what an MCP client's entry runs after wrap-config
  thoth run --agent-id gdrive -- npx -y @modelcontextprotocol/server-gdrive`,
    );
  refuseLowerV(program, "thoth");
  const wanted = commandsToLoad(args, THOTH_COMMAND_NAMES, THOTH_COMMAND_ALIASES);
  if (wanted.includes("run")) {
    // By a computed URL, as each command (see thoth_commands.ts): `--version` and the other
    // commands read none of the session's modules.
    const { runCommand } = await import(
      unlistedModule("./run.ts", import.meta.url)
    ) as typeof import("./run.ts");
    program.addCommand(lowerCaseDescription(showRunDefaults(runCommand(io))));
  }
  const tools = wanted.filter((name) => name !== "run");
  if (tools.length > 0) {
    const { addToolCommands } = await import("./thoth_commands.ts");
    await addToolCommands(program, io, tools);
  }
  return program;
}

/**
 * `thoth run` as the help shows it: one line in the list of commands, and
 * each default in the unit the docs use (`--max-line-bytes (default:
 * 64MiB)`, not its byte count).
 */
function showRunDefaults(
  run: ReturnType<typeof import("./run.ts").runCommand>,
): ReturnType<typeof import("./run.ts").runCommand> {
  if (run.summary() === "") run.summary(RUN_SUMMARY);
  for (const option of run.options) {
    const text = option.long !== undefined && Object.hasOwn(RUN_DEFAULT_TEXT, option.long)
      ? RUN_DEFAULT_TEXT[option.long]
      : undefined;
    if (text !== undefined) option.default(option.defaultValue, text);
  }
  return run;
}

/**
 * `command` with its description starting in lower case, as every command's
 * does (and as the parser's own lines do: "display help for command"):
 * "start an MCP server…", not "Start an MCP server…". A name written in
 * capitals (`MCP`, `SSO`) keeps them.
 *
 * @example
 * ```ts
 * lowerCaseDescription(new Command("x").description("Show it")).description(); // "show it"
 * ```
 */
export function lowerCaseDescription<C extends { description(): string }>(command: C): C {
  const text = command.description();
  if (/^[A-Z][a-z]/.test(text)) {
    (command as unknown as { description(text: string): unknown }).description(
      `${text[0]!.toLowerCase()}${text.slice(1)}`,
    );
  }
  return command;
}

/** Runs `thoth` through the command tree; returns the exit code. */
export async function runThothProgram(args: readonly string[], io: CliIo): Promise<number> {
  let program: Awaited<ReturnType<typeof buildThothProgram>>;
  try {
    program = await buildThothProgram(io, args);
  } catch (error) {
    // A command's modules load when its command line names it: one thoth cannot read says so.
    return reportLoadFailure("thoth", args, io, error);
  }
  return await runProgram("thoth", program, args, io, {
    protocolCommands: ["run"],
  });
}
