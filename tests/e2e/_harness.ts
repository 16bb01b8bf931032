/**
 * Shared plumbing for end-to-end tests: how to start the real thoth CLI and
 * the real MCP servers as subprocesses, and a raw NDJSON peer for tests that
 * need exact bytes.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { THOTH_V8_FLAGS } from "../../src/platform/v8_flags.ts";
import { joinParts } from "../../src/protocol/byte_parts.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Every process a test starts gets its own THOTH_HOME under a temp dir: a test
 * never touches the real ~/.thoth. Removed when the test module unloads.
 */
export const TEST_THOTH_HOME = Deno.makeTempDirSync({ prefix: "thoth-test-home-" });
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(TEST_THOTH_HOME, { recursive: true });
  } catch {
    // Already gone.
  }
});

/** The environment for a child process: this one's, with the test THOTH_HOME. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...Deno.env.toObject(), THOTH_HOME: TEST_THOTH_HOME, ...extra };
}
export const DENO = Deno.execPath();
export const CONFIG = `${ROOT}/deno.json`;
/** The V8 flags thoth's tasks and binaries run with. */
export const V8_FLAGS = THOTH_V8_FLAGS;

/** The argv that runs thoth from source with its manifest permission set. */
export function thothArgv(args: readonly string[]): string[] {
  return [
    DENO,
    "run",
    "-P=thoth",
    "--no-remote",
    "--quiet",
    `--config=${CONFIG}`,
    `${ROOT}/src/cli/thoth.ts`,
    ...args,
  ];
}

const SERVER_FLAGS = [
  "run",
  "--quiet",
  `--config=${CONFIG}`,
  "--allow-read",
  "--allow-env",
  "--allow-sys",
];

/** server-everything over stdio. */
export function everythingArgv(): string[] {
  return [DENO, ...SERVER_FLAGS, "npm:@modelcontextprotocol/server-everything@2026.8.31", "stdio"];
}

/** server-filesystem allowed to touch `dir` only. */
export function filesystemArgv(dir: string): string[] {
  return [
    DENO,
    ...SERVER_FLAGS,
    "--allow-write",
    "npm:@modelcontextprotocol/server-filesystem@2026.8.31",
    dir,
  ];
}

/** server-memory with its store in `file`. */
export function memoryArgv(): string[] {
  return [
    DENO,
    ...SERVER_FLAGS,
    "--allow-write",
    "npm:@modelcontextprotocol/server-memory@2026.8.31",
  ];
}

/** The fault server fixture with the given flags. */
export function faultArgv(flags: readonly string[] = []): string[] {
  return [
    DENO,
    "run",
    "--quiet",
    "--allow-read",
    "--allow-write",
    `${ROOT}/tests/fixtures/proxy/fault_server.ts`,
    ...flags,
  ];
}

/** A connected SDK client plus everything thoth wrote to stderr. */
/** The name and version the tests' SDK client gives in `initialize`. */
export const E2E_CLIENT_INFO = { name: "thoth-e2e", version: "1.0.0" } as const;

export interface Connected {
  client: Client;
  /** What thoth wrote to stderr so far: a note may arrive after the answer it is about. */
  stderr: () => string;
  /** Waits up to `ms` for stderr to match `pattern`, then returns what it holds. */
  stderrMatching: (pattern: RegExp, ms?: number) => Promise<string>;
  /** Closes the client, then waits (at most 5 s) for the end of the process's stderr. */
  close: () => Promise<void>;
}

/** Connects the official SDK client to `argv` (a server, or thoth wrapping one). */
export async function connect(
  argv: readonly string[],
  capabilities: ClientCapabilities = {},
  env?: Record<string, string>,
  setup?: (client: Client) => void,
  cwd?: string,
): Promise<Connected> {
  const [command, ...args] = argv;
  const transport = new StdioClientTransport({
    command: command!,
    args,
    stderr: "pipe",
    env: testEnv(env),
    ...(cwd === undefined ? {} : { cwd }),
  });
  let stderr = "";
  const decoder = new TextDecoder();
  transport.stderr?.on("data", (chunk: Uint8Array | string) => {
    stderr += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  });
  const ended = new Promise<void>((resolve) => {
    if (transport.stderr === null) resolve();
    transport.stderr?.on("end", () => resolve());
    transport.stderr?.on("close", () => resolve());
  });
  const client = new Client({ ...E2E_CLIENT_INFO }, { capabilities });
  setup?.(client);
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    stderrMatching: async (pattern, ms = 3000) => {
      for (let waited = 0; !pattern.test(stderr) && waited < ms; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return stderr;
    },
    close: async () => {
      await client.close();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        ended,
        new Promise((resolve) => timer = setTimeout(resolve, 5000)),
      ]);
      clearTimeout(timer);
    },
  };
}

/**
 * Wraps a server argv in `thoth run`. Relay tests run in `observe` mode (every
 * call is decided and recorded, none is refused) unless `flags` name a mode.
 */
export function throughThoth(server: readonly string[], flags: readonly string[] = []): string[] {
  const mode = flags.includes("--enforcement-mode") ? [] : ["--enforcement-mode", "observe"];
  return thothArgv(["run", ...mode, ...flags, "--", ...server]);
}

/** A raw NDJSON peer on a spawned process: exact bytes in, lines out. */
export class RawPeer {
  readonly child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer: Uint8Array = new Uint8Array(0);
  #stderr = "";
  readonly #stderrDone: Promise<void>;

