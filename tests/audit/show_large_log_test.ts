/**
 * `thoth audit show` reads the log a line at a time and keeps only what it
 * prints: over a log of 150000 chained records (three segments), run as the
 * real CLI with its V8 heap capped at 64 MB, `show --since 1h` (nothing in
 * the period), `show --json` (every record) and a `show --json` whose reader
 * goes away after one line all finish. A reader that held the log (every
 * line and its parsed record: about twice the cap here) runs out of memory.
 */
import assert from "node:assert/strict";
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { CLEAN_ENV } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { writeSyntheticLog } from "./_synthetic_log.ts";

const RECORDS = 150_000;
const HEAP_MB = 64;

let made: Promise<string> | undefined;

/** A profile holding the large log (written once for the file's tests). */
function largeLog(): Promise<string> {
  made ??= (async () => {
    const home = `${await tempFolder("thoth-large-log-")}/home`;
    await writeSyntheticLog(`${home}/audit`, { count: RECORDS, segmentBytes: 24 << 20 });
    return home;
  })();
  return made;
}

/** `thoth audit show …` under the heap cap, with stdout as `stdout` says. */
function show(home: string, args: string[], stdout: "piped" | "null"): Deno.ChildProcess {
  return new Deno.Command(DENO, {
    args: [
      "run",
      "-P=thoth",
      "--no-prompt",
      "--quiet",
      `${V8_FLAGS},--max-old-space-size=${HEAP_MB}`,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/thoth.ts`,
      "audit",
      "show",
      ...args,
    ],
    clearEnv: true,
    env: { ...CLEAN_ENV, HOME: home, THOTH_HOME: home },
    stdin: "null",
    stdout,
    stderr: "piped",
  }).spawn();
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("audit show --since over a log of 150000 records runs in a 64 MB heap and prints the header alone", async () => {
  const home = await largeLog();
  const run = await show(home, ["--since", "1h"], "piped").output();
  assert.equal(run.code, 0, text(run.stderr).slice(0, 2000));
  // The chain holds across the segments: stderr holds only the note that no record matched.
  assert.equal(text(run.stderr), 'thoth: no records match --since "1h"\n');
  assert.match(text(run.stdout), /^TIME \(UTC\) +SEQ +TYPE .*DETAIL\n$/);
});

Deno.test("audit show --json prints 150000 records in a 64 MB heap", async () => {
  const home = await largeLog();
  const run = await show(home, ["--json"], "null").output();
  assert.equal(run.code, 0, text(run.stderr).slice(0, 2000));
  assert.equal(text(run.stderr), "");
});

Deno.test("audit show --json whose reader goes away after one line ends quietly with exit 141", async () => {
  const home = await largeLog();
  const child = show(home, ["--json"], "piped");
  const reader = child.stdout.getReader();
  let got = "";
  while (!got.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    got += text(value);
  }
  await reader.cancel();
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  assert.equal(JSON.parse(got.slice(0, got.indexOf("\n")))["seq"], 0);
  assert.equal(stderr, "", "no stack trace, no internal error");
  assert.equal(status.code, 141, "what a shell shows for a writer whose reader went away");
});
