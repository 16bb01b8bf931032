/**
 * thoth run at the edges of a session, driven through the real CLI as a
 * subprocess: a client that closes its input while a call is still being
 * decided, stop signals (SIGHUP and SIGQUIT too) while thoth refuses or
 * relays, a server that starts a server of its own, a tool schema nested
 * thousands of levels deep, and servers that cannot be started at all.
 */
import assert from "node:assert/strict";
import {
  DENO,
  faultArgv,
  goneWithin,
  initializeRequest,
  killQuietly,
  pidFrom,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "./_harness.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";

const call = (id: number | string, name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

/** Resolves with the status, or undefined if the child still runs after `ms`. */
async function exitWithin(child: Deno.ChildProcess, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return await Promise.race([
    child.status,
    new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), ms)),
  ]).finally(() => clearTimeout(timer));
}

Deno.test("thoth run with --audit-sync always forwards a call whose decision is pending at the client's EOF", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const log = `${dir.path}/server.log`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log]), [
      "--agent-id",
      "eof",
      "--enforcement-mode",
      "block",
      "--audit-sync",
      "always",
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    // All at once, then EOF: the synced decision record is still being written.
    await peer.sendRaw(
      [
        initializeRequest(1),
        { jsonrpc: "2.0", method: "notifications/initialized" },
        call(3, "echo", { a: 1 }),
      ].map((m) => JSON.stringify(m) + "\n").join(""),
    );
    await peer.closeInput();
    // Every line up to thoth's end: the server may answer the two requests in either order.
    const answers = new Map<unknown, Record<string, unknown>>();
    for (let line = await peer.nextLine(); line !== undefined; line = await peer.nextLine()) {
      const message = JSON.parse(new TextDecoder().decode(line));
      answers.set(message["id"], message);
    }
    assert.deepEqual([...answers.keys()].sort(), [1, 3], peer.stderr);
    assert.match(JSON.stringify(answers.get(3)?.["result"]), /echo: \{\\"a\\":1\}/);
    assert.equal((await peer.finish()).code, 0);
  } finally {
    await peer.finish();
  }
  const received = await Deno.readTextFile(log);
  assert.match(received, /"name":"echo"/, "the call reached the server");
  const records = (await readLogLines(auditPaths(home).dir)).map((l) => l.record!);
  const outcome = records.find((r) => r["type"] === "outcome");
  assert.equal(outcome?.["isError"], false, JSON.stringify(records));
});

Deno.test("thoth run relays a tools/list whose schema nests 5000 levels, and carries on", async () => {
  const peer = new RawPeer(
    throughThoth(faultArgv(["--deep-schema", "5000"]), ["--agent-id", "deep"]),
  );
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await peer.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const listed = await peer.responseTo(2);
    assert.equal((listed["result"] as { tools: unknown[] }).tools.length, 8);
    await peer.send(call(3, "echo", { n: 3 }));
    assert.match(JSON.stringify(await peer.responseTo(3)), /echo: /);
    await peer.send({ jsonrpc: "2.0", id: 4, method: "ping" });
    assert.deepEqual((await peer.responseTo(4))["result"], {});
    assert.equal((await peer.finish()).code, 0, peer.stderr);
    assert.doesNotMatch(peer.stderr, /proxy core failed|call stack/);
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run exits 143 at once on SIGTERM while it refuses a server that does not exist", async () => {
  const peer = new RawPeer(thothArgv(["run", "--", "no-such-mcp-server-xyz"]));
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the refusal waits for the client
    peer.child.kill("SIGTERM");
    // The 30 s only guard a hang (a thoth that waits for its client after SIGTERM never ends);
    // "at once" is that no watchdog had to end it (below), not a time a busy machine stretches.
    const status = await exitWithin(peer.child, 30_000);
    assert.ok(status !== undefined, "thoth still runs 30 s after SIGTERM");
    assert.equal(status.code, 143);
    await peer.finish();
    assert.doesNotMatch(peer.stderr, /did not stop/);
  } finally {
    await peer.finish();
  }
});

