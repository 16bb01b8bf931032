/**
 * `thoth audit show` prints distinct tool names distinctly: a name that is
 * not a plain MCP name shows quoted with every character outside printable
 * ASCII (zero-width and other invisible characters, bidirectional controls,
 * look-alike letters) as a `\uXXXX` escape. Before, `wipe\u200b`, `wipe\u202e`
 * and a tool really named `wipe?` all showed as `"wipe?"`, while `w\u0456pe`
 * showed escaped. The session also notes, when the server lists them, the
 * names that hold such characters or differ from another only in case. A
 * real `thoth run` session with a fixture server listing those names, then
 * the real CLI's table, which also says how many tools the listing's record
 * covers.
 */
import assert from "node:assert/strict";
import { thothCli } from "../approval/_governed_peer.ts";
import {
  DENO,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";

/** Names a hostile server lists, and how the table must show each. */
const NAMES: [string, string][] = [
  ["wipe", "wipe"],
  ["wipe\u200b", '"wipe\\u200b"'],
  ["wipe\u202e", '"wipe\\u202e"'],
  ["w\u0456pe", '"w\\u0456pe"'],
  ["Wipe", "Wipe"],
  ["wipe?", '"wipe?"'],
  ['wi"pe\u0007', '"wi\\"pe\\u0007"'],
];

/** Any C0/C1 control, DEL, or a format character (zero-width, bidi). */
// deno-lint-ignore no-control-regex -- what must not reach a terminal
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}]/u;

Deno.test("thoth audit show prints each of several look-alike tool names differently", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/thoth`;
  const server = [
    DENO,
    "run",
    "--quiet",
    `${ROOT}/tests/fixtures/proxy/listing_server.ts`,
    "--names",
    JSON.stringify(NAMES.map(([name]) => name)),
  ];
  const peer = new RawPeer(
    throughThoth(server, ["--agent-id", "lookalikes"]),
    testEnv({ THOTH_HOME: home, HOME: dir.path }),
  );
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0, 60_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    await peer.responseTo(1, 60_000);
    for (const [i, [name]] of NAMES.entries()) {
      await peer.send({
        jsonrpc: "2.0",
        id: 2 + i,
        method: "tools/call",
        params: { name, arguments: {} },
      });
      await peer.responseTo(2 + i, 60_000);
    }
  } finally {
    assert.equal((await peer.finish(60_000)).code, 0, peer.stderr);
  }
  // The session said so when the server listed them, once, with the names escaped.
  const notes = peer.stderr.split("\n").filter((line) => line.includes("could pass for others"));
  assert.equal(notes.length, 1, peer.stderr);
  assert.match(notes[0]!, /"wipe\\u200b", "wipe\\u202e", "wi\\"pe\\u0007" hold an invisible/);
  assert.match(notes[0]!, /"wipe" and "Wipe" differ only in letter case/);

  const out = await thothCli(home, ["audit", "show"], { HOME: dir.path });
  assert.equal(out.code, 0, out.stderr);
  assert.doesNotMatch(out.stdout.replace(/\n/g, ""), UNSAFE);
  const [header, ...rows] = out.stdout.split("\n");
  const from = header!.indexOf("TOOL");
  const to = header!.indexOf("VERDICT");
  const tools = rows.filter((row) => /^\S+ \S+ +\d+ +decision /.test(row))
    .map((row) => row.slice(from, to).trim());
  assert.deepEqual(tools, NAMES.map(([, shown]) => shown), out.stdout);
  assert.equal(new Set(tools).size, NAMES.length, "distinct names print distinctly");
  // The listing's record: how many tools it covers.
  assert.match(out.stdout, /tools_snapshot .*7 tools$/m, out.stdout);
});
