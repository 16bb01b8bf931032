/**
 * The `thoth` command: the stdio sidecar and its user-facing tools.
 *
 * @example
 * ```sh
 * deno task thoth run --agent-id everything -- npx -y @modelcontextprotocol/server-everything
 * ```
 *
 * `thoth run` starts with every MCP client and lives as long as its server,
 * so a `thoth [--verbose] run … -- <command>` line goes straight to the
 * session (see `run_flags.ts`) without loading the command-line library, a
 * refused flag included (the client's first request is answered with it);
 * everything else, help included, goes through the command tree.
 */
import { type CliIo, processCliIoOrProblem, reportProfileProblem } from "./cli_io.ts";
import { AppError } from "../errors.ts";
import { formatError, reportLoadFailure } from "./report_error.ts";
import { profileProblemJson } from "./profile_problem_json.ts";
import { parseRunArgs } from "./run_flags.ts";
import { repeatedRunFlag } from "./run_flag_table.ts";
import { SANDBOX_PROBE_ARG } from "../doctor/sandbox_probe_protocol.ts";
import { unlistedModule } from "./unlisted_module.ts";

/** Runs `thoth` with the given arguments; returns the exit code. */
export async function thothMain(args: readonly string[], io: CliIo): Promise<number> {
  // "thoth --verbose run …" is a run too: the client must get its answers either way.
  const verbose = args[0] === "--verbose";
  const at = verbose ? 1 : 0;
  const run = args[at] === "run" ? parseRunArgs(args.slice(at + 1)) : undefined;
  const repeated = args[at] === "run" && run === undefined
    ? repeatedRunFlag(args.slice(at + 1))
    : undefined;
  if (args[at] === "run" && run === undefined) {
    // Not the fast path (a flag given twice, no command, a flag only the full parser reads): its
    // refusals come before `runSession`, which tightens first too, and must not leave a key others
    // can read so either. A second pass finds nothing to do and says nothing.
    const { tightenExistingSecrets } = await import("../identity/tighten_existing_secrets.ts");
    for (const notice of await tightenExistingSecrets(io.thothHome, io.env, Deno.build.os)) {
      io.err(`thoth: ${notice}\n`);
    }
  }
  if (repeated !== undefined) {
    io.err(
      `thoth: error: ${repeated} is given more than once; give it once\n` +
        `thoth: hint: run "thoth run --help"\n`,
    );
    return 2;
  }
  if (run !== undefined) {
    try {
      const { runSession } = await import("./run_session.ts");
      await runSession(io, run.command, run.options, verbose);
      return io.exitCode;
    } catch (error) {
      const { text, exitCode } = formatError("thoth", error, verbose);
      io.err(text);
      return exitCode;
    }
  }
  let program: typeof import("./thoth_program.ts");
  try {
    program = await import(unlistedModule("./thoth_program.ts", import.meta.url));
  } catch (error) {
    // Imported when asked for (see unlisted_module.ts), as each command is: thoth from source
    // missing a package in Deno's cache, or started with a narrowed --allow-read, says so here.
    return reportLoadFailure("thoth", args, io, error);
  }
  return await program.runThothProgram(args, io);
}

/**
 * `thoth` when no profile folder can be found (see `profile_home.ts`): a
 * `thoth run` started by an MCP client (its stdin is no terminal) answers the
 * client's first request with why, as for any session thoth cannot govern,
 * and starts no server; anything else reports the problem on stderr. Returns
 * the exit code.
 */
export async function thothWithoutProfile(
  args: readonly string[],
  problem: AppError,
  stdinIsTty: boolean,
): Promise<number> {
  const at = args[0] === "--verbose" ? 1 : 0;
  const run = args[at] === "run" ? parseRunArgs(args.slice(at + 1)) : undefined;
  const [command, ...rest] = run?.command ?? [];
  if (run === undefined || command === undefined || command === "" || stdinIsTty) {
    // A command given --json prints its one {"ok":false,…} line even so (wrap-config and
    // unwrap-config: their own document).
    reportProfileProblem("thoth", problem, await profileProblemJson(args, problem));
    return problem.exitCode;
  }
  const [{ runProxy }, { deriveAgentId }, { cannotGovernText }] = await Promise.all([
    import(unlistedModule("../proxy/run_proxy.ts", import.meta.url)) as Promise<
      typeof import("../proxy/run_proxy.ts")
    >,
    import("../proxy/derive_agent_id.ts"),
    import("../protocol/responses.ts"),
  ]);
  const result = await runProxy({
    command,
    args: rest,
    server: run.options.agentId ?? deriveAgentId(command, rest),
    // It reports the problem on stderr too, once.
    note: (message) => reportNote(message),
    refusal: { error: problem, wire: cannotGovernText(problem.code) },
    handleSignals: true,
  });
  return result.exitCode;
}

function reportNote(message: string): void {
  const bytes = new TextEncoder().encode(`thoth: ${message}\n`);
  let offset = 0;
  while (offset < bytes.length) offset += Deno.stderr.writeSync(bytes.subarray(offset));
}

if (import.meta.main) {
  if (Deno.args.length === 1 && Deno.args[0] === SANDBOX_PROBE_ARG) {
    // "thoth doctor" trying the sandbox in a thoth of its own: no profile needed.
    const { sandboxProbeMain } = await import("./sandbox_probe_main.ts");
    Deno.exit(await sandboxProbeMain());
  }
  const io = processCliIoOrProblem(import.meta.url);
  Deno.exit(
    io instanceof AppError
      ? await thothWithoutProfile(Deno.args, io, Deno.stdin.isTerminal())
      : await thothMain(Deno.args, io),
  );
}
