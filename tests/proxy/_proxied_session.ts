/**
 * An in-process `runProxy()` session over a real server process, its client
 * ends held by the test: messages are sent as lines (several in one write
 * when asked), and what the client gets is read back one message at a time,
 * or all that is left once the session has ended.
 */
import { type ProxyOptions, type ProxyResult, runProxy } from "../../src/proxy/run_proxy.ts";

const enc = new TextEncoder();

/** `runProxy()`'s options for a session, and how its client reads. */
export interface SessionOptions extends Partial<ProxyOptions> {
  /**
   * Reads the output as it comes, as a client that keeps reading does. By
   * default it is read only when `next()` or `end()` asks, so the proxy's
   * writes to the client wait until then.
   */
  eager?: boolean;
}

/** A running session and the client's ends of it. */
export interface ProxiedSession {
  notes: string[];
  done: Promise<ProxyResult>;
  /** Writes the messages as lines in one write; resolves once the proxy has read it. */
  send(...messages: unknown[]): Promise<void>;
  /** Writes raw bytes; resolves once the proxy has read them. */
  sendBytes(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** The next message the client gets; throws after `ms` or at the end of the output. */
  next(ms?: number): Promise<Record<string, unknown>>;
  /**
   * Closes the client's input and waits for the session's end; returns its
   * result and what the client got that `next()` did not take, as text and
   * as its non-empty lines.
   */
  end(): Promise<{ result: ProxyResult; text: string; lines: string[] }>;
}

/**
 * Starts a session over `argv` (command and arguments).
 *
 * @example
 * ```ts
 * const s = proxiedSession(faultArgv(), { graceMs: 1000 });
 * await s.send(initializeRequest(1));
 * assert.ok((await s.next())["result"]);
 * const { result } = await s.end();
 * ```
 */
export function proxiedSession(
  argv: readonly string[],
  { eager = false, ...options }: SessionOptions = {},
): ProxiedSession {
  const toProxy = new TransformStream<Uint8Array, Uint8Array>();
  const fromProxy = new TransformStream<Uint8Array, Uint8Array>();
  const notes: string[] = [];
  const dec = new TextDecoder();
  const [command, ...args] = argv;
  const done = runProxy({
    command: command!,
    args,
    server: "fault",
    clientIn: toProxy.readable,
    clientOut: fromProxy.writable,
    note: (m) => notes.push(m),
    graceMs: 300,
    ...options,
  });
  const writer = toProxy.writable.getWriter();
  // Eager: an identity stream that never pushes back takes each chunk as it comes.
  const output = eager
    ? fromProxy.readable.pipeThrough(
      new TransformStream(undefined, undefined, { highWaterMark: Infinity }),
    )
    : fromProxy.readable;
  const reader = output.getReader();
  let buffered = "";
  const close = () => writer.close().catch(() => {});
  return {
    notes,
    done,
    send: (...messages: unknown[]) =>
      writer.write(enc.encode(messages.map((m) => JSON.stringify(m) + "\n").join(""))),
    sendBytes: (bytes) => writer.write(bytes),
    close,
    async next(ms = 5000): Promise<Record<string, unknown>> {
      const deadline = Date.now() + ms;
      while (!buffered.includes("\n")) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const read = await Promise.race([
          reader.read(),
          new Promise<"late">((resolve) =>
            timer = setTimeout(() => resolve("late"), Math.max(0, deadline - Date.now()))
          ),
        ]).finally(() => clearTimeout(timer));
        if (read === "late") {
          throw new Error(`no message within ${ms} ms; notes:\n${notes.join("\n")}`);
        }
        if (read.done) throw new Error(`the output ended; notes:\n${notes.join("\n")}`);
        buffered += dec.decode(read.value, { stream: true });
      }
      const newline = buffered.indexOf("\n");
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      return JSON.parse(line);
    },
    async end() {
      await close();
      const rest = (async () => {
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          buffered += dec.decode(read.value, { stream: true });
        }
      })();
      const [result] = await Promise.all([done, rest]);
      const text = buffered + dec.decode();
      buffered = "";
      return { result, text, lines: text.split("\n").filter((l) => l !== "") };
    },
  };
}

/** Resolves with `promise`'s value, or rejects after `ms` (a hang fails the test, not the run). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms)
    ),
  ]).finally(() => clearTimeout(timer));
}

/** A `tools/call` of the fixture's `echo` tool whose line is a little over `bytes` long. */
export function echoCall(id: number, bytes: number) {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "echo", arguments: { pad: "x".repeat(bytes) } },
  };
}
