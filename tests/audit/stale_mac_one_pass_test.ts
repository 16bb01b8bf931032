/**
 * A writer that finds a state file whose MAC does not verify searches the
 * log's earlier states for it (see `earlier_state_mac.ts`) while it holds
 * the log's lock, which every session on the machine waits for. Before, the
 * search read the whole log again before the rebuild read it: an open over a
 * log of 200,000 records with such a state took three times as long. Now it
 * is gathered in the rebuild's own pass, and finds what `verify`'s own read
 * finds. Logs written by the audit library as sessions write them, over
 * several segments.
 */
import assert from "node:assert/strict";
import { BadMacSearch, staleStateMacAt } from "../../src/audit/earlier_state_read.ts";
import { fromBase64 } from "../../src/audit/encoding.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { encodeLogStateText, parseLogState } from "../../src/audit/log_state.ts";
import { scanLogState } from "../../src/audit/scan_log_state.ts";
import { stateMacKey } from "../../src/audit/state_mac.ts";
import { readLines } from "./_log_helpers.ts";
import { thisReleaseSession } from "./_state_mac_sessions.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Small segments: the log spans several. */
const maxSegmentBytes = 2048;

/**
 * Sessions of this release over several segments, the state file then
 * carrying the MAC of the state the first one left: as an earlier release's
 * writer leaves it (see `_earlier_release_writer.ts`, for a log of one segment).
 */
async function staleOverSegments(): Promise<{ home: string; stale: number }> {
  const home = await tempFolder("thoth-audit-");
  const statePath = `${home}/audit/.state.json`;
  await thisReleaseSession(home, "s-0", 6, "2026-03-01T10:00:00Z", { maxSegmentBytes });
  const stale = (await allLines(home)).length;
  const { mac } = parseLogState(await Deno.readTextFile(statePath))!;
  await thisReleaseSession(home, "s-1", 6, "2026-03-01T11:00:00Z", { maxSegmentBytes });
  const state = parseLogState(await Deno.readTextFile(statePath))!;
  await Deno.writeTextFile(statePath, encodeLogStateText({ ...state, mac: mac! }));
  return { home, stale };
}

/** The log's lines, every segment's in order. */
async function allLines(home: string): Promise<string[]> {
  const dir = `${home}/audit`;
  const lines: string[] = [];
  for (const name of await listSegments(dir)) lines.push(...await readLines(`${dir}/${name}`));
  return lines;
}

Deno.test("a writer that finds an earlier state's MAC reads each segment once, and names that state", async () => {
  const { home, stale } = await staleOverSegments();
  const dir = `${home}/audit`;
  const segments = await listSegments(dir);
  assert.ok(segments.length >= 3, `${segments.length} segments`);
  const open = Deno.open;
  const opened: string[] = [];
  const counting = (path: string | URL, options?: Deno.OpenOptions) => {
    opened.push(String(path));
    return open(path, options);
  };
  (Deno as unknown as { open: typeof Deno.open }).open = counting;
  try {
    await thisReleaseSession(home, "s-next", 0, "2026-03-01T13:00:00Z", { maxSegmentBytes });
  } finally {
    (Deno as unknown as { open: typeof Deno.open }).open = open;
  }
  for (const name of segments) {
    const reads = opened.filter((path) => path === `${dir}/${name}`).length;
    assert.equal(reads, 1, `${name} was read ${reads} times`);
  }
  const reasons = (await allLines(home))
    .map((line) => JSON.parse(line))
    .filter((record) => record.type === "state_rebuilt")
    .map((record) => String(record.reason));
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, new RegExp(`the log's earlier state at ${stale} records:`));
});

Deno.test("BadMacSearch finds, in the rebuild's pass, the earlier state verify's read finds", async () => {
  const { home, stale } = await staleOverSegments();
  const dir = `${home}/audit`;
  const state = parseLogState(await Deno.readTextFile(`${dir}/.state.json`))!;
  const key = stateMacKey(fromBase64((await Deno.readTextFile(auditPaths(home).hmacKey)).trim())!);
  assert.equal(await staleStateMacAt(dir, state, key), stale);
  const reason = new BadMacSearch(state, key).reason("its segment could not be read");
  const { tree } = await scanLogState(dir, await listSegments(dir), reason.visit);
  assert.equal(
    reason.text(tree),
    `the state file did not match the log: its MAC was the one of the log's earlier state at ${stale} records: a thoth of an earlier release, which keeps no MAC on its state, wrote the log after it, or someone put back the MAC of an earlier state file; its segment could not be read`,
  );
  // A MAC of no earlier state: what the writer recorded before.
  const none = new BadMacSearch({ ...state, mac: "ab".repeat(32) }, key).reason();
  await scanLogState(dir, await listSegments(dir), none.visit);
  assert.equal(
    none.text(tree),
    "the state file did not match the log: its MAC did not verify: no thoth holding this device's audit key wrote it",
  );
});
