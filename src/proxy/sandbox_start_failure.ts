/**
 * What happens when the sandboxed proxy core cannot start: nothing is
 * relayed (thoth fails closed), the error goes to stderr, and the client's
 * first request (its `initialize`) is answered with thoth's "cannot govern"
 * error, as for any session thoth cannot govern, instead of a pipe that
 * closes without a word. The hint follows Deno's reason: the flag
 * `--unstable-worker-options` only for Deno's unstable-API error, thoth's
 * manifest permissions for a grant thoth itself does not hold ("Can't
 * escalate parent thread permissions").
 *
 * @example
 * ```ts
 * const error = sandboxUnavailableError(new Error("Can't escalate parent thread permissions"));
 * const exitCode = await refuseSession({ command: "ls", args: [], server: "ls", note }, error);
 * ```
 */
import { AppError } from "../errors.ts";
import { cannotGovernText } from "../protocol/responses.ts";

/** The session a refusal answers for. */
export interface RefusedSession {
  command: string;
  args: readonly string[];
  server: string;
  maxLineBytes?: number;
  /** Writes one stderr line (without prefix). */
  note: (message: string) => void;
}

/** `internal.sandbox_unavailable` for the Worker that could not be started, with its remedy. */
export function sandboxUnavailableError(error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /unstable-worker-options|unstable api/i.test(message)
    ? "thoth refuses to relay without its sandbox; run it with --unstable-worker-options " +
      "(the deno.json of this project and release binaries set it)"
    : /escalate|NotCapable/i.test(message) || error instanceof Deno.errors.NotCapable
    ? "thoth refuses to relay without its sandbox, and its own permissions do not cover what " +
      "the sandboxed core of this session needs (its session folders under THOTH_HOME, the " +
      "server's command): run thoth with its manifest permission set (-P=thoth), as release " +
      "binaries are"
    : 'thoth refuses to relay without its sandbox; run "thoth doctor" to check this installation';
  return new AppError(
    "internal.sandbox_unavailable",
    `cannot start the sandboxed proxy core: ${message}`,
    { cause: error, hints: [hint] },
  );
}

/**
 * Fails closed and says so: prints `error` and its hints, answers the
 * client's first request with `wire` (by default the "cannot govern" text
 * for the error's code), starts no server, and resolves with the exit code.
 */
export async function refuseSession(
  session: RefusedSession,
  error: AppError,
  wire: string = cannotGovernText(error.code),
): Promise<number> {
  // Loaded only here: a session that starts runs the relay in the sandbox's Worker. Imported by a
  // computed URL, so the main thread's module graph does not list the proxy core (see
  // src/cli/unlisted_module.ts); the release build embeds it through the Worker.
  const { runProxy } = await import(
    new URL("./run_proxy.ts", import.meta.url).href
  ) as typeof import("./run_proxy.ts");
  const result = await runProxy({
    command: session.command,
    args: session.args,
    server: session.server,
    note: session.note,
    ...(session.maxLineBytes === undefined ? {} : { maxLineBytes: session.maxLineBytes }),
    refusal: { error, wire },
    // A stop signal ends the refusal at once, with 128 plus its number.
    handleSignals: true,
  });
  return result.exitCode;
}
