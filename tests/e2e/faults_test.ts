/**
 * thoth run under faults real servers will not produce, driven through the
 * real CLI as a subprocess with a raw NDJSON client.
 */
import assert from "node:assert/strict";
import {
  deviceHmacHex,
  faultArgv,
  initializeRequest,
  processState,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "./_harness.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";

const dec = new TextDecoder();

function thothOver(server: string[], flags: string[] = []): RawPeer {
  return new RawPeer(
    throughThoth(server, ["--agent-id", "fault", "--shutdown-grace-ms", "400", ...flags]),
  );
}

const call = (id: number | string, name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

Deno.test("thoth run answers initialize with an error when the server command does not exist", async () => {
  const peer = new RawPeer(thothArgv(["run", "--", "no-such-mcp-server-xyz", "--flag"]));
  try {
    await peer.send(initializeRequest(1));
    const reply = await peer.next();
    assert.equal(reply["id"], 1);
    const error = reply["error"] as { code: number; message: string };
    assert.match(
      error.message,
      /could not start the MCP server: command "no-such-mcp-server-xyz" was not found/,
    );
    const status = await peer.finish();
    assert.equal(status.code, 127);
    assert.match(
      peer.stderr,
      /thoth: error: cannot start the MCP server: command "no-such-mcp-server-xyz" was not found/,
    );
    assert.match(peer.stderr, /thoth: hint: .*absolute path/);
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run says so when the server command is not executable", async () => {
  await using dir = await tempDir();
  const script = `${dir.path}/server.sh`;
  await Deno.writeTextFile(script, "#!/bin/sh\necho hi\n", { mode: 0o644 });
  const peer = new RawPeer(thothArgv(["run", "--", script]));
  try {
    await peer.send(initializeRequest(1));
    const reply = await peer.next();
    assert.match((reply["error"] as { message: string }).message, /"server.sh" is not executable/);
    assert.ok(!JSON.stringify(reply).includes(dir.path), "the wire error leaks no path");
    assert.equal((await peer.finish()).code, 126);
    assert.match(peer.stderr, /chmod \+x/);
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run answers every pending request when the server dies mid-call, and exits with its code", async () => {
  const peer = thothOver(faultArgv(["--exit-code", "7"]));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send(call(2, "slow", { ms: 5000 }));
    await peer.send(call(3, "crash"));
    const answers = [await peer.next(), await peer.next()];
    assert.deepEqual(answers.map((a) => a["id"]).sort(), [2, 3]);
    for (const answer of answers) {
      assert.match(
        (answer["error"] as { message: string }).message,
        /exited \(code 7\) before answering/,
      );
    }
    assert.equal((await peer.finish()).code, 7);
    assert.match(peer.stderr, /the MCP server exited with code 7; answered 2 pending request/);
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run drops garbage stdout lines with a note and relays the rest", async () => {
  const peer = thothOver(faultArgv(["--banner"]));
  try {
    await peer.send(initializeRequest(1));
    const init = await peer.next();
    assert.equal(init["id"], 1, "the banner line never reached the client");
    await peer.send(call(2, "garbage"));
    const reply = await peer.next();
    assert.equal(reply["id"], 2);
    assert.match(JSON.stringify(reply), /after garbage/);
    await peer.finish();
    assert.equal(peer.stderr.match(/dropped a line from the server that is not JSON/g)?.length, 3);
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run relays a 20 MiB response and a 20 MiB request intact, and digests both", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/received.log`;
  const home = `${dir.path}/home`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), ["--agent-id", "fault", "--shutdown-grace-ms", "400"]),
    testEnv({ THOTH_HOME: home }),
  );
  let reply: Record<string, unknown>;
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    const size = 20 * 1024 * 1024;
    await peer.send(call(2, "huge", { bytes: size }));
    reply = await peer.next(60_000);
    const text = ((reply["result"] as { content: { text: string }[] }).content[0]!).text;
    assert.equal(text.length, size);
    const big = "z".repeat(size);
    await peer.send(call(3, "echo", { big }));
    const echoed = await peer.next(60_000);
    assert.equal(echoed["id"], 3);
    assert.ok(JSON.stringify(echoed).length > size, JSON.stringify(echoed).slice(0, 300));
  } finally {
    await peer.finish();
  }
  // The large response was never parsed on the relay's path, yet its outcome
  // carries the device key's HMAC of its exact bytes.
  const records = (await readLogLines(auditPaths(home).dir)).map((l) => l.record!);
  const decisions = records.filter((r) => r["type"] === "decision");
  const outcomeOf = (decision: Record<string, unknown> | undefined) =>
    records.find((r) => r["type"] === "outcome" && r["decisionId"] === decision?.["decisionId"]);
  const raw = new TextEncoder().encode(JSON.stringify(reply));
  assert.deepEqual(outcomeOf(decisions[0])?.["response"], {
    digest: await deviceHmacHex(home, raw),
    bytes: raw.length,
  });
  const echoOutcome = outcomeOf(decisions[1]);
  assert.ok(echoOutcome?.["response"], "the 20 MiB echo answer is digested the same way");
  const verified = await verifyLocalLog(home);
  assert.equal(verified.exitCode, 0, JSON.stringify(verified).slice(0, 2000));
});

Deno.test("thoth run answers a response over --max-line-bytes with an error, then carries on", async () => {
  const peer = thothOver(faultArgv(), ["--max-line-bytes", "1MiB"]);
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send(call(2, "huge", { bytes: 3 * 1024 * 1024 }));
    const reply = await peer.next(30_000);
    assert.equal(reply["id"], 2);
    assert.match((reply["error"] as { message: string }).message, /over thoth's line cap of 1 MiB/);
    await peer.send(call(3, "echo", { after: true }));
    assert.match(JSON.stringify(await peer.next()), /echo: \{\\"after\\":true\}/);
    await peer.finish();
    assert.match(
      peer.stderr,
      /dropped a \d+-byte message from the server: over the 1 MiB line cap/,
    );
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run forwards exact bytes both ways: odd spacing, split writes, CRLF", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/received.log`;
  const peer = thothOver(faultArgv(["--log", log]));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    const odd =
      '{ "params" : {"arguments":{"b":2,"a":"é"},"name":"echo"}, "id":2,"method":"tools/call" ,"jsonrpc":"2.0"}';
    await peer.sendRaw(odd.slice(0, 20));
    await peer.sendRaw(odd.slice(20) + "\r\n");
    await peer.next();
    await peer.send(call(3, "split"));
    const split = await peer.nextLine();
    assert.equal(
      dec.decode(split),
      '{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"split ok ✓"}]}}\n',
    );
    await peer.send(call(4, "crlf"));
    const crlf = dec.decode(await peer.nextLine());
    assert.ok(crlf.endsWith("}\r\n"), "the server's CRLF reaches the client as sent");
    await peer.finish();
    const received = (await Deno.readTextFile(log)).split("\n");
    assert.ok(received.includes(odd), "the server received the client's exact bytes");
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run escalates to SIGTERM and SIGKILL when the server ignores stdin EOF", async () => {
  const peer = thothOver(faultArgv(["--ignore-eof", "--ignore-sigterm"]));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.closeInput();
    // The 60 s only guard a hang; the steps' 400 ms are what thoth's notes name.
    const status = await peer.finish(60_000);
    assert.match(peer.stderr, /did not exit 400 ms after its input closed; sending SIGTERM/);
    assert.match(peer.stderr, /did not exit 400 ms after SIGTERM; sending SIGKILL/);
    assert.equal(status.code, 137, "exits with the killed server's code");
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run stops the server and exits 143 on SIGTERM", async () => {
  const peer = thothOver(faultArgv(["--ignore-eof"]));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send(call(2, "slow", { ms: 10_000 }));
    await new Promise((r) => setTimeout(r, 200));
    peer.child.kill("SIGTERM");
    const pending = await peer.next();
    assert.equal(pending["id"], 2, "the pending call is answered, not left hanging");
    const status = await peer.finish();
    assert.equal(status.code, 143);
    assert.match(peer.stderr, /received SIGTERM; stopping the MCP server/);
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run rejects bad flags with exit 2 and a hint", async () => {
  for (
    const [args, pattern] of [
      [["run", "--enforcement-mode", "strict", "--", "x"], /argument 'strict' is invalid/],
      [["run", "--max-line-bytes", "lots", "--", "x"], /"lots" is not a size/],
      [["run", "--tenant-id", "Not_A_Label", "--", "x"], /is not a DNS label/],
      [["run"], /missing required argument/],
    ] as const
  ) {
    const peer = new RawPeer(thothArgv([...args]));
    const status = await peer.finish();
    assert.equal(status.code, 2, `exit code for ${args.join(" ")}`);
    assert.match(peer.stderr, pattern);
    assert.match(peer.stderr, /thoth: hint:/);
  }
});

/**
 * thoth over the fault server with the client's three pipes in the test's
 * hands (RawPeer always reads stdout; these tests must not). Disposing it
 * kills what is left and waits for it.
 */
function thothWithPipes(
  agentId: string,
  graceMs: number,
  serverFlags: string[] = [],
  env: Record<string, string> = {},
) {
  const [deno, ...argv] = thothArgv([
    "run",
    "--agent-id",
    agentId,
    "--enforcement-mode",
    "observe",
    "--shutdown-grace-ms",
    String(graceMs),
    "--",
    ...faultArgv(serverFlags),
  ]);
  const child = new Deno.Command(deno!, {
    args: argv,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: testEnv(env),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  return {
    child,
    stderr,
    send: (value: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(value) + "\n")),
    closeInput: () => writer.close(),
    async [Symbol.asyncDispose]() {
      await writer.close().catch(() => {});
      await child.stdout.cancel().catch(() => {});
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await child.status;
      await stderr.catch(() => "");
    },
  };
}

/**
 * Reads thoth's stdout until the answer to `id` has begun, then stops
 * reading (without closing it): thoth is then writing the rest of a large
 * answer into a pipe nobody reads, and stays in that write. Waiting for this,
 * not for a fixed time, holds on a machine slow enough that thoth has not
 * yet started its server after seconds.
 */
async function answerBegun(stdout: ReadableStream<Uint8Array>, id: number): Promise<void> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  const mark = `"id":${id},`;
  let tail = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`thoth's stdout ended before the answer to ${id} began`);
      const text = tail + decoder.decode(value, { stream: true });
      if (text.includes(mark)) return;
      tail = text.slice(-mark.length);
    }
  } finally {
    reader.releaseLock();
  }
}

