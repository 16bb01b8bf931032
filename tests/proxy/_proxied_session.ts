/**
 * An in-process `runProxy()` session over a real server process, its client
 * ends held by the test: messages are sent as lines (several in one write
 * when asked), and what the client gets is read back one message at a time.
 */
import { type ProxyOptions, type ProxyResult, runProxy } from "../../src/proxy/run_proxy.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

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
}

/** Starts a session over `argv` (command and arguments). */
export function proxiedSession(
  argv: readonly string[],
  options: Partial<ProxyOptions> = {},
): ProxiedSession {
  const toProxy = new TransformStream<Uint8Array, Uint8Array>();
  const fromProxy = new TransformStream<Uint8Array, Uint8Array>();
  const notes: string[] = [];
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
  const reader = fromProxy.readable.getReader();
  let buffered = "";
  return {
    notes,
    done,
    send: (...messages: unknown[]) =>
      writer.write(enc.encode(messages.map((m) => JSON.stringify(m) + "\n").join(""))),
    sendBytes: (bytes) => writer.write(bytes),
    close: () => writer.close().catch(() => {}),
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
