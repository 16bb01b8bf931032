/**
 * `thoth audit show` prints its table without holding a row per record: over
 * a log of 150000 chained records, run as the real CLI with its V8 heap
 * capped at 64 MB, the table of every record comes out whole, one line per
 * record after the header, each column as wide as its widest cell (the
 * cells of the last session's records are the widest of the log). A table
 * that held every row before its first line runs out of memory.
 */
import assert from "node:assert/strict";
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { CLEAN_ENV } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { writeSyntheticLog } from "./_synthetic_log.ts";

const RECORDS = 150_000;
const HEAP_MB = 64;

Deno.test("audit show prints the table of 150000 records in a 64 MB heap, aligned", async () => {
  const home = `${await tempFolder("thoth-large-table-")}/home`;
  await writeSyntheticLog(`${home}/audit`, { count: RECORDS, segmentBytes: 24 << 20 });
  const run = await new Deno.Command(DENO, {
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
    ],
    clearEnv: true,
    env: { ...CLEAN_ENV, HOME: home, THOTH_HOME: home },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  assert.equal(run.code, 0, text(run.stderr).slice(0, 2000));
  assert.equal(text(run.stderr), "");
  const lines = text(run.stdout).split("\n");
  assert.equal(lines.pop(), "", "each line ends with a newline");
  assert.equal(lines.length, RECORDS + 1);
  // Aligned as one table: every column starts where its header does, two spaces after the one before.
  const header = lines[0]!;
  const starts = [
    "SEQ",
    "TYPE",
    "DECISION",
    "SERVER",
    "TOOL",
    "VERDICT",
    "EFFECT",
    "RULE",
    "MODE",
    "DETAIL",
  ]
    .map((name) => header.indexOf(name));
  lines.forEach((line, i) => {
    for (const start of starts) {
      if (line.length > start && line.slice(start - 2, start) !== "  ") {
        assert.fail(`row ${i} is not aligned at column ${start}:\n${header}\n${line}`);
      }
    }
  });
});
