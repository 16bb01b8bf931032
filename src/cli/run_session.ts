/**
 * What `thoth run` does once its command line is read: resolve the session
 * outside the sandbox (environment, policy, intent), then relay inside it.
 * When thoth cannot govern, or its flags are refused (`options.refusal`),
 * the client's first request is answered with the reason instead of a dead
 * pipe, and no server starts (fail closed). The profile's secrets that
 * others can read are made 0600 first, refused or not
 * (`tighten_existing_secrets.ts`). Shared by the plain reader of
 * `run_flags.ts` and the full command in `run.ts`; loads no npm package.
 *
 * @example
 * ```ts
 * await runSession(io, ["node", "server.js"], { ...RUN_DEFAULTS, agentId: "demo" });
 * ```
 */
import { AppError } from "../errors.ts";
import { packagesNotCached } from "../platform/packages_not_cached.ts";
import { deriveAgentId } from "../proxy/derive_agent_id.ts";
import { startSandboxedProxy } from "../proxy/start_sandboxed_proxy.ts";
import { cannotGovernText } from "../protocol/responses.ts";
import { type EnvChanges, upstreamEnvChanges } from "../config/upstream_env.ts";
import { pathVariable } from "../platform/path_variable.ts";
import { ENFORCER_URL_DEPRECATION } from "../identity/quick_thoth_env.ts";
import { showName } from "../identity/shown_env_value.ts";
import { tightenExistingSecrets } from "../identity/tighten_existing_secrets.ts";
import {
  type PreparedSession,
  prepareSession,
  sessionEndpoint,
  sessionIdentity,
} from "./prepare_session.ts";
import { approvalTimeoutWarning } from "./approval_timeout_warning.ts";
import type { CliIo } from "./cli_io.ts";
import type { RunOptions } from "./run_options.ts";
import { unlistedModule } from "./unlisted_module.ts";

/**
 * Runs one governed session; sets `io.exitCode`. Throws `usage.missing_command`,
 * and the error of `options.refusal` when a person runs it at a terminal.
 * `verbose` (`thoth --verbose run`): a fault in the proxy core is told with
 * its stack.
 */