Deno.test("the proxy core stops refusing a client at SIGTERM when its policy cannot be used", async () => {
  await using dir = await tempDir();
  const peer = new RawPeer([
    DENO,
    "run",
    "-A",
    "--quiet",
    `${ROOT}/tests/fixtures/proxy/refused_core.ts`,
    dir.path,
  ]);
  try {
    for (let i = 0; i < 100 && !/thoth: error:/.test(peer.stderr); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(peer.stderr, /thoth: error: progressive window "a while" is not a duration/);
    peer.child.kill("SIGTERM");
    const status = await exitWithin(peer.child, 5000);
    assert.ok(status !== undefined, "the core still waits for its client 5 s after SIGTERM");
    assert.equal(status.code, 143);
  } finally {
    await peer.finish();
  }
});

for (const [signal, code] of [["SIGHUP", 129], ["SIGQUIT", 131]] as const) {
  Deno.test(`thoth run stops the server and records the session's end on ${signal}`, async () => {
    await using dir = await tempDir();
    const home = `${dir.path}/home`;
    const pidFile = `${dir.path}/server.pid`;
    const peer = new RawPeer(
      throughThoth(faultArgv(["--ignore-eof", "--pid-file", pidFile]), [
        "--agent-id",
        "hup",
        "--shutdown-grace-ms",
        "400",
      ]),
      testEnv({ THOTH_HOME: home }),
    );
    let serverPid = 0;
    try {
      await peer.send(initializeRequest(1));
      await peer.responseTo(1);
      serverPid = await pidFrom(pidFile);
      peer.child.kill(signal);
      const status = await exitWithin(peer.child, 10_000);
      assert.ok(status !== undefined, `thoth still runs 10 s after ${signal}`);
      const gone = await goneWithin(serverPid, 5000);
      killQuietly(serverPid); // a server left running holds thoth's stderr open
      await peer.finish();
      assert.ok(gone, `the server (pid ${serverPid}) still ran after thoth's exit`);
      assert.equal(status.code, code);
      assert.match(peer.stderr, new RegExp(`received ${signal}; stopping the MCP server`));
    } finally {
      await peer.finish();
      if (serverPid > 0) killQuietly(serverPid);
    }
    const records = (await readLogLines(auditPaths(home).dir)).map((l) => l.record!);
    const end = records.find((r) => r["type"] === "session_end");
    assert.equal(end?.["signal"], signal, JSON.stringify(records));
  });
}

Deno.test("thoth run keeps a server started through setsid, and it answers", {
  ignore: Deno.build.os !== "linux",
}, async () => {
  // setsid forks when it already leads a process group: a server thoth had made a
  // session leader (Deno's `detached`) ended the session at once, its calls unanswered.
  const peer = new RawPeer(throughThoth(["setsid", ...faultArgv()], ["--agent-id", "setsid"]));
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await peer.send({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} });
    const answer = await peer.responseTo(2);
    assert.ok(
      Array.isArray((answer["result"] as { tools?: unknown })?.tools),
      JSON.stringify(answer),
    );
  } finally {
    await peer.finish();
  }
});

Deno.test("thoth run answers a first request sent in a batch when the server does not exist", async () => {
  const peer = new RawPeer(thothArgv(["run", "--", "no-such-mcp-server-xyz"]));
  try {
    await peer.send([initializeRequest(1), { jsonrpc: "2.0", method: "notifications/x" }]);
    const line = await peer.nextLine(5000);
    assert.ok(line !== undefined, "an answer before the client's EOF");
    const replies = JSON.parse(new TextDecoder().decode(line)) as Record<string, unknown>[];
    assert.ok(Array.isArray(replies), "a batch is answered with an array");
    assert.equal(replies.length, 1);
    assert.equal(replies[0]!["id"], 1);
    assert.match(
      (replies[0]!["error"] as { message: string }).message,
      /"no-such-mcp-server-xyz" was not found/,
    );
    assert.equal((await peer.finish()).code, 127);
  } finally {
    await peer.finish();
  }
});

