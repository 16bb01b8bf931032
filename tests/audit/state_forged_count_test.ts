// A writer chains every record onto what its state file counts. A state file
// forged to count fewer records than the log holds (none at all, say) while
// naming the log's end would have the next writer start the chain again at
// seq 0 behind the records, or fork it: the writer checks a state it did not
// write itself against the log, and rebuilds it from the segments instead,
// recording why.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { emptyLogState, encodeLogState, type LogState } from "../../src/audit/log_state.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  appendAsNextWriter,
  readLines,
  sampleLog,
  segmentPath,
  steppingClock,
  tamperKinds,
} from "./_log_helpers.ts";

/** Writes `forge(state now)` over the state file; returns the log's record count. */
async function forgeStateFile(
  home: string,
  forge: (real: LogState, segment: { name: string; bytes: number }) => LogState,
): Promise<number> {
  const path = await segmentPath(home, -1);
  const name = path.slice(path.lastIndexOf("/") + 1);
  const real = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)) as LogState;
  const bytes = (await Deno.stat(path)).size;
  await Deno.writeFile(`${home}/audit/.state.json`, encodeLogState(forge(real, { name, bytes })));
  return (await readLines(path)).length;
}

const cases: [string, (real: LogState, segment: { name: string; bytes: number }) => LogState][] = [
  [
    "a count of 0 at the end of the log's segment",
    (_, segment) => ({
      ...emptyLogState(),
      segment: segment.name,
      segmentBytes: segment.bytes,
      segmentDay: segment.name.slice(17, 27),
    }),
  ],
  [
    "a count of 3 with the rest of the state as it was",
    (real) => ({ ...real, size: 3, frontier: real.frontier.slice(0, 2) }),
  ],
];

for (const [what, forge] of cases) {
  Deno.test(`a forged state file (${what}) does not restart or fork the chain: the writer rebuilds it from the log and says why`, async () => {
    const home = await sampleLog(2, 4);
    const held = await forgeStateFile(home, forge);
    const macless = JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)).mac ===
      undefined;
    // The state_rebuilt record follows the last record the log holds, then the new one;
    // after a state without a MAC, a checkpoint saying the writer keeps one comes first.
    assert.equal(
      await appendAsNextWriter(home),
      held + (macless ? 2 : 1),
      "the chain goes on after the log's records",
    );
    const lines = await readLines(await segmentPath(home, -1));
    assert.equal(JSON.parse(lines[held]!).type, "state_rebuilt");
    if (macless) assert.equal(JSON.parse(lines[held + 1]!).type, "checkpoint");

    const report = await verifyLocalLog(home);
    // No record claims a seq twice, none is out of order, no checkpoint forks: the
    // chain goes on, and no record is called modified. A forged count whose last
    // leaf hash names a record the log does not hold is the state's forgery.
    const broken = tamperKinds(report.findings).filter((k) => k !== "state_forged");
    assert.deepEqual(broken, [], JSON.stringify(report.findings));
    const rebuilt = report.findings.find((f) => f.kind === "state_rebuilt");
    assert.match(rebuilt?.message ?? "", /the state file did not match the log: /);
  });
}

Deno.test("a forged zero count names the segment it disagrees with", async () => {
  const home = await sampleLog(2, 4);
  const path = await segmentPath(home, -1);
  const name = path.slice(path.lastIndexOf("/") + 1);
  await forgeStateFile(home, cases[0]![1]);
  await appendAsNextWriter(home);
  const report = await verifyLocalLog(home);
  const rebuilt = report.findings.find((f) => f.kind === "state_rebuilt");
  assert.ok(rebuilt?.message.includes(`it counts 0 records, but holds`), rebuilt?.message);
  assert.ok(rebuilt?.message.includes(name), rebuilt?.message);
  assert.deepEqual(tamperKinds(report.findings), [], JSON.stringify(report.findings));
});

/** A session start record for `session`. */
const sessionStart = (session: string) => ({
  type: "session_start" as const,
  session,
  server: "fs",
  commandDigest: "ab".repeat(32),
  envKeys: [],
});

/** Two writers on `home`'s log, as two thoth processes would hold it. */
async function twoWriters(home: string) {
  const a = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  const b = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:01Z") });
  return { a, b, close: async () => void await Promise.all([a.close(), b.close()]) };
}

Deno.test("a running writer checks a count another process wrote, even one above its own last count", async () => {
  const home = await sampleLog(2, 4);
  const { a, b, close } = await twoWriters(home);
  const start = sessionStart;
  try {
    const mine = (await a.append(start("a"))).seq;
    for (let i = 0; i < 3; i++) await b.append(start(`b${i}`));
    // Above what `a` last counted, below what the log holds: a fork if believed.
    await forgeStateFile(home, (real) => ({ ...real, size: mine + 2 }));
    const next = (await a.append(start("a2"))).seq;
    assert.ok(next > mine + 4, `the chain goes on after the log's records, not at ${next}`);
  } finally {
    await close();
  }
  const report = await verifyLocalLog(home);
  assert.deepEqual(
    tamperKinds(report.findings).filter((k) => k !== "modified"),
    [],
    JSON.stringify(report.findings),
  );
  assert.ok(report.findings.some((f) => f.kind === "state_rebuilt"));
});

Deno.test("a running writer checks the last leaf hash of a state another process wrote, not only its count", async () => {
  const home = await sampleLog(2, 4);
  const { a, b, close } = await twoWriters(home);
  const start = sessionStart;
  try {
    await a.append(start("a"));
    await b.append(start("b"));
    // The count is right; the last record's hash is not.
    await forgeStateFile(home, (real) => ({ ...real, last: "22".repeat(32) }));
    await a.append(start("a2"));
  } finally {
    await close();
  }
  const report = await verifyLocalLog(home);
  // The chain goes on unbroken; no signed checkpoint from before the rebuild
  // covers the record the forged hash names, so nothing proves it as it was:
  // replaced, or the state file forged (the state's own frontier proves nothing).
  assert.deepEqual(tamperKinds(report.findings), ["modified"], JSON.stringify(report.findings));
  assert.match(
    report.findings.find((f) => f.kind === "modified")!.message,
    /it was replaced, or the state file was forged; no signed checkpoint from before seq \d+ covers that record/,
  );
  assert.ok(!report.findings.some((f) => /does not hash to the value/.test(f.message)));
  assert.match(
    report.findings.find((f) => f.kind === "state_rebuilt")?.message ?? "",
    /its leaf hash differs/,
  );
});
