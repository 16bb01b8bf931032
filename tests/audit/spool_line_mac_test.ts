/**
 * What a recovering session takes from a spool file: only lines whose MAC
 * the device's key makes for the session the file is named for, only
 * decisions, approvals and the file's own session's start, never an event
 * that carries an envelope member;
 * one line that is not refuses the file whole; a file or a line over the
 * spool's bounds is refused without being read whole; a torn last line is
 * left out; files set aside are never claimed again. Real files under a temp
 * folder; a fixed key.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { orphanSpools, spoolsHolding } from "../../src/audit/orphan_spools.ts";
import { refusedName } from "../../src/audit/spool_claims.ts";
import { doctorSpoolCount } from "../../src/audit/doctor_spool_count.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import { readSpoolFile, spoolFileSession } from "../../src/audit/read_spool_file.ts";
import { checkSpoolLine } from "../../src/audit/spool_line.ts";
import { SpoolChain, SpoolMac } from "../../src/audit/spool_mac.ts";
import { tempDir } from "../e2e/_harness.ts";

const KEY = new Uint8Array(32).fill(7);
const mac = new SpoolMac(KEY);
const encoder = new TextEncoder();

function decision(id: string, session = "s-a", extra: Record<string, unknown> = {}) {
  return {
    type: "decision",
    session,
    server: "fs",
    tool: "t",
    decisionId: id,
    verdict: "allow",
    ruleIds: [],
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    args: { digest: "", shape: { t: "null" } },
    ...extra,
  };
}

/** Where a unit test's chain starts: a line alone is checked as a file's first. */
const ROOT = new Uint8Array(32);

function check(line: string, session = "s-a") {
  return checkSpoolLine(
    encoder.encode(line),
    mac.forSession(session),
    new SpoolChain(ROOT),
    { bytes: 1 << 20 },
  );
}

/** A spooled event's decision id (a session's start has none). */
function decisionIdOf(event: object): unknown {
  return (event as { decisionId?: unknown }).decisionId;
}

function signed(event: unknown, session = "s-a", key = mac): string {
  return key.forSession(session).line(new SpoolChain(ROOT), JSON.stringify(event));
}

/** A spool file's writing of `events` as session `session` writes it. */
function bodies(events: readonly unknown[], session = "s-a") {
  return {
    mac: mac.forSession(session),
    bodies: events.map((event) => typeof event === "string" ? event : JSON.stringify(event)),
  };
}

Deno.test("checkSpoolLine takes a decision or an approval signed for the file's session", () => {
  const result = check(signed(decision("d-1")));
  assert.equal(result.kind, "event");
  assert.deepEqual(result.kind === "event" ? result.event : undefined, decision("d-1"));
  const approval = {
    type: "approval",
    session: "s-a",
    decisionId: "d-1",
    channel: "x",
    outcome: "denied",
  };
  assert.equal(check(signed(approval)).kind, "event");
});

Deno.test("checkSpoolLine refuses a line without a MAC, under another key, or for another session", () => {
  const refused = (line: string, session?: string) => {
    const result = check(line, session);
    return result.kind === "refused" ? result.why : "taken";
  };
  assert.match(refused(JSON.stringify(decision("d-1"))), /carries no MAC/);
  assert.match(refused(signed(decision("d-1"), "s-a", new SpoolMac(new Uint8Array(32)))), /MAC/);
  assert.match(refused(signed(decision("d-1"), "s-b"), "s-a"), /does not verify.*session s-a/);
  const line = signed(decision("d-1"));
  assert.match(refused(line.slice(0, -64) + line.slice(-64).toUpperCase()), /does not verify/);
  assert.match(refused(line.replace('"d-1"', '"d-2"')), /does not verify/);
});

Deno.test("checkSpoolLine refuses, even signed, a record a spool never holds or an envelope member", () => {
  for (
    const event of [
      { type: "state_rebuilt", reason: "x", size: 0 },
      { type: "checkpoint", size: 1, root: "", note: "" },
      { type: "key_rotation", oldKeyHash: "", newKeyHash: "" },
      { type: "recovered_torn_tail", segment: "s", offset: 0, bytesCut: 1, cutDigest: "" },
      { type: "spool_recovered", session: "s-a", file: "f", count: 1 },
      { type: "outcome", session: "s-a", decisionId: "d", isError: false, durationMs: 1 },
    ]
  ) {
    const result = check(signed(event));
    assert.equal(result.kind, "refused", event.type);
    assert.match(result.kind === "refused" ? result.why : "", /which a spool never holds/);
  }
  for (const key of ["v", "seq", "ts", "prev"]) {
    const result = check(signed(decision("d-1", "s-a", { [key]: key === "seq" ? 3 : "x" })));
    assert.equal(result.kind, "refused", key);
    assert.match(result.kind === "refused" ? result.why : "", new RegExp(`"${key}"`));
  }
});