Deno.test(
  "thoth run names a script's missing interpreter instead of saying the script is missing",
  {
    ignore: Deno.build.os === "windows",
  },
  async () => {
    await using dir = await tempDir();
    const script = `${dir.path}/server.sh`;
    await Deno.writeTextFile(script, "#!/no/such/interpreter -x\necho hi\n", { mode: 0o755 });
    const peer = new RawPeer(thothArgv(["run", "--", script]));
    try {
      await peer.send(initializeRequest(1));
      const reply = await peer.responseTo(1, 10_000);
      const message = (reply["error"] as { message: string }).message;
      assert.match(message, /"server\.sh" is a script whose interpreter .* could not be started/);
      assert.ok(!message.includes(dir.path), "the wire error leaks no path");
      assert.equal((await peer.finish()).code, 126);
      assert.match(peer.stderr, /interpreter "\/no\/such\/interpreter"/);
      assert.doesNotMatch(peer.stderr, /was not found/);
      assert.match(peer.stderr, /thoth: hint: install "\/no\/such\/interpreter"/);
    } finally {
      await peer.finish();
    }
  },
);

Deno.test(
  "thoth run says a script was saved with Windows line breaks when its #! line ends in CRLF",
  { ignore: Deno.build.os === "windows" },
  async () => {
    await using dir = await tempDir();
    const script = `${dir.path}/crlf.sh`;
    await Deno.writeTextFile(script, "#!/bin/sh\r\necho hi\r\n", { mode: 0o755 });
    // Also when the interpreter exists and the carriage return lands on an argument.
    await Deno.writeTextFile(`${dir.path}/env.sh`, "#!/usr/bin/env sh\r\necho hi\r\n", {
      mode: 0o755,
    });
    const peer = new RawPeer(thothArgv(["run", "--", script]));
    try {
      await peer.send(initializeRequest(1));
      const reply = await peer.responseTo(1, 10_000);
      assert.ok(reply["error"] !== undefined, JSON.stringify(reply));
      assert.equal((await peer.finish()).code, 126);
      assert.match(peer.stderr, /saved with Windows line breaks \(CRLF\)/);
      assert.match(peer.stderr, /thoth: hint: convert it to Unix line breaks: sed -i/);
      assert.doesNotMatch(peer.stderr, /was not found/);
    } finally {
      await peer.finish();
    }
    const env = new RawPeer(thothArgv(["run", "--", `${dir.path}/env.sh`]));
    try {
      await env.send(initializeRequest(1));
      await env.responseTo(1, 10_000);
      assert.equal((await env.finish()).code, 126);
      assert.match(env.stderr, /saved with Windows line breaks \(CRLF\)/);
    } finally {
      await env.finish();
    }
  },
);

for (
  const [what, flags, setup] of [
    [
      "a policy it cannot read",
      [],
      (home: string) => Deno.writeTextFile(`${home}/policy.jsonc`, "{ not a policy"),
    ],
    ["a flag it refuses", ["--approval-timeout", "soon"], () => Promise.resolve()],
  ] as const
) {
  Deno.test(`thoth run ends a refusal for ${what} at a stop signal, 128 plus its number`, async () => {
    await using dir = await tempDir();
    const home = `${dir.path}/home`;
    await Deno.mkdir(home, { mode: 0o700 });
    await setup(home);
    const [command, ...args] = thothArgv(["run", ...flags, "--", ...faultArgv()]);
    const child = new Deno.Command(command!, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: testEnv({ THOTH_HOME: home }),
    }).spawn();
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    try {
      while (!/thoth: error:/.test(text)) {
        const { value, done } = await stderr.read();
        if (done) break;
        text += value;
      }
      assert.match(text, /thoth: error:/);
      child.kill("SIGHUP");
      const status = await exitWithin(child, 5000);
      assert.ok(status !== undefined, "thoth still refuses 5 s after SIGHUP");
      assert.equal(status.code, 129);
      assert.equal(status.signal, null, "thoth exits on its own, not killed by the signal");
      for (;;) {
        const { value, done } = await stderr.read();
        if (done) break;
        text += value;
      }
      assert.match(text, /received SIGHUP/);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
      await stderr.cancel().catch(() => {});
      await child.stdout.cancel().catch(() => {});
      await child.stdin.close().catch(() => {});
    }
  });
}
