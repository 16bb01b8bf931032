/**
 * The default policy asks a person before a tool that declares itself
 * destructive runs (server-filesystem's `write_file` does). thoth can read
 * that only from the server's `tools/list`, so a call the client makes
 * before it listed the tools waits while thoth lists them: a client that
 * writes `initialize` and its first call together, one whose call is in the
 * stateless (2026-07-28) era. One that never sends `initialize` has its
 * call refused (in every mode but observe): thoth asks a server nothing
 * before its handshake. When the
 * listing fails, the call is refused (block mode) and its record says why,
 * truthfully.
 */
import assert from "node:assert/strict";
import {
  DENO,
  filesystemArgv,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";
import { auditRecords } from "./_governed.ts";

const STATELESS = { "io.modelcontextprotocol/protocolVersion": "2026-07-28" };

/** `write_file` of `path`, as call `id`, with `meta` as its `_meta` when given. */
function writeFile(id: number, path: string, meta?: Record<string, unknown>) {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: {
      name: "write_file",
      arguments: { path, content: "written without a person's approval\n" },
      ...(meta === undefined ? {} : { _meta: meta }),
    },
  };
}

const lines = (...messages: unknown[]) => messages.map((m) => JSON.stringify(m) + "\n").join("");

for (
  const [shape, opening] of [
    [
      "initialize and the call in one write",
      (path: string) =>
        lines(
          initializeRequest(0),
          { jsonrpc: "2.0", method: "notifications/initialized" },
          writeFile(1, path),
        ),
    ],
    ["a stateless-era call", (path: string) => lines(writeFile(1, path, STATELESS))],
  ] as const
) {
  Deno.test(`server-filesystem: the default policy reads write_file's annotations with ${shape}`, async () => {
    await using dir = await tempDir();
    const target = `${dir.path}/data/pwned.txt`;
    await Deno.mkdir(`${dir.path}/data`);
    const home = `${dir.path}/home`;
    const peer = new RawPeer(
      throughThoth(filesystemArgv(`${dir.path}/data`), [
        "--agent-id",
        "filesystem",
        "--enforcement-mode",
        "block",
        "--approval-timeout",
        "1",
      ]),
      testEnv({ THOTH_HOME: home }),
    );
    try {
      await peer.sendRaw(opening(target));
      const answer = await peer.responseTo(1);
      const text = JSON.stringify(answer);
      assert.equal((answer["result"] as { isError?: boolean })?.isError, true, text);
      assert.match(text, /destructive/);
    } finally {
      await peer.finish();
    }
    await assert.rejects(Deno.stat(target), Deno.errors.NotFound);
    const decision = (await auditRecords(home)).find((r) => r["type"] === "decision");
    assert.deepEqual(decision?.["ruleIds"], ["destructive"], JSON.stringify(decision));
    assert.ok(
      !(decision?.["reasons"] as string[]).some((r) => /tools\/list/.test(r)),
      JSON.stringify(decision),
    );
  });
}

Deno.test("server-filesystem: a call with no initialize at all is refused in block mode, never decided", async () => {
  await using dir = await tempDir();
  const target = `${dir.path}/data/pwned.txt`;
  await Deno.mkdir(`${dir.path}/data`);
  const home = `${dir.path}/home`;
  // Observe mode forwards it (see call_before_initialize_test.ts); every other mode refuses it.
  const peer = new RawPeer(
    throughThoth(filesystemArgv(`${dir.path}/data`), [
      "--agent-id",
      "filesystem",
      "--enforcement-mode",
      "block",
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.sendRaw(lines(writeFile(1, target)));
    const answer = await peer.responseTo(1);
    assert.equal((answer["error"] as { code?: number })?.code, -32600, JSON.stringify(answer));
    assert.match(JSON.stringify(answer), /came before initialize/);
  } finally {
    await peer.finish();
  }
  await assert.rejects(Deno.stat(target), Deno.errors.NotFound);
  const records = await auditRecords(home);
  assert.equal(records.find((r) => r["type"] === "decision"), undefined);
  assert.deepEqual(
    records.filter((r) => r["type"] === "request").map((r) => [r["method"], r["effect"]]),
    [["tools/call", "refused"]],
  );
});

Deno.test("a call whose tools thoth could not list is refused in block mode, and its record says why", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  // A policy that would let the call run: only the unknown annotations refuse it.
  await Deno.writeTextFile(`${home}/policy.jsonc`, '{ "version": 1, "default": "allow" }');
  // A server that lists its tools long after thoth stopped waiting (real servers answer at once).
  const server = [
    DENO,
    "run",
    "--quiet",
    `${ROOT}/tests/fixtures/proxy/slow_list_server.ts`,
    "--list-delay-ms",
    "60000",
  ];
  const peer = new RawPeer(
    throughThoth(server, [
      "--agent-id",
      "slow",
      "--enforcement-mode",
      "block",
      "--shutdown-grace-ms",
      "200",
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "echo", arguments: {} },
    });
    const answer = JSON.stringify(await peer.responseTo(1, 30_000));
    assert.match(answer, /"isError":true/);
    assert.match(answer, /thoth\.listing_failed/);
    assert.doesNotMatch(answer, /"ran"/, "the call did not run");
  } finally {
    await peer.finish();
  }
  const decision = (await auditRecords(home)).find((r) => r["type"] === "decision");
  assert.deepEqual(decision?.["ruleIds"], ["thoth.listing_failed"]);
  assert.equal(
    (decision?.["reasons"] as string[])[0],
    "thoth could not list the server's tools: the server did not answer within 5 s; the " +
      "tool's annotations (destructiveHint, readOnlyHint) are unknown",
  );
  assert.match(peer.stderr, /could not list the server's tools/);
});
