/**
 * `bench/floor_relay.ts`, the benchmark's floor of a governing relay, as a
 * real subprocess in front of the fault server: it must relay faithfully
 * (lines split across many writes, lines longer than one read) and end with
 * the server's exit code, or the figures `deno task bench` prints for it
 * would describe a relay that does not work.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const DENO = Deno.execPath();

function spawnFloor(): Deno.ChildProcess {
  return new Deno.Command(DENO, {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--unstable-worker-options",
      `${ROOT}/bench/floor_relay.ts`,
      "--",
      DENO,
      "run",
      "--quiet",
      "--allow-read",
      `${ROOT}/tests/fixtures/proxy/fault_server.ts`,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads one line at a time from `stream`, failing after `ms` instead of hanging. */
class LineReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #text = "";

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  async next(ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    let newline = this.#text.indexOf("\n");
    while (newline === -1) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no whole line within ${ms} ms`)),
          Math.max(0, deadline - Date.now()),
        );
      });
      const { value, done } = await Promise.race([this.#reader.read(), timeout]).finally(() =>
        clearTimeout(timer)
      );
      if (done) throw new Error("the relay closed its output");
      this.#text += this.#decoder.decode(value, { stream: true });
      newline = this.#text.indexOf("\n");
    }
    const line = this.#text.slice(0, newline);
    this.#text = this.#text.slice(newline + 1);
    return line;
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

Deno.test("the floor relay relays split and long lines both ways and ends with the server", async () => {
  const child = spawnFloor();
  const writer = child.stdin.getWriter();
  const lines = new LineReader(child.stdout);
  // One request at a time: the fault server writes its split answer in pieces.
  const call = async (id: number, method: string, params: unknown) => {
    await writer.write(
      new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n"),
    );
    const message = JSON.parse(await lines.next(20_000));
    assert.equal(message.id, id);
    return message.result;
  };
  const text = (result: { content?: { text?: string }[] }) => result.content?.[0]?.text;
  try {
    assert.equal((await call(1, "initialize", {})).serverInfo?.name, "fault-server");
    // An answer written 7 bytes at a time.
    assert.equal(text(await call(2, "tools/call", { name: "split", arguments: {} })), "split ok ✓");
    // A request longer than one read (64 KiB) reaches the server whole.
    const long = "y".repeat(300 * 1024);
    assert.equal(
      text(await call(3, "tools/call", { name: "echo", arguments: { long } })),
      `echo: ${JSON.stringify({ long })}`,
    );
    const huge = await call(4, "tools/call", { name: "huge", arguments: { bytes: 500 * 1024 } });
    assert.equal(text(huge)?.length, 500 * 1024);
  } finally {
    await writer.close().catch(() => {});
  }
  const status = await child.status;
  await lines.close();
  const stderr = new TextDecoder().decode(
    new Uint8Array(await new Response(child.stderr).arrayBuffer()),
  );
  assert.equal(status.code, 0, stderr);
});