Deno.test("checkSpoolLine takes a session's own start and end, and refuses one naming another session", () => {
  const start = {
    type: "session_start",
    session: "s-a",
    server: "fs",
    commandDigest: "",
    envKeys: [],
  };
  const end = { type: "session_end", session: "s-a", exitCode: 0, signal: null };
  for (const event of [start, end]) {
    const own = check(signed(event));
    assert.equal(own.kind === "event" ? own.event.type : own.why, event.type);
    // Signed under s-a's key, in s-a's file, but of s-b: a line s-a never wrote.
    const other = check(signed({ ...event, session: "s-b" }));
    assert.equal(other.kind, "refused");
    assert.match(
      other.kind === "refused" ? other.why : "",
      new RegExp(`its ${event.type} names session "s-b", not "s-a"`),
    );
  }
});

Deno.test("checkSpoolLine finds the whole line written after a torn part, and no more", () => {
  const whole = signed(decision("d-2"));
  const torn = signed(decision("d-1")).slice(0, 150);
  const result = check(torn + whole);
  assert.equal(result.kind === "event" ? decisionIdOf(result.event) : result.why, "d-2");
  // A torn part that reached the MAC's tab.
  const tabbed = signed(decision("d-1"));
  const cut = check(tabbed.slice(0, tabbed.length - 30) + whole);
  assert.equal(cut.kind === "event" ? decisionIdOf(cut.event) : cut.why, "d-2");
  // Within its budget only: a line of event starts costs no hash of its rest for each.
  const starts = `${'{"type":"decision",'.repeat(1000)}${whole}`;
  const budgeted = checkSpoolLine(
    encoder.encode(starts),
    mac.forSession("s-a"),
    new SpoolChain(ROOT),
    { bytes: 1000 },
  );
  assert.equal(budgeted.kind, "refused");
});

Deno.test("readSpoolFile refuses a whole file for one bad line, and leaves a torn last line out", async () => {
  await using dir = await tempDir("thoth-spool-mac-");
  const path = `${dir.path}/s-a-1.jsonl`;
  const good = [decision("d-1"), decision("d-2")];
  writeSpoolFile(path, bodies(good), 42, () => {});
  await Deno.writeTextFile(path, signed(decision("d-3")).slice(0, 40), { append: true });
  const read = readSpoolFile(path, mac);
  assert.deepEqual(read.events.map(decisionIdOf), ["d-1", "d-2"]);
  assert.equal(read.openedAt, 42);
  assert.equal(read.refused, undefined);
  // A forged line among genuine ones: none of them is taken.
  writeSpoolFile(path, bodies(good), 42, () => {});
  const lines = (await Deno.readTextFile(path)).split("\n");
  lines.splice(2, 0, JSON.stringify(decision("d-forged")));
  await Deno.writeTextFile(path, lines.join("\n"));
  const forged = readSpoolFile(path, mac);
  assert.deepEqual(forged.events, []);
  assert.match(forged.refused ?? "", /^line 3: it carries no MAC/);
  // A file of an earlier release: no header, no MAC.
  await Deno.writeTextFile(path, `${JSON.stringify(decision("d-1"))}\n`);
  assert.match(readSpoolFile(path, mac).refused ?? "", /^line 1: it carries no MAC/);
  // A line that starts as a header does but is none.
  writeSpoolFile(path, bodies(["#anything", good[0]!]), 42, () => {});
  assert.match(readSpoolFile(path, mac).refused ?? "", /^line 2 is neither a header nor an event/);
  // A name that names no session.
  const nameless = `${dir.path}/x.jsonl`;
  writeSpoolFile(nameless, bodies(good), 42, () => {});
  assert.match(readSpoolFile(nameless, mac).refused ?? "", /names no session/);
});

