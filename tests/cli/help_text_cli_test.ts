/**
 * Help reads as written: a description's paragraphs wrapped once (no word
 * left alone on a line), one line per command in a list of commands, the
 * --since/--until table once, and defaults in the unit the docs use.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

async function help(args: string[], program: "thoth" | "thothctl" = "thoth"): Promise<string> {
  const home = await tempFolder("thoth-help-");
  const run = await runThoth([...args, "--help"], {
    env: { THOTH_HOME: home, HOME: home },
    cwd: home,
    program,
  });
  assert.equal(run.code, 0, run.err);
  return run.out;
}

/** The entries of the "Commands:" list: each the first line of an entry and its continuations. */
function commandEntries(out: string): string[][] {
  const lines = out.split("\n");
  const start = lines.indexOf("Commands:");
  assert.ok(start >= 0, out);
  const entries: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === "") break;
    if (/^ {2}\S/.test(line)) entries.push([line]);
    else entries.at(-1)!.push(line);
  }
  return entries;
}

const TABLE_HEAD = "--since and --until take";

Deno.test("thoth --help: the description reads as written, and update is one line", async () => {
  const out = await help([]);
  const description = out.split("\n\n")[1]!;
  assert.equal(
    description.replaceAll("\n", " "),
    "Govern MCP servers with zero code changes: a stdio sidecar that checks every tools/call " +
      "against policy before it reaches the server, and keeps tamper-evident evidence.",
  );
  // Wrapped once: no line but the last is cut short to a lone word ("checks every / tools/call").
  for (const line of description.split("\n").slice(0, -1)) {
    assert.ok(line.includes(" ") && line.length > 60, `cut short: ${line}`);
  }
  const entries = commandEntries(out);
  const update = entries.find((entry) => entry[0]!.startsWith("  update"));
  const run = entries.find((entry) => entry[0]!.startsWith("  run "));
  assert.equal(update?.length, 1, update?.join("\n"));
  assert.equal(run?.length, 1, run?.join("\n"));
  assert.doesNotMatch(out, /^\s+(its|SHA-256;?|tools\/call)$/m);
});

Deno.test("thoth audit --help: one line per command, and the period table only where it applies", async () => {
  const out = await help(["audit"]);
  for (const entry of commandEntries(out)) assert.equal(entry.length, 1, entry.join("\n"));
  assert.ok(out.split(TABLE_HEAD).length - 1 <= 1, out);
  for (const sub of ["show", "export"]) {
    const own = await help(["audit", sub]);
    assert.equal(own.split(TABLE_HEAD).length - 1, 1, own);
    assert.match(own, /^ {2}30m, 24h, 7d {10}an age, counted back from now$/m, "rows as written");
  }
  const ctl = await help(["audit"], "thothctl");
  for (const entry of commandEntries(ctl)) assert.equal(entry.length, 1, entry.join("\n"));
});

Deno.test("thoth run --help shows --max-line-bytes' default as the docs write it", async () => {
  const out = await help(["run"]);
  assert.match(out, /\(default: 64MiB\)/);
  assert.doesNotMatch(out, /67108864/);
  assert.match(out, /\(default: 45\)/, "--approval-timeout");
});
