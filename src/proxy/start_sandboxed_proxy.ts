/**
 * Runs one governed session with the proxy core inside a Worker whose
 * permissions are narrowed to what this session needs (see
 * {@linkcode sandboxPermissions}): even code subverted by a hostile server's
 * output could then run nothing at all (the core gives up running programs
 * once it has tried to start the upstream command; dialogs are shown from
 * this thread), touch nothing but its session's folders under `THOTH_HOME`,
 * and connect nowhere. This thread makes those folders before the core
 * starts, hands it the audit keys as data (see `device_key_messages.ts`), and
 * believes what the core says about the server's process only as far as it
 * can check it (see {@linkcode ServerSignaller}). Before granting a session
 * folder it checks where the folder really leads (see
 * `check_session_folders.ts`): a link there must not hand the core the file
 * system, the home folder or the rest of the profile. A server command
 * thoth's own permissions do not let it run is reported as such
 * (`upstream.not_permitted`) rather than as a sandbox that cannot start. If
 * the sandbox cannot be started, nothing is relayed: thoth fails closed, and
 * the client's `initialize` is answered with why (see
 * `sandbox_start_failure.ts`).
 *
 * @example
 * ```ts
 * const exitCode = await startSandboxedProxy({ command: "npx", args: ["-y", "server"], … });
 * ```
 */
import { type AppError, isAppError } from "../errors.ts";
import { findExecutable, isExecutableFile } from "../platform/find_executable.ts";
import type { EnforcerConfig } from "../enforcer/build_session_enforcer.ts";
import {
  type SandboxPermissions,
  sandboxPermissions,
  sessionFolders,
} from "./sandbox_permissions.ts";
import type { WorkerInbound, WorkerOutbound, WorkerStart } from "./proxy_worker.ts";
import {
  badInterpreterError,
  crlfScriptError,
  explainSpawnError,
  setsLoaderVariable,
} from "./upstream_spawn.ts";
import { answerKeyRequest } from "./device_key_messages.ts";
import { checkSessionFolders } from "./check_session_folders.ts";
import { refuseSession, sandboxUnavailableError } from "./sandbox_start_failure.ts";
import { ServerSignaller } from "./server_signaller.ts";
import { heldByAnotherProcess, stuckCoreLines } from "./stuck_core_note.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { readShebang } from "./script_interpreter.ts";
import { signalExitCode, stopSignals } from "./stop_signals.ts";
import { localDialogRunner } from "../approval/dialog_runner.ts";
import { dialogHost } from "./dialog_host.ts";
import { probeHostIdentity } from "../approval/host_identity.ts";
import type { DialogTool } from "../approval/find_dialog_tool.ts";
import type { SessionIdentity } from "../audit/record.ts";

/** Options of {@linkcode startSandboxedProxy}. */
export interface SandboxedProxyOptions {
  command: string;
  args: string[];
  server: string;
  maxLineBytes: number;
  graceMs: number;
  enforcer: EnforcerConfig;
  thothHome: string;
  cwd: string;
  /** The PATH the upstream command is looked up on. */
  pathValue: string;
  os: string;
  /**
   * The approval dialog tool and the environment it runs with. The core never
   * runs it: it asks this thread, which builds the command from the question.
   */
  dialog?: { tool: DialogTool; path: string; env: Record<string, string> };
  /** Names of the environment variables the server inherits (recorded, never their values). */
  envKeys: string[];
  /**
   * Who and where the session runs (user, tenant, endpoint, environment),
   * for its `session_start` record: the core may not read the environment.
   */
  identity?: SessionIdentity;
  /** Writes one stderr line (without prefix). */
  note: (message: string) => void;
  /** Whether a fault that escapes the core is told with its stack (`thoth --verbose`). */
  verbose?: boolean;
  /** The worker module; tests substitute one that probes the sandbox first. */
  workerUrl?: URL;
}

