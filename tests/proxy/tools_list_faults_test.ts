/**
 * A server's `tools/list` built to get a destructive tool past a listing
 * that stops short, through a real `thoth run` session (block mode, so a
 * call the default policy would ask a person about is refused): more pages
 * than thoth reads, a client that fetched a later page only, tools that
 * change after `notifications/tools/list_changed`, and a page of more tools
 * than a call takes arguments. In none does the destructive tool run.
 */
import assert from "node:assert/strict";
import {
  DENO,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";

const call = (id: number, name: string) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: {} },
});

/** A `thoth run` session with the listing fault server, and what the server received. */
async function session(dir: string, flags: string[]) {
  const log = `${dir}/server.log`;
  const server = [
    DENO,
    "run",
    "--quiet",
    "--allow-read",
    "--allow-write",
    `${ROOT}/tests/fixtures/proxy/listing_fault_server.ts`,
    "--log",
    log,
    ...flags,
  ];
  const peer = new RawPeer(
    throughThoth(server, [
      "--agent-id",
      "fault",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "1",
    ]),
    testEnv({ THOTH_HOME: `${dir}/home` }),
  );
  await peer.send(initializeRequest(0));
  await peer.responseTo(0);
  const received = async () =>
    (await Deno.readTextFile(log)).trim().split("\n").map((line) => JSON.parse(line));
  const ran = async () =>
    (await received()).filter((m) => m.method === "tools/call").map((m) => m.params.name);
  return { peer, received, ran };
}

const refusal = (answer: Record<string, unknown>) => {
  const result = answer["result"] as { isError?: boolean } | undefined;
  assert.equal(result?.isError, true, JSON.stringify(answer));
  return JSON.stringify(answer);
};

Deno.test("a server that names more pages than thoth reads fails the listing: the call is refused", async () => {
  await using dir = await tempDir();
  const { peer, received, ran } = await session(dir.path, ["--pages", "40"]);
  try {
    // No listing of the client's own: thoth lists before it decides.
    await peer.send(call(1, "nuke"));
    assert.match(refusal(await peer.responseTo(1)), /thoth\.listing_failed/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await ran(), []);
  assert.equal((await received()).filter((m) => m.method === "tools/list").length, 32);
  assert.match(peer.stderr, /more than 32 pages/);
});

Deno.test("a client that fetched a later page only has a call to a tool on the first decided on it", async () => {
  await using dir = await tempDir();
  const { peer, ran } = await session(dir.path, ["--pages", "2", "--nuke-page", "0"]);
  try {
    await peer.send({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { cursor: "1" } });
    const page = (await peer.responseTo(1))["result"] as { nextCursor?: string };
    assert.equal(page.nextCursor, undefined, "the client's page names no next page");
    await peer.send(call(2, "nuke"));
    assert.match(refusal(await peer.responseTo(2)), /rule \\"destructive\\"/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await ran(), []);
});

Deno.test("after tools/list_changed, calls are decided on what the server declares now", async () => {
  await using dir = await tempDir();
  const { peer, ran } = await session(dir.path, ["--changing"]);
  try {
    await peer.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    await peer.responseTo(1);
    await peer.send(call(2, "rotate"));
    assert.match(JSON.stringify(await peer.responseTo(2)), /ran rotate/);
    // The server changed its tools and said so: the client is told as it was.
    const told = await peer.next();
    assert.equal(told["method"], "notifications/tools/list_changed");
    // The client has not listed again: rotate now declares itself destructive.
    await peer.send(call(3, "rotate"));
    assert.match(refusal(await peer.responseTo(3)), /rule \\"destructive\\"/);
    // A tool added with the change, destructive: not decided as one in no listing.
    await peer.send(call(4, "nuke"));
    assert.match(refusal(await peer.responseTo(4)), /rule \\"destructive\\"/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await ran(), ["rotate"]);
});

Deno.test("a page of more tools than a call takes arguments is listed, and the call answered", async () => {
  await using dir = await tempDir();
  const { peer, ran } = await session(dir.path, ["--wide", "130000"]);
  try {
    await peer.send(call(1, "t5"));
    assert.match(JSON.stringify(await peer.responseTo(1, 60_000)), /ran t5/);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await ran(), ["t5"]);
});
