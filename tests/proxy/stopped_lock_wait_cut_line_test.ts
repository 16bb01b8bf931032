/**
 * A session stopped while its start waits for the audit log's lock answers
 * a request the client had sent only in part by then (it was still writing
 * it, or the line is longer than thoth reads while it waits) by the id its
 * first bytes show; when they show none, or thoth read no further than its
 * bound, stderr says a request may have gone unanswered. Pure plans, the
 * watch's bound, and `thoth run` for real (from source, under a temp
 * THOTH_HOME, a lock holder, SIGTERM).
 */
import assert from "node:assert/strict";
import { AppError } from "../../src/errors.ts";
import { ClientInputWatch } from "../../src/proxy/client_input_watch.ts";
import { stoppedWaitPlan } from "../../src/proxy/stopped_lock_wait.ts";
import { faultArgv, RawPeer, tempDir, testEnv, throughThoth } from "../e2e/_harness.ts";
import { holdLock } from "../_hold_lock.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

const error = new AppError(
  "audit.lock_wait_ended",
  'cannot write the audit log in "/h/audit": received SIGTERM while waiting for its lock ' +
    '"/h/audit/.lock", which another process holds',
);

/** An `initialize` request whose line is `pad` bytes longer, as its start (no end). */
function initializeHead(pad: number): string {
  return '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":' +
    '"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1","pad":"' +
    "A".repeat(pad);
}

Deno.test("stoppedWaitPlan() answers a request read only up to the watch's bound by the id in its first bytes", () => {
  const head = enc.encode(initializeHead(1024 * 1024));
  const chunks = [head.subarray(0, 4093), head.subarray(4093)];
  const plan = stoppedWaitPlan({
    error,
    signal: "SIGTERM",
    read: { chunks, ended: false, limited: true },
  });
  assert.deepEqual(plan.answers.map((bytes) => JSON.parse(dec.decode(bytes)).id), [1]);
  const notes = plan.notes.join("\n");
  assert.match(notes, /answered 1 request\(s\) the client sent meanwhile with an error/);
  assert.match(
    notes,
    new RegExp(
      `only the first ${head.length} bytes the client sent meanwhile were read \\(thoth's ` +
        "bound while it waits\\): a request after them, if there was one, went unanswered",
    ),
  );
  assert.doesNotMatch(notes, /show no request id/);
});

Deno.test("stoppedWaitPlan() says a line read in part whose first bytes show no id may have gone unanswered", () => {
  const plan = stoppedWaitPlan({
    error,
    signal: "SIGTERM",
    read: {
      chunks: [enc.encode('{"jsonrpc":"2.0","id":4,"method":"ping"}\n{"params":{"a":"b')],
      ended: false,
    },
  });
  assert.deepEqual(plan.answers.map((bytes) => JSON.parse(dec.decode(bytes)).id), [4]);
  assert.match(
    plan.notes.join("\n"),
    /the client's last line was read only in part \(17 bytes\), and its first bytes show no request id: if it was a request, it went unanswered/,
  );

  // Whitespace after the last line begins no line.
  const quiet = stoppedWaitPlan({
    error,
    signal: "SIGTERM",
    read: { chunks: [enc.encode('{"jsonrpc":"2.0","id":4,"method":"ping"}\r\n  ')], ended: false },
  });
  assert.deepEqual(quiet.answers.length, 1);
  assert.doesNotMatch(quiet.notes.join("\n"), /read only in part|were read \(/);
});

Deno.test("ClientInputWatch.read() says whether it stopped at its bound", async () => {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const watch = new ClientInputWatch(readable, 8);
  await writer.write(enc.encode("1234"));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(watch.read().limited, false);
  const rest = writer.write(enc.encode("56789"));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(watch.read().limited, true);
  await watch.cancel();
  await rest.catch(() => {});
  await writer.close().catch(() => {});
});

Deno.test("thoth run stopped by SIGTERM in its lock wait answers a request it had read only in part", async () => {
  await using dir = await tempDir("thoth-lock-wait-cut-");
  const home = `${dir.path}/home`;
  await Deno.mkdir(`${home}/audit`, { recursive: true });
  await Deno.writeTextFile(`${home}/policy.jsonc`, '{"version":1,"default":"allow","rules":[]}');
  const pidFile = `${dir.path}/server.pid`;
  const holder = await holdLock(`${home}/audit/.lock`, 60_000);
  const peer = new RawPeer(
    throughThoth(faultArgv(["--pid-file", pidFile]), ["--agent-id", "fault"]),
    testEnv({ THOTH_HOME: home }),
  );
  let answer: Record<string, unknown>;
  let status: Deno.CommandStatus;
  try {
    // The client is still writing its initialize when thoth is stopped.
    await peer.sendRaw(initializeHead(2000));
    for (let waited = 0; !/waiting for the audit log's lock/.test(peer.stderr); waited += 50) {
      if (waited > 30_000) throw new Error(`thoth never waited for the lock:\n${peer.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    peer.child.kill("SIGTERM");
    answer = await peer.responseTo(1, 30_000);
    status = await peer.child.status;
  } finally {
    await peer.finish();
    await holder.release();
  }
  assert.equal(status.code, 143, peer.stderr);
  const message = (answer["error"] as { message?: string } | undefined)?.message;
  assert.match(String(message), /^thoth was stopped \(SIGTERM\) before it started the MCP server/);
  assert.match(peer.stderr, /answered 1 request\(s\) the client sent meanwhile with an error/);
});