/** Resolves the upstream command to an absolute path, or explains why it cannot run. */
export async function resolveUpstream(
  command: string,
  cwd: string,
  pathValue: string,
  os: string,
): Promise<{ path: string } | { error: AppError }> {
  const absolute = command.includes("/") || (os === "windows" && command.includes("\\"))
    ? (isAbsolute(command, os) ? command : `${cwd}${os === "windows" ? "\\" : "/"}${command}`)
    : command;
  const found = await findExecutable(absolute, pathValue, os);
  if (found !== null) {
    // A script whose interpreter is missing would fail as if it did not exist itself.
    const shebang = os === "windows" ? undefined : readShebang(found);
    if (shebang?.crlf === true) return { error: crlfScriptError(command) };
    if (shebang !== undefined && !(await isExecutableFile(shebang.interpreter))) {
      return { error: badInterpreterError(command, shebang.interpreter) };
    }
    // The core can be granted no program this thread may not run itself: the Worker would not start.
    if (!mayRun(found)) {
      return {
        error: explainSpawnError(
          command,
          new Deno.errors.NotCapable(`Requires run access to "${found}"`),
        ),
      };
    }
    return { path: found };
  }
  let exists = false;
  if (absolute !== command || absolute.startsWith("/")) {
    try {
      exists = (await Deno.stat(absolute)).isFile && !(await isExecutableFile(absolute));
    } catch {
      exists = false;
    }
  }
  const error = exists
    ? new Deno.errors.PermissionDenied("not executable")
    : new Deno.errors.NotFound("not found");
  return { error: explainSpawnError(command, error) };
}

function isAbsolute(path: string, os: string): boolean {
  return os === "windows" ? /^[A-Za-z]:[\\/]|^\\\\/.test(path) : path.startsWith("/");
}

