/**
 * A raw MCP client for approval tests of the real CLI: `thoth run` (from
 * source, with its manifest permissions) around the fault server, under a
 * temp THOTH_HOME with the given policy. Every line thoth writes to the
 * client is kept in order, so a test can wait for one (a form, a withdrawal,
 * an answer) while others arrive. No desktop dialog: approvals go to the
 * client or the queue.
 */
import { faultArgv, testEnv, thothArgv, throughThoth } from "../e2e/_harness.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { tempFolder } from "../_temp_dirs.ts";

// deno-lint-ignore no-explicit-any
export type Json = any;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The environment without a desktop session: no dialog can be shown. */
const NO_DESKTOP = { DISPLAY: "", WAYLAND_DISPLAY: "" };

/** `_meta` of a 2026-07-28 request from a client that can show forms. */
export const STATELESS_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
};

/** A `tools/call` request. */
export function toolCall(
  id: number | string,
  name: string,
  args: unknown,
  extra: Record<string, unknown> = {},
) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args, ...extra } };
}

/** A policy that allows every call but asks a person before `delete_everything`. */
export const ASK_BEFORE_DELETE = {
  version: 1,
  default: "allow",
  rules: [{ id: "ask-del", match: { tool: "delete_everything" }, decision: "step_up" }],
};

/** `thoth run` flags: block mode, a person given `seconds` to answer. */
export function blockFlags(seconds: number): string[] {
  return ["--enforcement-mode", "block", "--approval-timeout", String(seconds)];
}

/** How to start a {@linkcode GovernedPeer}. */
export interface PeerOptions {
  /** `thoth run` flags before `--` (the mode, the timeout). */
  flags: string[];
  /**
   * Client capabilities for `initialize`, whose answer `start` waits for.
   * When absent, an `initialize` without capabilities is written without
   * waiting (thoth holds a call sent with it until the server answered: it
   * refuses an `initialize`-era call it must list the tools for before the
   * handshake), and `start` returns before thoth has read anything.
   */
  capabilities?: Record<string, unknown>;
  /** The client's name in `initialize`. */
  clientName?: string;
  /** The client's version in `initialize` (default `1.0.0`). */
  clientVersion?: string;
  env?: Record<string, string>;
}

/** `thoth run` around the fault server, driven line by line. */
export class GovernedPeer {
  readonly messages: Json[] = [];
  readonly home: string;
  /** Where the fault server logs every message it receives. */
  readonly log: string;
  readonly child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reading: Promise<void>;
  readonly #stderrDone: Promise<void>;
  #stderr = "";
  #closed = false;
  #waiters: (() => void)[] = [];

  private constructor(home: string, log: string, options: PeerOptions) {
    this.home = home;
    this.log = log;
    const [command, ...args] = throughThoth(faultArgv(["--log", log]), [
      "--agent-id",
      "fault",
      ...options.flags,
    ]);
    const child = new Deno.Command(command!, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: testEnv({ THOTH_HOME: home, ...NO_DESKTOP, ...options.env }),
    }).spawn();
    this.child = child;
    this.#writer = child.stdin.getWriter();
    this.#reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of child.stdout) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf("\n")) !== -1) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 1);
          try {
            this.messages.push(JSON.parse(line));
          } catch {
            this.messages.push({ unparsed: line });
          }
        }
        this.#wake();
      }
      this.#closed = true;
      this.#wake();
    })();
    this.#stderrDone = (async () => {
      for await (const chunk of child.stderr) this.#stderr += dec.decode(chunk);
      this.#wake();
    })();
  }

  /** Starts thoth with `policy` in a fresh THOTH_HOME, and initializes (see `PeerOptions`). */
  static async start(policy: unknown, options: PeerOptions): Promise<GovernedPeer> {
    const dir = await tempFolder("thoth-approval-e2e-");
    const home = `${dir}/home`;
    await Deno.mkdir(home);
    await Deno.writeTextFile(`${home}/policy.jsonc`, JSON.stringify(policy));
    const peer = new GovernedPeer(home, `${dir}/server.log`, options);
    await peer.send({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: options.capabilities ?? {},
        clientInfo: {
          name: options.clientName ?? "approval-e2e",
          version: options.clientVersion ?? "1.0.0",
        },
      },
    });
    if (options.capabilities !== undefined) await peer.wait((m) => m.id === "init", 30_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    return peer;
  }

  get stderr(): string {
    return this.#stderr;
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async send(message: unknown): Promise<void> {
    await this.#writer.write(enc.encode(JSON.stringify(message) + "\n"));
  }

  /** The first message (from the start) that `match` accepts; throws after `timeoutMs`. */
  async wait(match: (message: Json) => boolean, timeoutMs = 15_000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = this.messages.find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (this.#closed || left <= 0) {
        throw new Error(
          `no such message from thoth (${this.#closed ? "it closed" : "timed out"}); got ${
            JSON.stringify(this.messages).slice(0, 2000)
          }\nstderr:\n${this.#stderr}`,
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, Math.min(left, 200));
      });
      clearTimeout(timer);
    }
  }

  /** Waits until `stderr` matches `pattern`; returns the match. */
  async waitStderr(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = this.#stderr.match(pattern);
      if (found !== null) return found;
      if (Date.now() > deadline) {
        throw new Error(`stderr never matched ${pattern}:\n${this.#stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The `tools/call` requests the server received. */
  async serverCalls(): Promise<Json[]> {
    let text = "";
    try {
      text = await Deno.readTextFile(this.log);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))
      .filter((m) => m.method === "tools/call");
  }

  /** Ends the session (client EOF) and waits for thoth to exit; kills it after 20 s. */
  async finish(): Promise<Deno.CommandStatus> {
    await this.#writer.close().catch(() => {});
    const timer = setTimeout(() => {
      try {
        this.child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 20_000);
    const status = await this.child.status;
    clearTimeout(timer);
    await this.#reading.catch(() => {});
    await this.#stderrDone.catch(() => {});
    return status;
  }
}

/** Runs the real `thoth` CLI (`thoth approvals …`, `thoth audit …`) against `home`. */
export async function thothCli(
  home: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, ...rest] = thothArgv(args);
  const out = await new Deno.Command(command!, {
    args: rest,
    env: testEnv({ THOTH_HOME: home, ...env }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The records of `home`'s audit log of type `type`, in order. */
export async function auditRecords(home: string, type: string): Promise<Json[]> {
  return (await readLogLines(auditPaths(home).dir))
    .map((line) => line.record)
    .filter((record) => record !== undefined && record["type"] === type);
}

/** The queue id thoth's stderr names for a request waiting for approval. */
export async function queuedId(peer: GovernedPeer): Promise<string> {
  return (await peer.waitStderr(/thoth approvals approve ([a-z0-9]{8})/))[1]!;
}