Deno.test("readSpoolFile refuses a file or a line over its bounds without reading it whole", async () => {
  await using dir = await tempDir("thoth-spool-mac-");
  const path = `${dir.path}/s-a-1.jsonl`;
  const line = signed(decision("d-1"));
  writeSpoolFile(path, bodies([decision("d-1"), decision("d-1")]), 1, () => {});
  const size = (await Deno.stat(path)).size;
  const fits = readSpoolFile(path, mac, { fileBytes: size, lineBytes: line.length });
  assert.equal(fits.events.length, 2);
  assert.match(
    readSpoolFile(path, mac, { fileBytes: size - 1, lineBytes: line.length }).refused ?? "",
    new RegExp(`it is ${size} bytes, over the ${size - 1} bytes a spool file may hold`),
  );
  assert.match(
    readSpoolFile(path, mac, { fileBytes: size, lineBytes: line.length - 1 }).refused ?? "",
    /a line of it runs past \d+ bytes, over the \d+ bytes a spool line may hold/,
  );
  // One line of 3 MiB, read a chunk at a time: over a 2 MiB line cap before its end.
  const header = mac.forSession("s-a").header("s-a-1.jsonl", 1).line;
  await Deno.writeTextFile(path, `${header}\n${"x".repeat(3 * 1024 * 1024)}\n`);
  assert.match(
    readSpoolFile(path, mac, { fileBytes: 4 * 1024 * 1024, lineBytes: 2 * 1024 * 1024 }).refused ??
      "",
    /over the 2 MiB a spool line may hold/,
  );
  // A FIFO in its place is refused at once, not waited on.
  const fifo = `${dir.path}/s-a-2.jsonl`;
  await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert.match(readSpoolFile(fifo, mac).refused ?? "", /cannot be read: it is not a regular file/);
});

Deno.test("a spool file set aside is never claimed again nor counted as waiting", async () => {
  await using dir = await tempDir("thoth-spool-mac-");
  DecisionSpool.open(dir.path, "s-any").close();
  const spool = DecisionSpool.dir(dir.path);
  const old = new Date(Date.now() - 3_600_000);
  const taken = (path: string) => {
    try {
      Deno.statSync(path);
      return true;
    } catch {
      return false;
    }
  };
  const first = refusedName(`${spool}/s-a-1.jsonl.claimed-s-me`, taken);
  assert.equal(first, `${spool}/s-a-1.jsonl.refused`);
  Deno.writeTextFileSync(first, "x\n");
  const second = refusedName(`${spool}/s-a-1.jsonl`, taken);
  assert.equal(second, `${spool}/s-a-1.jsonl.refused-2`);
  Deno.writeTextFileSync(second, "x\n");
  const odd = refusedName(`${spool}/x.claimed-y.jsonl`, taken);
  Deno.writeTextFileSync(odd, "x\n");
  for (const path of [first, second, odd]) Deno.utimeSync(path, old, old);
  assert.deepEqual(orphanSpools(dir.path, "s-me", Date.now(), 60_000), []);
  assert.equal(doctorSpoolCount(dir.path, Date.now(), 60_000), null);
});

Deno.test("spoolsHolding counts a line only when its MAC verifies for the file's session", async () => {
  await using dir = await tempDir("thoth-spool-mac-");
  DecisionSpool.open(dir.path, "s-any").close();
  const spool = DecisionSpool.dir(dir.path);
  const body = JSON.stringify(decision("d-1", "s-stopped"));
  Deno.writeTextFileSync(`${spool}/s-other-1.jsonl`, `#spool_opened 1\n${body}\n`);
  const holds = () =>
    spoolsHolding(dir.path, "s-stopped", new Set([body]), Date.now(), 60_000, mac);
  assert.deepEqual(holds(), [], "a line without its MAC holds nothing");
  writeSpoolFile(`${spool}/s-other-1.jsonl`, bodies([body], "s-else"), 1, () => {});
  assert.deepEqual(holds(), [], "nor one signed for another session");
  writeSpoolFile(`${spool}/s-other-1.jsonl`, bodies([body], "s-other"), 1, () => {});
  assert.deepEqual(holds(), [`${spool}/s-other-1.jsonl`]);
  assert.equal(spoolFileSession(`${spool}/s-other-1.jsonl.claimed-s-x`), "s-other");
});
