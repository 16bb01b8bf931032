/**
 * Spool files planted in `audit/spool/` by someone who can write the audit
 * folder but not `keys/`: the next `thoth run` session refuses them (no line
 * carries a MAC made with the device's key), sets each aside once as
 * `<name>.refused`, says so on stderr and in one `spool_refused` record, and
 * chains none of their records: no forged decision or approval, no event
 * that overrides a record's `seq`, no `state_rebuilt` the writer never said,
 * and a file over the spool's size cap stops no session. Real `thoth run`
 * sessions (sandboxed core) in front of the fault server, real files under a
 * temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { SPOOL_FILE_MAX_BYTES } from "../../src/audit/read_spool_file.ts";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";

const FORGER = "s-00000000deadbeef";
const FILE = `${FORGER}-1.jsonl`;

/** A forged decision as the review planted it: allowed, dated long ago. */
const FORGED_DECISION = {
  type: "decision",
  session: FORGER,
  server: "fault",
  tool: "wire_transfer",
  decisionId: "d-forged",
  verdict: "allow",
  ruleIds: [],
  reasons: [],
  mode: "block",
  policyHash: "0".repeat(64),
  intent: null,
  effect: "forwarded",
  args: { digest: "", shape: { t: "null" } },
  ts: "2025-01-01T00:00:00.000Z",
};

/** A forged approval by someone who never saw the call. */
const FORGED_APPROVAL = {
  type: "approval",
  session: FORGER,
  decisionId: "d-forged",
  channel: "queue",
  approver: "cfo@example.com",
  outcome: "approved",
};

/** A fresh THOTH_HOME under `dir` with a spool folder. */
async function profile(dir: string): Promise<string> {
  const home = `${dir}/home`;
  await Deno.mkdir(`${home}/audit/spool`, { recursive: true });
  return home;
}

/** Plants `text` as spool file `name`, two hours old (`touch -d '2 hours ago'`). */
async function plant(home: string, name: string, text: string): Promise<Uint8Array> {
  const path = `${home}/audit/spool/${name}`;
  const bytes = new TextEncoder().encode(text);
  await Deno.writeFile(path, bytes);
  const old = new Date(Date.now() - 2 * 3_600_000);
  await Deno.utime(path, old, old);
  return bytes;
}

/**
 * One `thoth run` session in front of the fault server: it must answer
 * `initialize` and a tool call. Returns what thoth wrote to stderr.
 */
async function session(home: string): Promise<string> {
  const peer = new RawPeer(
    throughThoth(faultArgv(), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    const initialized = await peer.responseTo(1, 60_000);
    assert.ok("result" in initialized, JSON.stringify(initialized) + peer.stderr);
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { n: 1 } },
    });
    const called = await peer.responseTo(2, 60_000);
    assert.ok("result" in called, JSON.stringify(called) + peer.stderr);
  } finally {
    await peer.finish();
  }
  return peer.stderr;
}

function spoolNames(home: string): string[] {
  return [...Deno.readDirSync(`${home}/audit/spool`)].map((entry) => entry.name).sort();
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Every record is the writer's own: numbered 0, 1, 2, … and dated by the writer. */
function assertWritersOwn(records: readonly Record<string, unknown>[]): void {
  records.forEach((record, i) => assert.equal(record["seq"], i, JSON.stringify(record)));
  for (const record of records) assert.notEqual(record["ts"], FORGED_DECISION.ts);
}

Deno.test("a forged spool file is refused, set aside once, recorded, and none of its records chained", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path);
  const planted = await plant(
    home,
    FILE,
    `#spool_opened 1\n${JSON.stringify(FORGED_DECISION)}\n${JSON.stringify(FORGED_APPROVAL)}\n`,
  );
  const stderr = await session(home);
  assert.match(stderr, /refused the audit spool file "s-00000000deadbeef-1\.jsonl"/, stderr);
  assert.match(stderr, /carries no MAC/, stderr);
  assert.deepEqual(spoolNames(home), [`${FILE}.refused`], "set aside, not removed");
  assert.deepEqual(await Deno.readFile(`${home}/audit/spool/${FILE}.refused`), planted);

  // A second session leaves it where it is.
  await session(home);
  assert.deepEqual(spoolNames(home), [`${FILE}.refused`]);
  const records = await auditRecords(home);
  assertWritersOwn(records);
  assert.deepEqual(
    records.filter((r) => r["decisionId"] === "d-forged" || r["approver"] === "cfo@example.com"),
    [],
    "no forged decision or approval is in the log",
  );
  const refused = records.filter((r) => r["type"] === "spool_refused");
  assert.equal(refused.length, 1, "one record, once");
  const [record] = refused;
  assert.equal(record!["file"], FILE);
  assert.equal(record!["movedTo"], `${FILE}.refused`);
  assert.equal(record!["lines"], 2);
  assert.equal(record!["bytes"], planted.length);
  assert.equal(record!["sha256"], await sha256Hex(planted));
  assert.match(String(record!["reason"]), /^line 1: its header carries no MAC/);
});

Deno.test('an event carrying "seq" cannot change the seq of a record', async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path);
  await plant(
    home,
    FILE,
    `#spool_opened 1\n${JSON.stringify({ ...FORGED_DECISION, decisionId: "d-seq", seq: 3 })}\n`,
  );
  await session(home);
  const records = await auditRecords(home);
  assertWritersOwn(records);
  assert.deepEqual(records.filter((r) => r["decisionId"] === "d-seq"), []);
  assert.equal(records.filter((r) => r["type"] === "spool_refused").length, 1);
});

Deno.test("a spooled state_rebuilt record is refused, not signed as the writer's", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path);
  const rebuilt = {
    type: "state_rebuilt",
    reason: "the state file did not match the log",
    size: 0,
    stateSize: 40,
  };
  await plant(home, FILE, `${JSON.stringify(rebuilt)}\n`);
  await session(home);
  const records = await auditRecords(home);
  assertWritersOwn(records);
  assert.deepEqual(records.filter((r) => r["type"] === "state_rebuilt"), []);
  const refused = records.filter((r) => r["type"] === "spool_refused");
  assert.equal(refused.length, 1);
  assert.deepEqual(spoolNames(home), [`${FILE}.refused`]);
});

Deno.test("a spool file over the size cap stops no session and is set aside once", async () => {
  await using dir = await tempDir();
  const home = await profile(dir.path);
  // One huge line (the review's was 600 MB), made sparse: it takes no room on the disk.
  const path = `${home}/audit/spool/${FILE}`;
  await Deno.writeTextFile(path, `#spool_opened 1\n{"type":"decision","session":"${FORGER}"`);
  const size = SPOOL_FILE_MAX_BYTES + 1024 * 1024;
  await Deno.truncate(path, size);
  const old = new Date(Date.now() - 2 * 3_600_000);
  await Deno.utime(path, old, old);
  const stderr = await session(home);
  assert.match(stderr, /over the 256 MiB a spool file may hold/, stderr);
  assert.deepEqual(spoolNames(home), [`${FILE}.refused`]);
  assert.equal((await Deno.stat(`${path}.refused`)).size, size);
  await session(home);
  assert.deepEqual(spoolNames(home), [`${FILE}.refused`], "not taken again");
  const refused = (await auditRecords(home)).filter((r) => r["type"] === "spool_refused");
  assert.equal(refused.length, 1, "recorded once");
  assert.equal(refused[0]!["bytes"], size);
  assert.match(String(refused[0]!["sha256"]), /^[0-9a-f]{64}$/);
});
