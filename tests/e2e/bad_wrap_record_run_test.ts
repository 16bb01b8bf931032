/**
 * `thoth run` given a THOTH_WRAP record it cannot read (a hand edit of the
 * entry's `env`) starts no server: without the record it could give the
 * server neither the originals wrap-config replaced nor keep out the keys it
 * added. The client's `initialize` is answered with the cause (never the
 * record), stderr names the part at fault and the fix, and thoth exits 1.
 * With the record as wrap-config wrote it, the same server starts with its
 * original value. Driven through the real CLI with a raw client.
 */
import assert from "node:assert/strict";
import { DENO, initializeRequest, RawPeer, tempDir, testEnv, thothArgv } from "./_harness.ts";
import { pathExists } from "../../src/platform/path_exists.ts";

/** A server that writes the LOG it was started with to `marker` the moment it starts. */
function logWriterArgv(marker: string): string[] {
  return [
    DENO,
    "eval",
    "Deno.writeTextFileSync(Deno.args[0], Deno.env.get('LOG') ?? '(unset)')",
    marker,
  ];
}

/** As wrap-config leaves an entry whose LOG "debug" it replaced with "info". */
const RECORD = "v1;intent=b_i;was.LOG=%22debug%22";

async function runWith(record: string, dir: string, marker: string) {
  const peer = new RawPeer(
    thothArgv(["run", "--agent-id", "git", "--", ...logWriterArgv(marker)]),
    testEnv({ THOTH_HOME: `${dir}/home`, THOTH_WRAP: record, LOG: "info" }),
  );
  try {
    await peer.send(initializeRequest("init-1"));
    const reply = await peer.next();
    const { code } = await peer.finish();
    return { reply, code, stderr: peer.stderr };
  } finally {
    await peer.finish();
  }
}

for (
  const [what, record, part] of [
    [
      "an intent that is not URI-encoded",
      `v1;was.LOG=%22debug%22;intent=%E0`,
      /"intent" is not URI-encoded/,
    ],
    ["an empty intent", `v1;was.LOG=%22debug%22;intent=`, /"intent" names no intent/],
    ["an intent given twice", `${RECORD};intent=a_i`, /"intent" is given more than once/],
  ] as const
) {
  Deno.test(`thoth run refuses to start a server whose THOTH_WRAP record has ${what}`, async () => {
    await using dir = await tempDir();
    const marker = `${dir.path}/started`;
    const { reply, code, stderr } = await runWith(record, dir.path, marker);
    assert.equal(reply["id"], "init-1");
    assert.equal("result" in reply, false, JSON.stringify(reply));
    const error = reply["error"] as { code: number; message: string };
    assert.equal(error.code, -32000);
    assert.match(error.message, /^thoth refused to start this MCP server: the THOTH_WRAP record/);
    assert.match(error.message, /run "thoth wrap-config" again/);
    assert.equal(error.message.includes("debug"), false, "the wire quotes none of the record");
    assert.equal(code, 1);
    assert.match(stderr, /^thoth: error: THOTH_WRAP in the server's "env" cannot be read: /m);
    assert.match(stderr, part);
    assert.match(stderr, /^thoth: hint: fix THOTH_WRAP in the server's "env" by hand/m);
    assert.equal(await pathExists(marker), false, "the server never started");
  });
}

Deno.test("thoth run starts the same server with the record wrap-config wrote, its original back", async () => {
  await using dir = await tempDir();
  const marker = `${dir.path}/started`;
  const { reply, stderr } = await runWith(RECORD, dir.path, marker);
  assert.equal(reply["id"], "init-1");
  // The marker server is no MCP server: it exits at once; what matters is that it ran.
  assert.equal(await Deno.readTextFile(marker), "debug", stderr);
});