/** Runs the session in the sandbox; resolves with thoth's exit code. */
export async function startSandboxedProxy(options: SandboxedProxyOptions): Promise<number> {
  const resolved = await resolveUpstream(
    options.command,
    options.cwd,
    options.pathValue,
    options.os,
  );
  const folders = sessionFolders(options.thothHome, options.enforcer);
  // Made here, as the core would make them, so that its grant covers no more than them.
  await makeFolders(folders);
  let reals: string[];
  try {
    // A folder reached through a link is granted by its real path too, once it is checked.
    reals = await checkSessionFolders({
      thothHome: options.thothHome,
      folders,
      ...(options.enforcer.kind === "local"
        ? { home: options.enforcer.home, clientConfigs: options.enforcer.clientConfigs }
        : {}),
      os: options.os,
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return await refuseSession(options, error);
  }
  const permissions: SandboxPermissions = sandboxPermissions({
    upstream: "path" in resolved ? resolved.path : undefined,
    folders: [...folders, ...reals],
    readOnly: [],
    // Deno starts a program with LD_* or DYLD_* set only under a grant to run any.
    anyProgram: setsLoaderVariable(options.envKeys) && mayRunAnyProgram(),
  });
  // The core may not read /proc: this thread learns the PID namespace and boot for it, so
  // its queued approval requests record them and `thoth approvals` can trust their pid
  // (see host_identity.ts). Learned while the core's modules load (it may start two small
  // programs); the core is sent its start with them, and nothing before it.
  const host = options.enforcer.kind === "local" ? probeHostIdentity(options.os) : undefined;
  const start: WorkerStart = {
    command: "path" in resolved ? resolved.path : options.command,
    args: options.args,
    server: options.server,
    maxLineBytes: options.maxLineBytes,
    graceMs: options.graceMs,
    enforcer: options.enforcer,
    envKeys: options.envKeys,
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    ...(options.verbose === true ? { verbose: true } : {}),
    ...("error" in resolved
      ? {
        upstreamError: {
          code: resolved.error.code,
          message: resolved.error.message,
          hints: [...resolved.error.hints],
          exitCode: resolved.error.exitCode,
        },
      }
      : {}),
  };

  let worker: Worker;
  try {
    worker = new Worker(options.workerUrl ?? new URL("./proxy_worker.ts", import.meta.url), {
      type: "module",
      // deno-lint-ignore no-explicit-any
      deno: { permissions: permissions as any },
    } as WorkerOptions);
  } catch (error) {
    return await refuseSession(options, sandboxUnavailableError(error));
  }

  const dialogs = dialogHost(
    options.dialog === undefined
      ? undefined
      : localDialogRunner(options.dialog, options.dialog.env),
    (message) => worker.postMessage(message),
  );
  // Never rejects (see probeHostIdentity): every later message follows the start.
  const started = (host ?? Promise.resolve(undefined)).then((found) => {
    const enforcer = found === undefined || start.enforcer.kind !== "local"
      ? start.enforcer
      : { ...start.enforcer, host: found };
    worker.postMessage({ type: "start", start: { ...start, enforcer } } satisfies WorkerInbound);
  });
  const signals = stopSignals(options.os);
  const server = new ServerSignaller(options.note);
  let finish: (outcome: WorkerOutbound) => void = () => {};
  // Whether the core has said anything yet: one that failed before it did never read the client.
  let heard = false;
  let unloaded: AppError | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const forward = signals.map((signal) => {
    const handler = () => {
      void started.then(() => worker.postMessage({ type: "stop", signal } satisfies WorkerInbound));
      watchdog ??= setTimeout(() => {
        // The audit log's lock is named when another process holds it: the core's records may
        // be waiting for it (a session without a log has none).
        const lock = options.enforcer.kind === "local"
          ? auditPaths(options.enforcer.thothHome).lock
          : undefined;
        const lines = stuckCoreLines({
          waitedMs: stuckCoreMs(options.graceMs),
          signal,
          ...(server.pid === undefined ? {} : { serverPid: server.pid }),
          ...(lock !== undefined && heldByAnotherProcess(lock) ? { lock } : {}),
        });
        for (const line of lines) options.note(line);
        const left = server.pid === undefined ? server.unvouched : undefined;
        if (left !== undefined) {
          // Not signalled: this thread could not confirm the pid is its child. Say so.
          options.note(
            `the MCP server may still be running as process ${left} (the core named it; thoth ` +
              "could not confirm it is its own child, so it does not signal it): end it with " +
              (options.os === "windows" ? `taskkill /PID ${left} /T /F` : `kill ${left}`),
          );
        }
        void server.kill("SIGKILL").finally(() =>
          finish({ type: "done", exitCode: signalExitCode(signal) })
        );
      }, stuckCoreMs(options.graceMs));
    };
    Deno.addSignalListener(signal, handler);
    return () => Deno.removeSignalListener(signal, handler);
  });
  let exitCode: number;
  try {
    const outcome = await new Promise<WorkerOutbound>((resolve) => {
      finish = resolve;
      worker.onmessage = (event: MessageEvent<WorkerOutbound>) => {
        // The core may have been subverted: what it says is checked, not believed.
        const message = event.data;
        heard = true;
        if (typeof message !== "object" || message === null) return;
        if (message.type === "spawned") {
          // The core signals its server itself unless this thread vouches for the pid.
          void server.spawned(message.pid).then((signals) =>
            worker.postMessage({ type: "server-checked", signals } satisfies WorkerInbound)
          );
        } else if (message.type === "exited") server.exited();
        else if (message.type === "signal") void server.signal(message.signal);
        else if (message.type === "keys") {
          void answerKeyRequest(options.thothHome, message).then((reply) => {
            if (reply !== undefined) worker.postMessage(reply satisfies WorkerInbound);
          });
        } else if (message.type === "dialog") dialogs.show(message.id, message.request);
        else if (message.type === "dialog-cancel") dialogs.cancel(message.id);
        else resolve(message);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        // A core that failed before it said anything (its module did not load) read nothing.
        if (!heard) unloaded = sandboxUnavailableError(new Error(event.message));
        resolve({ type: "failed", message: `error: the proxy core failed: ${event.message}` });
      };
    });
    if (outcome.type === "failed" && unloaded === undefined) {
      for (const line of String(outcome.message).split("\n")) options.note(line);
    }
    exitCode = outcome.type === "done" ? exitCodeOf(outcome.exitCode) : 1;
  } finally {
    clearTimeout(watchdog);
    for (const remove of forward) remove();
    // Each dialog's question file is removed once its window is gone: before thoth exits.
    await dialogs.cancelAll();
    worker.terminate();
  }
  // The client still waits for an answer to its first request: it gets why.
  return unloaded === undefined ? exitCode : await refuseSession(options, unloaded);
}

/**
 * How long after a signal the core may take to stop before this thread ends
 * the session itself: the core's own shutdown (SIGTERM to the server, one
 * grace, SIGKILL, another grace) plus time for the audit log's last batch.
 * The core writes to the client with blocking calls, so a client that stops
 * reading can hold it; the watchdog keeps thoth killable by a plain SIGTERM.
 */
export function stuckCoreMs(graceMs: number): number {
  return 3 * graceMs + 5000;
}

/** An exit code the core reported, if it is one (0 to 255); else 1. */
function exitCodeOf(code: unknown): number {
  return typeof code === "number" && Number.isInteger(code) && code >= 0 && code <= 255 ? code : 1;
}

/** Whether this thread may run `path`, so that it can hand that on to the core. */
function mayRun(path: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "run", command: path }).state === "granted";
  } catch {
    return false;
  }
}

/** Whether this thread may run any program, so that it can hand that on to the core. */
function mayRunAnyProgram(): boolean {
  try {
    return Deno.permissions.querySync({ name: "run" }).state === "granted";
  } catch {
    return false;
  }
}

/**
 * Makes the session's folders (0700, as the core's own code makes them) when
 * they are missing. A failure is left to the core, which reports it as it
 * always has (the audit log cannot be written: calls are refused).
 */
async function makeFolders(folders: readonly string[]): Promise<void> {
  for (const folder of folders) {
    await Deno.mkdir(folder, { recursive: true, mode: 0o700 }).catch(() => {});
  }
}