  constructor(argv: readonly string[], env?: Record<string, string>) {
    const [command, ...args] = argv;
    const child = new Deno.Command(command!, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: env ?? testEnv(),
    }).spawn();
    this.child = child;
    this.#writer = child.stdin.getWriter();
    this.#reader = child.stdout.getReader();
    this.#stderrDone = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of child.stderr) {
        this.#stderr += decoder.decode(chunk, { stream: true });
      }
    })();
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Writes raw bytes or a string as is. */
  async sendRaw(data: string | Uint8Array): Promise<void> {
    await this.#writer.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
  }

  /** Writes one message as a JSON line. */
  async send(message: unknown): Promise<void> {
    await this.sendRaw(JSON.stringify(message) + "\n");
  }

  /** The next raw line including its terminator, or undefined at EOF. */
  async nextLine(timeoutMs = 15_000): Promise<Uint8Array | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const newline = this.#buffer.indexOf(0x0a);
      if (newline !== -1) {
        const line = this.#buffer.slice(0, newline + 1);
        this.#buffer = this.#buffer.subarray(newline + 1);
        return line;
      }
      // Gather chunks until one holds a newline, then join once (no quadratic copying).
      const chunks: Uint8Array[] = [this.#buffer];
      while (true) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          this.#buffer = joinParts(chunks);
          throw new Error(`no line from the peer within ${timeoutMs} ms; stderr:\n${this.#stderr}`);
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const result = await Promise.race([
          this.#reader.read(),
          new Promise<"timeout">((resolve) =>
            timer = setTimeout(() => resolve("timeout"), remaining)
          ),
        ]).finally(() => clearTimeout(timer));
        if (result === "timeout") continue;
        if (result.done) {
          this.#buffer = joinParts(chunks);
          return undefined;
        }
        chunks.push(result.value);
        if (result.value.includes(0x0a)) break;
      }
      this.#buffer = joinParts(chunks);
    }
  }

  /** The next message, parsed. */
  async next(timeoutMs?: number): Promise<Record<string, unknown>> {
    const line = await this.nextLine(timeoutMs);
    if (line === undefined) throw new Error(`the peer closed its output; stderr:\n${this.#stderr}`);
    return JSON.parse(new TextDecoder().decode(line));
  }

  /** Reads messages until one has the given id. */
  async responseTo(id: unknown, timeoutMs?: number): Promise<Record<string, unknown>> {
    while (true) {
      const message = await this.next(timeoutMs);
      if (message["id"] === id && !("method" in message)) return message;
    }
  }

  /** Closes our end of the peer's stdin. */
  async closeInput(): Promise<void> {
    await this.#writer.close().catch(() => {});
  }

  /** Waits for exit; kills after `timeoutMs`. Always releases every resource. */
  async finish(timeoutMs = 20_000): Promise<Deno.CommandStatus> {
    await this.closeInput();
    const timer = setTimeout(() => {
      try {
        this.child.kill("SIGKILL");
      } catch { /* gone */ }
    }, timeoutMs);
    const status = await this.child.status;
    clearTimeout(timer);
    await this.#reader.cancel().catch(() => {});
    await this.#stderrDone.catch(() => {});
    return status;
  }
}

/** An `initialize` request for raw tests. */
export function initializeRequest(
  id: number | string = 0,
  capabilities: Record<string, unknown> = {},
) {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities,
      clientInfo: { name: "raw-e2e", version: "1.0.0" },
    },
  };
}

/** {@linkcode initializeRequest} as the line a client writes to thoth's stdin. */
export function initializeLine(id: number | string = 1): string {
  return JSON.stringify(initializeRequest(id)) + "\n";
}

/** A fresh temp dir removed by the returned disposer. */
export async function tempDir(
  prefix = "thoth-e2e-",
): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * The HMAC-SHA256 (hex) of `bytes` under the device audit key of the profile
 * `home`, computed by Web Crypto: what a digest in that profile's log must equal.
 */
export async function deviceHmacHex(home: string, bytes: Uint8Array): Promise<string> {
  const { hmacRaw } = await loadDeviceKeys(home, new Date());
  const key = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(hmacRaw),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new Uint8Array(bytes)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A process's state letter from `/proc` on Linux ("S", "R", "Z", …), or
 * undefined when there is no such process. Read by a separate `deno eval
 * -A`, because the test permission set may not read `/proc/<pid>`.
 */
export async function processState(pid: number): Promise<string | undefined> {
  const script = `try {
    const stat = Deno.readTextFileSync("/proc/${pid}/stat");
    console.log(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]);
  } catch {
    console.log("-");
  }`;
  const { stdout } = await new Deno.Command(DENO, {
    args: ["eval", "-A", script],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const state = new TextDecoder().decode(stdout).trim();
  return state === "-" ? undefined : state;
}

/**
 * A session started by `tests/fixtures/sandbox/session_probe_main.ts`: the
 * real sandbox around a probing worker that `probe` names, relaying to the
 * server `server` (argv).
 */
export function sandboxProbe(
  probe: Record<string, unknown>,
  server: readonly string[],
  env?: Record<string, string>,
): RawPeer {
  return new RawPeer([
    DENO,
    "run",
    "-P=thoth",
    "--no-remote",
    "--quiet",
    `--config=${CONFIG}`,
    `${ROOT}/tests/fixtures/sandbox/session_probe_main.ts`,
    JSON.stringify(probe),
    "--",
    ...server,
  ], env);
}

/** Waits until `pid` is gone (or a zombie no one reaps); false if it still runs after `ms`. */
export async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await processState(pid);
    if (state === undefined || state === "Z") return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads the pid a fault server wrote, waiting for the file to appear. */
export async function pidFrom(file: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    try {
      const text = await Deno.readTextFile(file);
      if (text.trim() !== "") return Number(text.trim());
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no pid in ${file}`);
}

/** Kills a server a failed test may have left behind. */
export function killQuietly(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // Gone.
  }
}