Deno.test("thoth run still exits on SIGTERM, and kills the server, when its client stops reading", async () => {
  // thoth writes to the client with blocking calls: a 4 MiB answer into a
  // pipe nobody reads holds its core, so the sandbox's watchdog must end it.
  // --ignore-eof: the server must not leave by itself when thoth's end of its stdin closes.
  await using thoth = thothWithPipes("stuck", 200, ["--ignore-eof"]);
  const { child, stderr } = thoth;
  await thoth.send(initializeRequest(1));
  await thoth.send(call(2, "huge", { bytes: 4 * 1024 * 1024 }));
  await answerBegun(child.stdout, 2);
  child.kill("SIGTERM");
  // The 60 s only guard a hang; how long the watchdog waits is what its note names.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = await Promise.race([
    child.status,
    new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), 60_000)),
  ]).finally(() => clearTimeout(timer));
  assert.ok(status !== undefined, "thoth was still running 60 s after SIGTERM");
  const text = await stderr;
  assert.equal(status.code, 143);
  const match =
    /did not stop (\d+) ms after SIGTERM .*killing the MCP server \(pid (\d+)\) and exiting/
      .exec(text);
  assert.ok(match, `stderr names the stuck core and the killed server:\n${text}`);
  assert.equal(Number(match[1]), 3 * 200 + 5000);
  if (Deno.build.os === "linux") {
    const pid = Number(match[2]);
    let state = await processState(pid);
    for (let i = 0; i < 50 && state !== undefined && state !== "Z"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await processState(pid);
    }
    assert.ok(state === undefined || state === "Z", `the server (pid ${pid}) is gone: ${state}`);
  }
});

