/**
 * The benchmark's client: a raw NDJSON JSON-RPC peer over a child process's
 * stdin and stdout, which sends requests with increasing ids and resolves
 * each with its response line, matched by id from the line's end (or start).
 * The child's stderr goes to the benchmark's.
 *
 * @example
 * ```ts
 * const peer = new Peer([Deno.execPath(), "run", "server.ts"], home);
 * const line = await peer.request("tools/call", { name: "echo", arguments: {} });
 * await peer.close();
 * ```
 */
import { joinParts } from "../../src/protocol/byte_parts.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A raw NDJSON client over a child process, matching responses by id. */
export class Peer {
  readonly child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #waiting = new Map<number, (message: string) => void>();
  #nextId = 1;
  readonly #reading: Promise<void>;

  /** Starts `argv` with `home` as its THOTH_HOME (a temp dir, never the real ~/.thoth). */
  constructor(argv: string[], home: string) {
    const [command, ...args] = argv;
    this.child = new Deno.Command(command!, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      env: { ...Deno.env.toObject(), THOTH_HOME: home },
    })
      .spawn();
    this.#writer = this.child.stdin.getWriter();
    this.#reading = this.#read();
  }

  async #read(): Promise<void> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.child.stdout) {
      let start = 0;
      let newline = chunk.indexOf(0x0a);
      while (newline !== -1) {
        chunks.push(chunk.subarray(start, newline));
        this.#dispatch(dec.decode(joinParts(chunks)));
        chunks.length = 0;
        start = newline + 1;
        newline = chunk.indexOf(0x0a, start);
      }
      if (start < chunk.length) chunks.push(chunk.subarray(start));
    }
  }

  #dispatch(line: string): void {
    const match = /"id":(\d+)\}?$/.exec(line.slice(-40)) ?? /"id":(\d+)/.exec(line.slice(0, 40));
    const id = match ? Number(match[1]) : NaN;
    const resolve = this.#waiting.get(id);
    if (resolve) {
      this.#waiting.delete(id);
      resolve(line);
    }
  }

  request(method: string, params: unknown): Promise<string> {
    const id = this.#nextId++;
    const done = new Promise<string>((resolve) => this.#waiting.set(id, resolve));
    void this.#writer.write(
      enc.encode(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n"),
    );
    return done;
  }

  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.child.status;
    await this.#reading.catch(() => {});
  }
}
