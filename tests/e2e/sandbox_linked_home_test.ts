/**
 * A THOTH_HOME reached through a symbolic link (macOS's `/tmp` and
 * `/var/folders` are links), or an `audit/` folder that is one, still lets
 * the sandboxed core keep its audit log: Deno checks some calls (a file's
 * `stat`) against the path with its links resolved, so the core is granted
 * each of its folders by its real path as well as by the path given.
 */
import assert from "node:assert/strict";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "./_harness.ts";

/** One allowed call through `thoth run` in block mode with THOTH_HOME `home`; then verify. */
async function oneCall(home: string): Promise<void> {
  const flags = ["--agent-id", "fault", "--enforcement-mode", "block"];
  const peer = new RawPeer(throughThoth(faultArgv(), flags), testEnv({ THOTH_HOME: home }));
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0);
    await peer.send({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "echo", arguments: { n: 1 } },
    });
    const reply = await peer.responseTo(7);
    assert.equal(reply["error"], undefined, JSON.stringify(reply));
    const result = reply["result"] as { isError?: boolean };
    assert.notEqual(result.isError, true, JSON.stringify(reply));
    await peer.finish();
    assert.doesNotMatch(peer.stderr, /cannot write the audit log|Requires (read|write) access/);
  } finally {
    await peer.finish();
  }
  const [command, ...args] = thothArgv(["audit", "verify", "--json"]);
  const verified = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  const out = new TextDecoder().decode(verified.stdout);
  assert.equal(verified.code, 0, out + new TextDecoder().decode(verified.stderr));
}

Deno.test("thoth run keeps its audit log under a THOTH_HOME reached through a link", async () => {
  await using dir = await tempDir("thoth-linked-");
  await Deno.mkdir(`${dir.path}/real`);
  await Deno.symlink(`${dir.path}/real`, `${dir.path}/lnk`);
  await oneCall(`${dir.path}/lnk/prof`);
  const entries = [];
  for await (const entry of Deno.readDir(`${dir.path}/real/prof/audit`)) entries.push(entry.name);
  assert.ok(entries.length > 0, "the audit log is in the real folder");
});

Deno.test("thoth run keeps its audit log in an audit folder that is a link", async () => {
  await using dir = await tempDir("thoth-linked-");
  await Deno.mkdir(`${dir.path}/prof`);
  // Private, as a folder a session folder leads to outside the profile must be.
  await Deno.mkdir(`${dir.path}/elsewhere`, { mode: 0o700 });
  await Deno.symlink(`${dir.path}/elsewhere`, `${dir.path}/prof/audit`);
  await oneCall(`${dir.path}/prof`);
  const entries = [];
  for await (const entry of Deno.readDir(`${dir.path}/elsewhere`)) entries.push(entry.name);
  assert.ok(entries.length > 0, "the audit log is where the link points");
});
