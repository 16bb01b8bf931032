/**
 * A session writes a `tools_snapshot` record only for a `tools/list` answer
 * whose tools differ from those it recorded last, and a record stays bounded
 * however many tools a server lists: past 10,000 tools or about 1 MiB it
 * names only the first, says `partial`, and its `root` and `count` cover
 * them all. Before, every answer wrote a record naming every tool: three
 * listings of 20,000 long names grew the log by 17.8 MB. Real `thoth run`
 * sessions, with server-everything and with a fixture server that lists
 * 20,000 tools.
 */
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import {
  SNAPSHOT_MAX_BYTES,
  SNAPSHOT_MAX_TOOLS,
  ToolsListingDigest,
} from "../../src/audit/tools_listing_digest.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  DENO,
  everythingArgv,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";

type Rec = Record<string, unknown>;

/** The listing fixture with `flags`. */
function listingArgv(flags: readonly string[]): string[] {
  return [DENO, "run", "--quiet", `${ROOT}/tests/fixtures/proxy/listing_server.ts`, ...flags];
}

/** Lists the server's tools `times` times through thoth; returns each answer's tools. */
async function listThrough(server: string[], home: string, times: number): Promise<unknown[][]> {
  const peer = new RawPeer(
    throughThoth(server, ["--agent-id", "lister"]),
    testEnv({ THOTH_HOME: `${home}/thoth`, HOME: home }),
  );
  const answers: unknown[][] = [];
  try {
    await peer.send(initializeRequest(0));
    await peer.responseTo(0, 60_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    for (let id = 1; id <= times; id++) {
      await peer.send({ jsonrpc: "2.0", id, method: "tools/list" });
      const answer = await peer.responseTo(id, 60_000);
      answers.push((answer["result"] as { tools: unknown[] }).tools);
    }
  } finally {
    const status = await peer.finish(60_000);
    assert.equal(status.code, 0, peer.stderr);
  }
  return answers;
}

/** The `tools_snapshot` records of the log under `home`, with their stored sizes. */
async function snapshots(home: string): Promise<{ record: Rec; bytes: number }[]> {
  const lines = await readLogLines(auditPaths(`${home}/thoth`).dir);
  return lines.filter((l) => l.record?.["type"] === "tools_snapshot")
    .map((l) => ({ record: l.record!, bytes: l.bytes.length }));
}

/** The root over `definitions`, as the record's reader may compute it from the listing. */
async function rootOf(definitions: unknown[]): Promise<string> {
  const digest = new ToolsListingDigest();
  for (const definition of definitions) digest.add(definition);
  return (await digest.finish()).root;
}

Deno.test("thoth run records server-everything's tools once however often the client lists them", async () => {
  await using dir = await tempDir();
  const answers = await listThrough(everythingArgv(), dir.path, 3);
  const records = await snapshots(dir.path);
  assert.equal(records.length, 1, "three listings of the same tools, one record");
  const record = records[0]!.record;
  const tools = record["tools"] as { name: string; digest: string }[];
  assert.ok(answers[0]!.length > 5, "server-everything lists its tools");
  assert.deepEqual(tools.map((t) => t.name), answers[0]!.map((t) => (t as { name: string }).name));
  assert.equal(record["count"], tools.length);
  assert.equal(record["partial"], undefined, "a listing within the bounds is recorded in full");
  assert.equal(record["root"], await rootOf(answers[0]!), "the root is over the listed tools");
  assert.equal((await verifyLocalLog(`${dir.path}/thoth`)).exitCode, 0);
});

Deno.test("thoth run bounds the record of 20,000 tools and records a listing again once it changed", async () => {
  await using dir = await tempDir();
  // 20,000 names of about 210 characters (4.3 MB a listing); the third changes the last tool.
  const server = listingArgv(["--tools", "20000", "--pad", "200", "--change-on", "3"]);
  const answers = await listThrough(server, dir.path, 3);
  assert.equal(answers[2]!.length, 20_000);
  const records = await snapshots(dir.path);
  assert.equal(records.length, 2, "the second listing repeats the first: no record for it");
  const [first, third] = records.map((r) => r.record);
  for (const { record, bytes } of records) {
    const tools = record["tools"] as { name: string }[];
    assert.equal(record["count"], 20_000);
    assert.equal(record["partial"], true);
    assert.ok(tools.length > 0 && tools.length <= SNAPSHOT_MAX_TOOLS, `${tools.length} tools`);
    assert.equal(tools[0]!.name, `t0_${"x".repeat(200)}`, "the first tools, in order");
    assert.ok(bytes < SNAPSHOT_MAX_BYTES + 4096, `a record of ${bytes} bytes`);
  }
  // The change is past the tools the records name: only the root tells the listings apart.
  assert.deepEqual(first!["tools"], third!["tools"]);
  assert.notEqual(first!["root"], third!["root"]);
  assert.equal(first!["root"], await rootOf(answers[0]!));
  assert.equal(third!["root"], await rootOf(answers[2]!));
  assert.equal((await verifyLocalLog(`${dir.path}/thoth`)).exitCode, 0);
});