Deno.test("a stuck core whose server thoth cannot vouch for (no ps) names the server it leaves running", async () => {
  if (Deno.build.os === "windows") return;
  // PATH without ps: the main thread cannot tell whose child the server is, so it never
  // signals it; when the watchdog must end a stuck core, it says which process is left.
  await using empty = await tempDir("thoth-no-ps-");
  const pidFile = `${empty.path}/server.pid`;
  await using thoth = thothWithPipes("stuck-no-ps", 200, ["--ignore-eof", "--pid-file", pidFile], {
    PATH: empty.path,
  });
  const { child, stderr } = thoth;
  await thoth.send(initializeRequest(1));
  await thoth.send(call(2, "huge", { bytes: 4 * 1024 * 1024 }));
  await answerBegun(child.stdout, 2);
  child.kill("SIGTERM");
  const status = await child.status;
  // The server left running holds thoth's stderr open: end it before reading.
  const server = Number((await Deno.readTextFile(pidFile)).trim());
  try {
    Deno.kill(server, "SIGKILL");
  } catch {
    // Already gone.
  }
  const text = await stderr;
  assert.equal(status.code, 143);
  assert.doesNotMatch(text, /subverted/, text);
  const left = /may still be running as process (\d+) .*end it with kill (\d+)/.exec(text);
  assert.ok(left, `stderr names the server left running:\n${text}`);
  assert.equal(Number(left[1]), server);
  assert.equal(left[1], left[2]);
});

Deno.test("thoth run notes once that the client stopped listening, and still ends cleanly", async () => {
  await using thoth = thothWithPipes("deaf", 400);
  const { child, stderr } = thoth;
  await thoth.send(initializeRequest(1));
  const reader = child.stdout.getReader();
  const first = await reader.read();
  assert.match(new TextDecoder().decode(first.value), /"id":1/);
  await reader.cancel(); // the read end of thoth's stdout is closed now
  for (let id = 2; id < 6; id++) await thoth.send(call(id, "echo", { n: id }));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await thoth.closeInput();
  const status = await child.status;
  const text = await stderr;
  assert.equal(status.code, 0, `exits with the server's code:\n${text}`);
  const notes = text.match(/cannot write to the client \(.*\); it may have gone away/g) ?? [];
  assert.equal(notes.length, 1, `one note, not one per message:\n${text}`);
  assert.doesNotMatch(text, /internal error/);
});
