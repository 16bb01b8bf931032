/**
 * `thoth audit verify` and `thoth audit export` show how far the
 * verification has got on a terminal's standard error, wipe the line before
 * anything else is printed, and print exactly what they printed before: off
 * a terminal nothing is added.
 */
import assert from "node:assert/strict";
import { runThothProgram } from "../../src/cli/thoth_program.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

/** A CliIo whose clock moves a second at each look, so every step is past the delay. */
function io(home: string, tty: boolean) {
  let at = 0;
  return Object.assign(fakeCliIo(home), {
    stderrIsTty: tty,
    monotonicMs: () => at += 1000,
  });
}

const WIPE = "\r\x1b[K";

Deno.test("audit verify shows its progress on a terminal and prints the same report", async () => {
  const home = await sampleLog(4, 8, { maxSegmentBytes: 4096 });
  for (const args of [["audit", "verify"], ["audit", "verify", "--json"]]) {
    const terminal = io(home, true);
    const piped = io(home, false);
    assert.equal(await runThothProgram(args, terminal), 0, terminal.stderr);
    assert.equal(await runThothProgram(args, piped), 0, piped.stderr);
    assert.equal(terminal.stdout, piped.stdout, "the report is the same");
    assert.equal(piped.stderr, "", "nothing is added off a terminal");
    assert.match(
      terminal.stderr,
      /^\rthoth: verifying the audit log: 1 of \d+ segments read: \d+ records?, [\d.]+ (B|KiB) of [\d.]+ KiB \(\d+%\)/,
    );
    assert.ok(
      terminal.stderr.includes("%)\x1b[K\r"),
      "each text ends erasing what a longer one left",
    );
    assert.match(terminal.stderr, /all \d+ segments read \(\d+ records, [\d.]+ KiB\); checking/);
    assert.ok(terminal.stderr.endsWith(WIPE), JSON.stringify(terminal.stderr.slice(-80)));
    assert.ok(!terminal.stderr.includes("\n"), "one line, rewritten in place");
  }
});

Deno.test("audit export wipes its progress line before its own messages", async () => {
  const home = await sampleLog(4, 8, { maxSegmentBytes: 4096 });
  const out = `${await tempFolder("thoth-export-")}/bundle`;
  const terminal = io(home, true);
  const code = await runThothProgram(
    ["audit", "export", "--since", "2020-01-01", "--output", out],
    terminal,
  );
  assert.equal(code, 0, terminal.stderr);
  assert.match(terminal.stderr, /^\rthoth: exporting: 1 of \d+ segments read/);
  assert.ok(terminal.stderr.includes("\rthoth: exporting: verified; writing the bundle\x1b[K"));
  const wiped = terminal.stderr.lastIndexOf(WIPE);
  assert.ok(wiped > 0);
  assert.ok(!terminal.stderr.slice(0, wiped).includes("\n"), "no message under the line");
  assert.ok(!terminal.stderr.slice(wiped + WIPE.length).includes("\r"), "nothing shown after");
  const bundle = await Deno.stat(`${out}/manifest.json`);
  assert.ok(bundle.isFile);
});
