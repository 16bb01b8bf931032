/**
 * The unsandboxed thread's hold on the MCP server's process. The sandboxed
 * core may not signal the server's process group, so it names the server's
 * pid once it runs and asks this thread to signal it; but a subverted core
 * could name any pid this user may signal (even -1, every process). So only
 * its first `spawned` message counts, and only for a child of this process
 * (see {@linkcode serverPidProblem}); only SIGTERM and SIGKILL are sent; and
 * the pid is checked again before each signal, in case the server has gone
 * and its pid been reused. Anything else is ignored, with one stderr line.
 * Whose child a process is, `ps` says (Deno lets only a fully privileged
 * process read `/proc`); a pid it cannot vouch for (`ps` failed or is
 * missing) is not signalled, with one warning, and on Windows, where there
 * is no `ps`, no pid the core names is signalled at all: the core ends its
 * own server (see `spawned`, which says whether this thread will).
 *
 * @example
 * ```ts
 * const server = new ServerSignaller(note);
 * server.spawned(message.pid);
 * await server.signal("SIGTERM");
 * ```
 */
import { signalGroup } from "./upstream_spawn.ts";
import {
  GONE,
  type ParentPid,
  parentPidOfPs,
  serverPidProblem,
  UNCHECKED,
} from "./server_pid_problem.ts";
import { psField } from "../platform/ps_field.ts";

/** The signals the core may ask for. */
export type ServerSignal = "SIGTERM" | "SIGKILL";

/** Signals the server the core named, once it is known to be this process's child. */
export class ServerSignaller {
  readonly #note: (message: string) => void;
  readonly #self: number;
  readonly #parentOf: (pid: number) => Promise<ParentPid>;
  readonly #send: (pid: number, signal: ServerSignal) => void;
  #pid: number | undefined;
  /** A pid the core named that this thread could not vouch for (no `ps`, Windows). */
  #unvouched: number | undefined;
  #named = false;
  #exited = false;
  /** The check of the pid the core named, which every signal waits for. */
  #checked: Promise<void> = Promise.resolve();
  #noted = false;

  constructor(
    note: (message: string) => void,
    self: number = Deno.pid,
    parentOf: (pid: number) => Promise<ParentPid> = psParentOf(Deno.build.os),
    send: (pid: number, signal: ServerSignal) => void = signalServer,
  ) {
    this.#note = note;
    this.#self = self;
    this.#parentOf = parentOf;
    this.#send = send;
  }

  /** The server's pid while it runs, as far as this thread believes the core. */
  get pid(): number | undefined {
    return this.#pid;
  }

  /**
   * The pid the core named for its server when this thread could not tell
   * whose child it is (`ps` missing or failing, or Windows): never signalled
   * here, but worth naming to a person when thoth must leave it running.
   */
  get unvouched(): number | undefined {
    return this.#unvouched;
  }

  /**
   * The core says the server runs as `pid`: believed once, for a child of
   * this process. Resolves with whether this thread will signal it; when
   * not, the core signals its server itself.
   */
  spawned(pid: unknown): Promise<boolean> {
    if (this.#named) {
      this.#ignored(`named a second process (${shown(pid)}) as its MCP server`);
      return Promise.resolve(false);
    }
    this.#named = true;
    const plain = serverPidProblem(pid, this.#self);
    if (plain !== undefined) {
      this.#ignored(`named process ${shown(pid)} as its MCP server, but ${plain}`);
      return Promise.resolve(false);
    }
    const named = pid as number;
    const believed = this.#parentOf(named).then((parent) => {
      const problem = serverPidProblem(named, this.#self, parent);
      // A server that exited at once is gone before this thread looks: nothing to signal.
      if (problem === GONE || this.#exited) return false;
      if (problem === UNCHECKED || parent === "unknown") {
        // Not a sign of a subverted core: this system cannot say. The core ends its server.
        this.#unvouched = named;
        if (parent === "unknown") {
          this.#once(
            `thoth cannot tell whether process ${named}, which the proxy core named as its MCP ` +
              "server, is its child (ps could not say), so it will not signal it; the core stops " +
              "its server itself",
          );
        }
        return false;
      }
      if (problem !== undefined) {
        this.#ignored(`named process ${named} as its MCP server, but ${problem}`);
        return false;
      }
      this.#pid = named;
      return true;
    });
    this.#checked = believed.then(() => {});
    return believed;
  }

  /** The core says the server has exited: its pid is no longer the server's. */
  exited(): void {
    this.#exited = true;
    this.#pid = undefined;
    this.#unvouched = undefined;
  }

  /** The core asks for `signal` to the server (its group when it leads one). */
  async signal(signal: unknown): Promise<void> {
    if (signal !== "SIGTERM" && signal !== "SIGKILL") {
      this.#ignored(
        `asked for ${shown(signal)} to its MCP server, but only SIGTERM and SIGKILL are sent`,
      );
      return;
    }
    await this.kill(signal);
  }

  /** Sends `signal` to the server if it still runs as this process's child. */
  async kill(signal: ServerSignal): Promise<void> {
    await this.#checked;
    const pid = this.#pid;
    if (pid === undefined) return;
    const parent = await this.#parentOf(pid);
    if (this.#pid !== pid) return; // It exited meanwhile.
    const problem = serverPidProblem(pid, this.#self, parent);
    if (problem === GONE || problem === UNCHECKED) return;
    if (problem !== undefined) {
      this.#pid = undefined;
      this.#once(
        `not sending ${signal} to process ${pid}: it is no longer the MCP server (${problem})`,
      );
      return;
    }
    this.#send(pid, signal);
  }

  /** What the core said that this thread does not believe or do. */
  #ignored(what: string): void {
    this.#once(
      `the sandboxed proxy core ${what}; ignored, as is anything more of the kind (the core ` +
        "may have been subverted by what it relayed)",
    );
  }

  /** One warning per session: a core that repeats itself fills no log. */
  #once(message: string): void {
    if (this.#noted) return;
    this.#noted = true;
    this.#note(`warning: ${message}`);
  }
}

/**
 * The parent of a process as `ps -o ppid= -p PID` says; `"gone"` when `ps`
 * finds no such process, `"unknown"` when `ps` cannot say (it is missing,
 * or failed: a pid out of its range, say), `"unchecked"` on Windows.
 */
export function psParentOf(os: string): (pid: number) => Promise<ParentPid> {
  if (os === "windows") return () => Promise.resolve("unchecked");
  return async (pid) => {
    const text = await psField(pid, "ppid");
    if (text === undefined) return "unknown";
    if (text === "gone") return "gone";
    return parentPidOfPs(text) ?? "unknown";
  };
}

/** Signals the server's process group (see `spawnUpstream`), else the server alone. */
function signalServer(pid: number, signal: ServerSignal): void {
  if (signalGroup(pid, signal)) return;
  try {
    Deno.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** A value from the core, shown in a note: short, whatever it is. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    text = "?";
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
