// deno-lint-ignore-file no-console -- a script: printing is its job
/**
 * The second baseline for `deno task bench`: the least a governing relay can
 * do in this runtime, so that thoth's figures can be read against what is
 * possible here and not only against a byte pipe. It does, per message, only
 * what the relay, policy and audit issues cannot do without:
 *
 * - it runs in a Worker with narrowed permissions (the sandbox thoth's core
 *   runs in), reading this process's stdin and writing its stdout (with
 *   blocking writes, as thoth does);
 * - it cuts the byte streams into lines and parses every line as JSON, both
 *   ways (requests must be seen to be decided, answers to be matched);
 * - for each `tools/call` it writes one small record to a file,
 *   synchronously, before the call is forwarded (evidence first).
 *
 * It decides nothing (every call is forwarded), digests nothing, keeps no
 * pending calls, chains and signs nothing, and handles no faults: a floor,
 * not a product.
 *
 * Usage: `deno run --allow-read --allow-write --allow-run --unstable-worker-options
 * bench/floor_relay.ts -- <command> [args...]`
 */

import { joinParts } from "../src/protocol/byte_parts.ts";

/** What the main side sends the worker. */
interface Start {
  command: string;
  args: string[];
  spool: string;
}

const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
  "undefined";

if (inWorker) {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<Start>) => void) | null;
    postMessage(code: number): void;
  };
  scope.onmessage = (event) => {
    relay(event.data).then((code) => scope.postMessage(code), () => scope.postMessage(1));
  };
} else {
  const separator = Deno.args.indexOf("--");
  const [command, ...args] = Deno.args.slice(separator + 1);
  if (command === undefined) {
    console.error("usage: floor_relay.ts -- <command> [args...]");
    Deno.exit(2);
  }
  const dir = await Deno.makeTempDir({ prefix: "thoth-bench-floor-" });
  const worker = new Worker(import.meta.url, {
    type: "module",
    deno: {
      permissions: {
        read: [dir],
        write: [dir],
        run: [command],
        env: false,
        net: false,
        ffi: false,
        sys: false,
        import: false,
      },
    },
  } as WorkerOptions);
  const code = await new Promise<number>((resolve) => {
    worker.onmessage = (event: MessageEvent<number>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      console.error(`floor_relay: ${event.message}`);
      resolve(1);
    };
    worker.postMessage({ command, args, spool: `${dir}/spool.jsonl` } satisfies Start);
  });
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  Deno.exit(code);
}

async function relay(start: Start): Promise<number> {
  const child = new Deno.Command(start.command, {
    args: start.args,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const spool = Deno.openSync(start.spool, { append: true, create: true });
  const encoder = new TextEncoder();
  const record = (parsed: unknown) => {
    const message = parsed as { id?: unknown; method?: unknown; params?: { name?: unknown } };
    if (message.method !== "tools/call") return;
    const line = JSON.stringify({ type: "decision", id: message.id, tool: message.params?.name });
    let bytes = encoder.encode(line + "\n");
    while (bytes.length > 0) bytes = bytes.subarray(spool.writeSync(bytes));
  };
  const up = pump(Deno.stdin.readable, child.stdin, record);
  // The client side is written with blocking calls, as thoth's core writes it.
  const toClient = new WritableStream<Uint8Array>({
    write(chunk) {
      let rest = chunk;
      while (rest.length > 0) rest = rest.subarray(Deno.stdout.writeSync(rest));
    },
  });
  const down = pump(child.stdout, toClient, () => {}, { preventClose: true });
  const status = await child.status;
  await Promise.race([down, new Promise((resolve) => setTimeout(resolve, 200))]);
  void up;
  spool.close();
  return status.code;
}

/**
 * Reads `from`, parses each complete line, then writes the chunk to `to`
 * unchanged, without waiting for the write (no back-pressure: a floor).
 */
async function pump(
  from: ReadableStream<Uint8Array>,
  to: WritableStream<Uint8Array>,
  onMessage: (message: unknown) => void,
  options: { preventClose?: boolean } = {},
): Promise<void> {
  const reader = from.getReader();
  const writer = to.getWriter();
  const decoder = new TextDecoder();
  const carried: Uint8Array[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let start = 0;
      for (let end = value.indexOf(0x0a); end !== -1; end = value.indexOf(0x0a, start)) {
        const line = carried.length === 0
          ? value.subarray(start, end)
          : joinParts([...carried.splice(0), value.subarray(start, end)]);
        onMessage(JSON.parse(decoder.decode(line)));
        start = end + 1;
      }
      if (start < value.length) carried.push(value.slice(start));
      writer.write(value).catch(() => {});
    }
  } catch {
    // A closed pipe ends this direction.
  }
  if (!options.preventClose) await writer.close().catch(() => {});
}
