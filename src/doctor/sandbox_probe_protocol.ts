/**
 * How `thoth doctor` and the thoth it starts to try the proxy core's sandbox
 * talk. doctor starts thoth again (a compiled thoth itself; from source, its
 * launch command) with the one argument {@linkcode SANDBOX_PROBE_ARG}; that process starts the sandboxed
 * core as `thoth run` does, for no server, and prints one JSON line
 * ({@linkcode SandboxProbeAnswer}) as its last line of standard output. A
 * process of its own, because Deno ends the whole process (exit 70) when a
 * Worker asks for narrowed permissions without `--unstable-worker-options`:
 * doctor itself must live to say so. Pure.
 *
 * @example
 * ```ts
 * readSandboxProbeAnswer(sandboxProbeAnswerLine({ started: true })); // { started: true, … }
 * ```
 */

/** The argument that makes thoth try its sandbox and report, instead of running a command. */
export const SANDBOX_PROBE_ARG = "--internal-sandbox-probe";

/** What the probing thoth found. */
export interface SandboxProbeAnswer {
  /** The sandboxed core started, ran and ended as a session without a server does. */
  readonly started: boolean;
  /** Why it did not, in thoth's words (or the core's); empty when it did. */
  readonly message: string;
  /** What to do about it. */
  readonly hints: readonly string[];
}

/** The answer as the probing thoth prints it: one JSON line. */
export function sandboxProbeAnswerLine(
  answer: { started: boolean; message?: string; hints?: readonly string[] },
): string {
  return JSON.stringify({
    thoth_sandbox_probe: 1,
    started: answer.started,
    message: answer.message ?? "",
    hints: answer.hints ?? [],
  }) + "\n";
}

/** The answer in the last line of `stdout`, or null when there is none. */
export function readSandboxProbeAnswer(stdout: string): SandboxProbeAnswer | null {
  const last = stdout.trimEnd().split("\n").at(-1) ?? "";
  let value: unknown;
  try {
    value = JSON.parse(last);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  if (record["thoth_sandbox_probe"] !== 1 || typeof record["started"] !== "boolean") return null;
  const hints = Array.isArray(record["hints"])
    ? record["hints"].filter((h): h is string => typeof h === "string")
    : [];
  return {
    started: record["started"],
    message: typeof record["message"] === "string" ? record["message"] : "",
    hints,
  };
}
