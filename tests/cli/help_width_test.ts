/**
 * Help fits one width: text a command adds after its options is wrapped as
 * the parser wraps the rest (the terminal's width, else 80), the list of
 * commands reads in lower case, and `approve`/`deny` say what an id is made of.
 */
import assert from "node:assert/strict";
import { fitToWidth } from "../../src/cli/help_layout.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";

Deno.test("fitToWidth() rewraps a paragraph with a long line and a long table row, and keeps the rest", () => {
  const fits = "Usage: thoth x\n\nshort line\n  --a   an option";
  assert.equal(fitToWidth(fits, 20), fits);
  assert.equal(
    fitToWidth("one two three four five six seven eight nine\nten\n\nkept", 20),
    "one two three four\nfive six seven eight\nnine ten\n\nkept",
  );
  // An example command's comment goes above it, every line of it a comment: pasted, no
  // line of it runs anything but the command.
  assert.equal(
    fitToWidth("  thoth x --check   # exit 1 unless every server is governed", 40),
    "  # exit 1 unless every server is\n  # governed\n  thoth x --check",
  );
  const path = "  claude-desktop  /Users/ana/Library/Application Support/Claude/config.json";
  assert.equal(fitToWidth(path, 40), path, "a path is never split");
});

async function help(args: string[], program: "thoth" | "thothctl" = "thoth"): Promise<string> {
  const home = await tempFolder("thoth-help-");
  const run = await runThoth([...args, "--help"], {
    env: { HOME: home, THOTH_HOME: `${home}/.thoth` },
    cwd: home,
    program,
  });
  assert.equal(run.code, 0, run.err);
  return run.out;
}

Deno.test("thoth status --help, its text after the options included, fits 80 columns", async () => {
  for (const line of (await help(["status"])).split("\n")) {
    // Only a word longer than the room left (a client's config path) may pass it.
    if (/^ +\S+ {2,}\S+$/.test(line)) continue;
    assert.ok(line.length <= 80, `${line.length}: ${line}`);
  }
});

Deno.test("thoth --help lists every command's summary in lower case", async () => {
  const out = await help([]);
  const list = out.slice(out.indexOf("Commands:"), out.indexOf("\n\n", out.indexOf("Commands:")));
  const summaries = list.split("\n").slice(1).map((l) => /^ {2}\S.*? {2,}(\S.*)$/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
  assert.ok(summaries.length >= 10, list);
  for (const summary of summaries) assert.match(summary, /^[a-z]/, summary);
  assert.match(list, /wrap-config .* put every stdio MCP server/);
});

Deno.test("approvals approve and deny --help state the id alphabet", async () => {
  for (const program of ["thoth", "thothctl"] as const) {
    for (const sub of ["approve", "deny"]) {
      const out = await help(["approvals", sub], program);
      assert.match(
        out.replace(/\s+/g, " "),
        /An id is 8 characters from "abcdefghjkmnpqrstuvwxyz23456789" \(lowercase letters and digits without 0, 1, i, l and o\); case is ignored\./,
      );
    }
  }
});

Deno.test("fitToWidth() keeps an example table row's command whole and wraps what it does under it", () => {
  const row =
    "  thothctl approvals list                  what is waiting, with rule and argument shape";
  const lines = fitToWidth(row, 60).split("\n");
  assert.equal(lines[0]!.trim(), "thothctl approvals list", "the command alone on its line");
  assert.match(lines.slice(1).join(" "), /what is waiting, with rule and argument shape/);
  // At a width with room for the column, the row stays a row.
  assert.match(fitToWidth(row, 80), /^ {2}thothctl approvals list {18}what is waiting/);
  assert.ok(!lines.some((l) => l.endsWith("\\")), "not broken as a command");
  // The description is never glued onto the command as if it were its arguments.
  assert.ok(!lines.some((l) => /approvals list what/.test(l)), lines.join("\n"));
  assert.ok(lines.every((l) => l.length <= 60), lines.join("\n"));
});
