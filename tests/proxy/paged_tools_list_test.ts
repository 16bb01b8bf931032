/**
 * A client that fetched only the first page of a paginated `tools/list`
 * still has a tool on a later page decided with that tool's annotations:
 * before deciding a call to a tool its pages do not show, thoth lists every
 * page itself (as it does when the client never listed), so the default
 * policy still asks a person before a destructive tool runs. A call to a
 * tool on the page the client has costs no listing. A real `thoth run`
 * session with the fault server serving its tools in two pages.
 */
import assert from "node:assert/strict";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
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

Deno.test("thoth run reads the annotations of a tool on a tools/list page the client did not fetch", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--log", log, "--paged"]), [
      "--agent-id",
      "fault",
      "--enforcement-mode",
      "block",
      "--approval-timeout",
      "1",
    ]),
    testEnv({ THOTH_HOME: `${dir.path}/home` }),
  );
  const received = async () =>
    (await Deno.readTextFile(log)).trim().split("\n").map((line) => JSON.parse(line));
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const page = (await peer.responseTo(1))["result"] as { tools: unknown[]; nextCursor?: string };
    assert.equal(page.nextCursor, "page-2");
    // A tool on the page the client fetched: decided at once, nothing listed.
    await peer.send(call(2, "echo"));
    assert.match(JSON.stringify(await peer.responseTo(2)), /echo: \{\}/);
    assert.equal((await received()).filter((m) => m.method === "tools/list").length, 1);
    // A tool on the second page that declares itself destructive: the default policy asks a
    // person, and no one can approve it here, so it is refused.
    await peer.send(call(3, "reset_records"));
    const answer = await peer.responseTo(3);
    const result = answer["result"] as { isError?: boolean };
    assert.equal(result?.isError, true, JSON.stringify(answer));
    assert.match(JSON.stringify(answer), /rule \\"destructive\\"/);
  } finally {
    await peer.finish();
  }
  const messages = await received();
  const calls = messages.filter((m) => m.method === "tools/call").map((m) => m.params.name);
  assert.deepEqual(calls, ["echo"]);
  // thoth's own listing: both pages, under its own ids.
  const own = messages.filter((m) => m.method === "tools/list" && m.id !== 1);
  assert.deepEqual(own.map((m) => m.params?.cursor), [undefined, "page-2"]);
  assert.ok(own.every((m) => typeof m.id === "string" && m.id.startsWith("thoth-")));
});
