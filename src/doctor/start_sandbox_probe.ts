/**
 * Starts the proxy core's sandbox once, for the doctor's `sandbox` check: a
 * thoth (`command`: a compiled thoth itself, thoth from source as its launch
 * command starts it) with
 * {@linkcode SANDBOX_PROBE_ARG}, which runs a session's sandboxed core for no
 * server and says how it went (see `sandbox_probe_protocol.ts`). Its
 * standard input is empty and its output is read, never shown; it starts no
 * server and writes nothing. A process that cannot be started, is ended by
 * Deno (exit 70: no `--unstable-worker-options`), or does not answer in
 * `timeoutMs` is a failure with its cause and the remedy.
 *
 * @example
 * ```ts
 * const start = await startSandboxProbe({ command: ["/usr/local/bin/thoth"], via: "own" });
 * start.outcome; // "started"
 * ```
 */
import { readSandboxProbeAnswer, SANDBOX_PROBE_ARG } from "./sandbox_probe_protocol.ts";
import { displayText } from "../approval/display_text.ts";

/** How the sandbox start went. */
export interface SandboxStart {
  /** `not_tried`: thoth may not start itself (no permission to run its own executable). */
  readonly outcome: "started" | "failed" | "not_tried";
  /** What happened, naming the cause when it failed. */
  readonly detail: string;
  /** What to do when it failed; null otherwise. */
  readonly remedy: string | null;
}

/** Options of {@linkcode startSandboxProbe}. */
export interface SandboxProbeOptions {
  /** The command line that starts a thoth, before its arguments. */
  readonly command: readonly string[];
  /**
   * `own`: this compiled thoth itself, flags and all; `launch`: thoth from
   * source as its launch command starts it (Deno does not show a script the
   * flags it was itself started with).
   */
  readonly via: "own" | "launch";
  /** How long the probe may take; 10 seconds by default. */
  readonly timeoutMs?: number;
}

/** Deno's exit code when a script uses an unstable API without its flag. */
const UNSTABLE_EXIT = 70;

/** The most output read from the probe. */
const MAX_OUTPUT = 16 * 1024;

/** Starts the probe and reads its answer. Never throws. */
export async function startSandboxProbe(options: SandboxProbeOptions): Promise<SandboxStart> {
  const [file, ...words] = options.command;
  if (file === undefined) {
    return { outcome: "not_tried", detail: "how thoth was started is not known", remedy: null };
  }
  const shown = JSON.stringify(displayText(file, 300));
  // Asked first: never a permission prompt on doctor's terminal.
  if (!mayRun(file)) {
    return {
      outcome: "not_tried",
      detail: `thoth may not start ${shown} (its permissions do not include running it), ` +
        "so the sandbox was not tried",
      remedy: null,
    };
  }
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(file, {
      args: [...words, SANDBOX_PROBE_ARG],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return {
      outcome: "failed",
      detail: `cannot start ${shown} to try the sandbox: ${firstLine(errorText(error))}`,
      remedy: 're-run with "thoth --verbose doctor" and report the output',
    };
  }
  let timedOut = false;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended meanwhile.
    }
  }, timeoutMs);
  let output: Deno.CommandOutput;
  try {
    output = await child.output();
  } finally {
    clearTimeout(timer);
  }
  const decoder = new TextDecoder();
  const stdout = decoder.decode(output.stdout.subarray(0, MAX_OUTPUT));
  const stderr = decoder.decode(output.stderr.subarray(0, MAX_OUTPUT));
  const answer = readSandboxProbeAnswer(stdout);
  if (answer?.started === true) {
    return {
      outcome: "started",
      detail: "the proxy core's sandbox starts (tried in a Worker narrowed as for a session " +
        "without a server: no permission at all)" +
        (options.via === "launch"
          ? ", with thoth's launch command, since thoth from source cannot see the flags it was " +
            "started with"
          : ""),
      remedy: null,
    };
  }
  if (answer !== null) {
    return {
      outcome: "failed",
      detail: `the proxy core's sandbox cannot start: ${answer.message}`,
      remedy: answer.hints[0] ?? 're-run with "thoth --verbose doctor" and report the output',
    };
  }
  if (timedOut) {
    return {
      outcome: "failed",
      detail: `the proxy core's sandbox did not start within ${timeoutMs / 1000} seconds`,
      remedy: 're-run with "thoth --verbose doctor" and report the output',
    };
  }
  const said = firstLine(stderr) ||
    `it ended with exit code ${output.code} and said nothing`;
  if (output.code === UNSTABLE_EXIT || /--unstable-worker-options/.test(stderr)) {
    return {
      outcome: "failed",
      detail: "the proxy core's sandbox cannot start: Deno refuses a Worker narrowed " +
        `permissions without --unstable-worker-options, and ends the process: ${said}`,
      remedy: "start thoth with --unstable-worker-options (thoth's release binaries are built " +
        'with it; from source, "deno task thoth" and the command wrap-config writes set it ' +
        'through deno.json\'s "unstable" list)',
    };
  }
  return {
    outcome: "failed",
    detail: `the proxy core's sandbox cannot start: ${said}`,
    remedy: 're-run with "thoth --verbose doctor" and report the output',
  };
}

function mayRun(file: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "run", command: file }).state === "granted";
  } catch {
    return false;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first non-empty line, cleaned for a terminal. */
function firstLine(text: string): string {
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  return displayText(line, 300);
}
