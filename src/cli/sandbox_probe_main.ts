/**
 * `thoth --internal-sandbox-probe`: what `thoth doctor` starts to prove that
 * the proxy core's sandbox starts, in a thoth of its own (see
 * `sandbox_probe_protocol.ts`). It runs {@linkcode startSandboxedProxy}, the
 * code every `thoth run` session runs, for a server that cannot be found on
 * an empty PATH and with no enforcer state: the core starts in its Worker
 * with the permissions such a session gets (none: no folder, no program),
 * reads its empty standard input, answers that the server cannot start, and
 * ends. Nothing is started, read or written besides that. Prints one JSON
 * line and exits 0; a Deno that ends the process first (exit 70 without
 * `--unstable-worker-options`) is for doctor to read.
 *
 * @example
 * ```sh
 * thoth --internal-sandbox-probe </dev/null
 * # {"thoth_sandbox_probe":1,"started":true,"message":"","hints":[]}
 * ```
 */
import { AppError } from "../errors.ts";
import { startSandboxedProxy } from "../proxy/start_sandboxed_proxy.ts";
import { explainSpawnError } from "../proxy/upstream_spawn.ts";
import { sandboxProbeAnswerLine } from "../doctor/sandbox_probe_protocol.ts";

/** A command no empty PATH holds: the session has no server to start. */
const NO_SERVER = "thoth-sandbox-probe-no-server";

/** Runs the probe; returns the exit code. */
export async function sandboxProbeMain(): Promise<number> {
  const notes: string[] = [];
  // The exit code of a session whose server is not found: the core ran to its end.
  const notFound = explainSpawnError(NO_SERVER, new Deno.errors.NotFound("not found")).exitCode;
  let line: string;
  try {
    const exitCode = await startSandboxedProxy({
      command: NO_SERVER,
      args: [],
      server: "thoth-doctor",
      maxLineBytes: 64 * 1024,
      graceMs: 500,
      enforcer: { kind: "allow-all" },
      // Not used: a session without enforcer state has no folder under it.
      thothHome: "",
      cwd: Deno.cwd(),
      pathValue: "",
      os: Deno.build.os,
      envKeys: [],
      note: (message) => notes.push(message),
    });
    // The core's notes are "error: …" and "hint: …" lines.
    const lines = notes.flatMap((note) => note.split("\n"));
    const hints = lines.filter((l) => l.startsWith("hint: ")).map((l) => l.slice("hint: ".length));
    const said = lines.filter((l) => !l.startsWith("hint: ")).map((l) => l.replace(/^error: /, ""));
    line = sandboxProbeAnswerLine(
      exitCode === notFound ? { started: true } : {
        started: false,
        message: said.join("; ") || `the proxy core ended with exit code ${exitCode}`,
        hints,
      },
    );
  } catch (error) {
    line = sandboxProbeAnswerLine({
      started: false,
      message: error instanceof Error ? error.message : String(error),
      hints: error instanceof AppError ? error.hints : [],
    });
  }
  const bytes = new TextEncoder().encode(line);
  for (let at = 0; at < bytes.length;) at += Deno.stdout.writeSync(bytes.subarray(at));
  return 0;
}
