/**
 * `thoth audit tail` reads the newest segment from its end backwards, a
 * chunk at a time, and an earlier segment only when it needs more lines:
 * the newest 20 records of a segment of 32 MiB cost a few chunks, not the
 * segment (counted in the bytes that command read from the files of the
 * audit folder, at Deno's file API, in a process of its own).
 * What it returns is what reading every segment whole found: the same lines
 * for any count (none, fewer than a segment holds, across segments, more
 * than the log holds), any chunk size (records of multibyte characters cut
 * between chunks), with a record still being written at the end, and a poll
 * after it goes on from the same place.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { LogFollower } from "../../src/audit/follow_log.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { type LogLine, readLogLines } from "../../src/audit/read_records.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { steppingClock } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

const decoder = new TextDecoder();

/** A profile whose log holds `count` records of multibyte text, in segments of about `segmentBytes`. */
async function multibyteLog(count: number, segmentBytes: number): Promise<string> {
  const home = await tempFolder("thoth-tail-");
  const log = await openAuditLog({
    thothHome: home,
    now: steppingClock(),
    checkpointEvery: 1_000_000,
    maxSegmentBytes: segmentBytes,
  });
  try {
    for (let i = 0; i < count; i++) {
      await log.append({
        type: "session_end",
        session: `sé✓😀-${"ü".repeat(i % 7)}-${i}`,
        exitCode: i,
        signal: null,
      });
    }
  } finally {
    await log.close();
  }
  return home;
}

/** What reading every segment whole gives for the newest `count` lines (the old `tail`). */
async function wholeTail(dir: string, count: number): Promise<LogLine[]> {
  const all = await readLogLines(dir);
  return count === 0 ? [] : all.slice(Math.max(0, all.length - count));
}

const shown = (lines: readonly LogLine[]) =>
  lines.map((l) => ({ segment: l.segment, text: decoder.decode(l.bytes), record: l.record }));

Deno.test("LogFollower.tail returns what reading the segments whole returns, for every count and chunk size", async () => {
  const home = await multibyteLog(40, 1200);
  const dir = auditPaths(home).dir;
  const segments = await listSegments(dir);
  assert.ok(segments.length >= 4, `several segments (${segments.length})`);
  // A record still being written at the end, cut inside a multibyte character.
  const partial = new TextEncoder().encode('{"seq":40,"session":"😀').subarray(0, 22);
  const newest = `${dir}/${segments[segments.length - 1]!}`;
  await Deno.writeFile(newest, partial, { append: true });
  const total = (await readLogLines(dir)).length;
  const counts = [0, 1, 2, 3, 7, 15, 21, total - 1, total, total + 1, 1000];
  for (const chunkBytes of [1, 5, 64, 4096, undefined]) {
    for (const count of counts) {
      const follower = new LogFollower(dir, chunkBytes === undefined ? {} : { chunkBytes });
      assert.deepEqual(
        shown(await follower.tail(count)),
        shown(await wholeTail(dir, count)),
        `tail(${count}) by ${chunkBytes ?? "default"} bytes`,
      );
      assert.deepEqual(await follower.poll(), [], "the partial record is not a line yet");
    }
  }
  const follower = new LogFollower(dir, { chunkBytes: 7 });
  await follower.tail(3);
  await Deno.writeFile(newest, new TextEncoder().encode("\n"), { append: true });
  const fresh = await follower.poll();
  assert.deepEqual(fresh.map((l) => decoder.decode(l.bytes)), [decoder.decode(partial)]);
});

Deno.test("LogFollower.tail of a segment with no newline, or newlines only", async () => {
  const home = await tempFolder("thoth-tail-");
  const dir = auditPaths(home).dir;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/seg-000000000000-2026-03-01.jsonl`, "\n\n\n");
  await Deno.writeTextFile(`${dir}/seg-000000000003-2026-03-01.jsonl`, "no newline é");
  for (const count of [0, 1, 2, 3, 4]) {
    for (const chunkBytes of [1, 2, 64]) {
      assert.deepEqual(
        shown(await new LogFollower(dir, { chunkBytes }).tail(count)),
        shown(await wholeTail(dir, count)),
        `tail(${count}) by ${chunkBytes}`,
      );
    }
  }
});

const tailReader = new URL("./_tail_read_bytes.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;

/**
 * `thoth audit tail <args>` run in a process of its own, with the bytes the
 * command read from the files of the profile's audit folder
 * (`_tail_read_bytes.ts`): only those, so that neither Deno's own reads (its
 * module caches, read at times under load) nor another test's count.
 */
async function tailInChild(
  home: string,
  args: readonly string[],
): Promise<{ code: number; out: string; err: string; read: number }> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${config}`,
      "-P=test",
      "--no-prompt",
      tailReader,
      home,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, decoder.decode(run.stderr));
  return JSON.parse(decoder.decode(run.stdout));
}

const HOLE_BYTES = 32 << 20;

Deno.test({
  name: "audit tail -n 20 of a segment of 32 MiB reads from its end, not the segment",
  fn: async () => {
    const home = await multibyteLog(60, 1 << 20);
    const dir = auditPaths(home).dir;
    const [segment] = await listSegments(dir);
    const path = `${dir}/${segment!}`;
    const records = await Deno.readFile(path);
    // The same records at the end of a 32 MiB segment: its beginning a line of
    // zero bytes (a hole the file system does not store) that tail must not read.
    const expected = {
      table: await thothAudit(home, "tail", "-n", "20"),
      json: await thothAudit(home, "tail", "-n", "20", "--json"),
    };
    await Deno.truncate(path, HOLE_BYTES);
    {
      using file = await Deno.open(path, { write: true });
      await file.seek(HOLE_BYTES, Deno.SeekMode.Start);
      await file.write(new TextEncoder().encode("\n"));
      let written = 0;
      while (written < records.length) written += await file.write(records.subarray(written));
    }
    assert.ok((await Deno.stat(path)).size > HOLE_BYTES);
    for (const [args, want] of [[[], expected.table], [["--json"], expected.json]] as const) {
      const { read, ...got } = await tailInChild(home, ["-n", "20", ...args]);
      assert.equal(got.code, 0, got.err);
      assert.deepEqual(got, want, "the same output as before the segment grew");
      // Counted where tail reads: at least the records it shows (were it to read the segment
      // some way the count does not see, this says so instead of passing on a count of 0).
      assert.ok(read >= records.length, `tail ${args.join(" ")} read ${read} bytes, as counted`);
      assert.ok(
        read < 1 << 20,
        `tail ${args.join(" ")} read ${read} bytes of a ${HOLE_BYTES}-byte segment`,
      );
    }
  },
});
