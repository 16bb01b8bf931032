/**
 * The lost tally's bytes (see `lost_tally.ts`): always the same size, its
 * MAC bound to the device's key and to the file's name, and ids that do not
 * fit left out while the count still counts them. Pure vectors.
 */
import assert from "node:assert/strict";
import {
  decodeLostTally,
  emptyTally,
  encodeLostTally,
  LOST_TALLY_BYTES,
  LOST_TALLY_NAME,
  LostTallyMac,
} from "../../src/audit/lost_tally.ts";
import { untoldFinding } from "../../src/audit/lost_tally_findings.ts";

const mac = new LostTallyMac(new Uint8Array(32).fill(7));

function tally(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `d-${i.toString(16).padStart(16, "0")}`);
  return {
    ...emptyTally("s-1a2b"),
    count,
    types: { decision: count },
    decisionIds: ids,
    from: "2026-01-02T03:04:05.000Z",
    until: "2026-01-02T03:04:06.000Z",
    reason: "cannot write the audit spool: No space left on device",
  };
}

Deno.test("encodeLostTally() writes the same size whatever it counts, and decodeLostTally() reads it back verified", () => {
  for (const count of [0, 1, 40, 500]) {
    const bytes = encodeLostTally(tally(count), "s-1a2b.tally", mac);
    assert.equal(bytes.length, LOST_TALLY_BYTES);
    const read = decodeLostTally(bytes, "s-1a2b.tally", mac);
    assert.ok(!("problem" in read));
    assert.equal(read.mac, "verified");
    assert.equal(read.tally.count, count);
    assert.ok(read.tally.decisionIds.length <= Math.min(count, 50));
  }
});

Deno.test("decodeLostTally() fails the MAC of a tally changed, moved to another name or read under another key", () => {
  const bytes = encodeLostTally(tally(2), "s-1a2b.tally", mac);
  const changed = new TextEncoder().encode(
    new TextDecoder().decode(bytes).replace('"count":2', '"count":1'),
  );
  const read = (b: Uint8Array, name: string, key: LostTallyMac) => {
    const r = decodeLostTally(b, name, key);
    return "problem" in r ? r.problem : r.mac;
  };
  assert.equal(read(changed, "s-1a2b.tally", mac), "failed");
  assert.equal(read(bytes, "s-9999.tally", mac), "failed");
  assert.equal(read(bytes, "s-1a2b.tally", new LostTallyMac(new Uint8Array(32))), "failed");
  assert.equal(read(encodeLostTally(emptyTally("s-1a2b"), "s-1a2b.tally"), "x", mac), "none");
  assert.equal(read(new Uint8Array(LOST_TALLY_BYTES), "s-1a2b.tally", mac), "it holds no tally");
});

Deno.test("untoldFinding() warns of the losses the log's decisions_lost records do not tell, and of none past them", () => {
  const read = { tally: tally(3), mac: "verified" as const };
  const finding = untoldFinding("s-1a2b.tally", read, 1);
  assert.equal(finding?.kind, "decisions_untold");
  assert.equal(finding?.severity, "warning");
  assert.match(finding!.message, /tell of 1, so 2 are untold/);
  assert.equal(untoldFinding("s-1a2b.tally", read, 3), undefined);
});

Deno.test("untoldFinding() says the calls were refused, and that only a session in observe mode forwards them unrecorded", () => {
  const finding = untoldFinding("s-1a2b.tally", { tally: tally(2), mac: "verified" }, 0);
  assert.match(
    finding!.message,
    /; their calls were refused \(a session in observe mode forwards such calls without a record\); counted in its lost tally lost\/s-1a2b\.tally/,
  );
  assert.doesNotMatch(finding!.message, /but in observe mode/);
});

Deno.test("LOST_TALLY_NAME matches a session's tally file name, and no other name", () => {
  for (const name of ["s-1a2b.tally", `${"s".repeat(200)}.tally`, "a b.tally"]) {
    assert.ok(LOST_TALLY_NAME.test(name), name);
  }
  for (const name of [".tally", `${"s".repeat(201)}.tally`, "s-1.tally.tmp", "s-1.TALLY", "s-1"]) {
    assert.ok(!LOST_TALLY_NAME.test(name), name);
  }
});
