/**
 * A writer whose state file matches the last segment still refuses a log
 * with a segment missing before it (the seq check used to run only when the
 * state was rebuilt): it reads the segments' names and the last record of
 * each, not the whole log, and writes nothing onto the gap.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { seamBreak } from "../../src/audit/segment_seams.ts";
import { sampleLog } from "./_log_helpers.ts";

const end = { type: "session_end", session: "late", exitCode: 0, signal: null } as const;

async function segmentedLog(): Promise<{ home: string; dir: string; names: string[] }> {
  const home = await sampleLog(3, 8, { maxSegmentBytes: 4096 });
  const dir = `${home}/audit`;
  const names = await listSegments(dir);
  assert.ok(names.length >= 4, `several segments (${names.length})`);
  return { home, dir, names };
}

async function snapshot(dir: string, names: readonly string[]): Promise<string[]> {
  return await Promise.all(names.map((n) => Deno.readTextFile(`${dir}/${n}`)));
}

Deno.test("a log whose segments join up is written on", async () => {
  const { home, dir, names } = await segmentedLog();
  assert.equal(await seamBreak(dir, names), undefined);
  // An empty segment (a writer stopped before its first record) moves nothing.
  const third = names[2]!;
  await Deno.writeFile(`${dir}/${third.slice(0, 17)}2000-01-01.jsonl`, new Uint8Array());
  assert.equal(await seamBreak(dir, await listSegments(dir)), undefined);
  const log = await openAuditLog({ thothHome: home });
  await log.append(end);
  await log.close();
});

Deno.test("a writer with an intact state refuses a log missing a segment before the last", async () => {
  const { home, dir, names } = await segmentedLog();
  const missing = names[1]!;
  const from = Number(missing.slice(4, 16));
  const to = Number(names[2]!.slice(4, 16)) - 1;
  await Deno.remove(`${dir}/${missing}`);
  const left = names.filter((n) => n !== missing);
  const before = await snapshot(dir, left);
  const log = await openAuditLog({ thothHome: home });
  try {
    for (let i = 0; i < 2; i++) {
      await assert.rejects(
        () => log.append(end),
        (e: Error & { code?: string }) =>
          e.code === "audit.chain_broken" &&
          new RegExp(`seq ${from}\\.\\.${to} are missing; no record was written`).test(e.message),
      );
    }
  } finally {
    await log.close().catch(() => {});
  }
  assert.deepEqual(await listSegments(dir), left);
  assert.deepEqual(await snapshot(dir, left), before, "nothing was written");
});

Deno.test("a writer with an intact state refuses a log whose first segment is gone", async () => {
  const { home, dir, names } = await segmentedLog();
  await Deno.remove(`${dir}/${names[0]}`);
  const log = await openAuditLog({ thothHome: home });
  try {
    await assert.rejects(
      () => log.append(end),
      (e: Error & { code?: string }) =>
        e.code === "audit.chain_broken" && /the first record claims seq \d+/.test(e.message),
    );
  } finally {
    await log.close().catch(() => {});
  }
});