export async function runSession(
  io: CliIo,
  command: readonly string[],
  options: RunOptions,
  verbose = false,
): Promise<void> {
  // Before anything is checked: a refused session must not leave a key others can read so.
  for (const notice of await tightenExistingSecrets(io.thothHome, io.env, Deno.build.os)) {
    io.err(`thoth: ${notice}\n`);
  }
  const [upstream, ...args] = command;
  if (upstream === undefined || upstream === "") {
    throw new AppError("usage.missing_command", 'no MCP server command given after "--"', {
      hints: ["thoth run --agent-id NAME -- <command> [args...]"],
    });
  }
  if (options.refusal !== undefined) {
    // Refused flags start no server either way. A terminal on stdin is a person trying the
    // command: they get the usage error at once, as any command prints one, and exit 2.
    // Anything else (a pipe, a file, /dev/null) is how an MCP client starts thoth: the error
    // goes to stderr, the client's MCP log, and its first request is answered with the cause
    // (without the value given), so the client shows why instead of a dead server; exit 2.
    if (io.stdinIsTty) throw options.refusal.error;
    const { runProxy } = await loadRunProxy();
    const result = await runProxy({
      command: upstream,
      args,
      server: options.agentId ?? deriveAgentId(upstream, args),
      note: (message) => io.err(`thoth: ${message}\n`),
      refusal: options.refusal,
      // A stop signal ends the refusal at once, with 128 plus its number.
      handleSignals: true,
    });
    io.exitCode = result.exitCode;
    return;
  }
  const server = options.agentId ?? deriveAgentId(upstream, args);
  // A person at a terminal would otherwise see only the server's own words, or nothing, and
  // think thoth hangs. An MCP client gives thoth a pipe: its stderr gets no extra line.
  if (io.stdinIsTty) io.err(`thoth: ${terminalNote(server, options.enforcementMode)}\n`);
  if (options.enforcerUrl !== undefined) {
    io.err(
      `thoth: warning: ${
        ENFORCER_URL_DEPRECATION.replace("THOTH_ENFORCER_URL", "--enforcer-url")
      }\n`,
    );
  }
  if (options.apiKey !== undefined) {
    io.err(
      "thoth: warning: --api-key puts a secret in the process list and the client config; " +
        'it is not used by the local enforcer. Store keys with "thoth set-api-key" instead\n',
    );
  }
  const slowApproval = approvalTimeoutWarning(options.approvalTimeout);
  if (slowApproval !== undefined) io.err(`thoth: warning: ${slowApproval}\n`);
  const note = (message: string) => io.err(`thoth: ${message}\n`);
  /**
   * Fails closed, and says so to the client instead of leaving it with a dead
   * pipe: the client's requests are answered with `wire`, no server starts.
   */
  const refuse = async (error: AppError, wire: string): Promise<number> => {
    const { runProxy } = await loadRunProxy();
    const result = await runProxy({
      command: upstream,
      args,
      server,
      note,
      refusal: { error, wire },
      handleSignals: true,
    });
    return result.exitCode;
  };
  // The server gets the environment it would have had without thoth, and none of thoth's
  // credentials (it inherits this process's environment: the core's Worker passes none).
  // A THOTH_WRAP record that cannot be read could give it neither: no server starts.
  let changes: EnvChanges;
  try {
    changes = upstreamEnvChanges(io.env, Deno.build.os);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.exitCode = await refuse(error, BAD_RECORD_WIRE);
    return;
  }
  // Read while the session is prepared (on macOS and Windows it starts a process); never throws.
  const endpoint = sessionEndpoint(io.env);
  let prepared: PreparedSession;
  try {
    prepared = await prepareSession(io, {
      server,
      mode: options.enforcementMode,
      tenantId: options.tenantId,
      intent: options.intent,
      policy: options.policy,
      auditSync: options.auditSync,
      approvalTimeoutSec: options.approvalTimeout,
      serverArgs: args,
    });
  } catch (thrown) {
    // A policy the quick reader passes on to the full parser needs its npm packages.
    const error = thrown instanceof AppError ? thrown : packagesNotCached(thrown);
    if (error === undefined) throw thrown;
    io.exitCode = await refuse(error, cannotGovernText(error.code));
    return;
  }
  for (const key of changes.remove) Deno.env.delete(key);
  for (const [key, value] of Object.entries(changes.set)) Deno.env.set(key, value);
  io.exitCode = await startSandboxedProxy({
    command: upstream,
    args,
    server,
    maxLineBytes: options.maxLineBytes,
    graceMs: options.shutdownGraceMs,
    enforcer: prepared.enforcer,
    thothHome: io.thothHome,
    cwd: io.cwd,
    pathValue: pathVariable(io.env, Deno.build.os),
    os: Deno.build.os,
    ...(prepared.dialog === undefined ? {} : { dialog: prepared.dialog }),
    envKeys: Object.keys(Deno.env.toObject()),
    // Who and where, for the session_start record: the core may not read the environment.
    identity: sessionIdentity(io.env, options.tenantId, await endpoint),
    note,
    ...(verbose ? { verbose: true } : {}),
  });
}

/** What the client is told when its entry's THOTH_WRAP record cannot be read (never the record). */
const BAD_RECORD_WIRE = "thoth refused to start this MCP server: the THOTH_WRAP record in the " +
  "\"env\" of this server's entry in the MCP client's config cannot be read. Fix it by hand, or " +
  'restore the entry from the config\'s .thoth-backup file and run "thoth wrap-config" again; ' +
  "thoth's stderr in the client's MCP log has the details";

/**
 * The line `thoth run` writes to stderr when its stdin is a terminal: what
 * it does there, and where a newcomer goes next. The agent id is shown by
 * fingerprint if it looks like a key.
 *
 * @example
 * ```ts
 * terminalNote("everything", "block");
 * // 'relaying MCP between this terminal and the server (agent id "everything", mode block); …'
 * ```
 */
export function terminalNote(server: string, mode: string): string {
  return `relaying MCP between this terminal and the server (agent id ${showName(server)}, ` +
    `mode ${mode}); an MCP client normally starts "thoth run". Type one JSON-RPC message ` +
    'per line, Ctrl-C to stop. To see thoth at work, run "deno task demo" in its source ' +
    'folder, or put an MCP client\'s servers behind thoth with "thoth wrap-config"';
}

/**
 * The proxy without the sandbox, for a session refused before it starts (it
 * answers the client with why). A session that starts runs the proxy in the
 * sandbox's Worker, so its main thread does not list the proxy's modules.
 */
function loadRunProxy(): Promise<typeof import("../proxy/run_proxy.ts")> {
  return import(unlistedModule("../proxy/run_proxy.ts", import.meta.url));
}
