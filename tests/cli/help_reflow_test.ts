/**
 * Help text past the width: a paragraph written indented under a heading
 * ("What a wrapped server runs:") is wrapped again as one paragraph under
 * its indent, never left as a long line and a short fragment per line; list
 * items, table rows and example commands are never joined; an example that
 * goes on in the next line (` \`) is broken as a command. Every command's
 * help, thoth's and thothctl's, fits 80 columns. `run --help` names the
 * defaults of --tenant-id and --intent.
 */
import assert from "node:assert/strict";
import { fitToWidth } from "../../src/cli/help_layout.ts";
import { everyHelp } from "./_every_help.ts";

Deno.test("fitToWidth() wraps an indented paragraph as one, under its indent", () => {
  const text = "Heading:\n" +
    "  one two three four five six seven\n" +
    "  eight nine\n" +
    "  ten eleven\n" +
    "\n" +
    "after";
  assert.equal(
    fitToWidth(text, 24),
    "Heading:\n  one two three four\n  five six seven eight\n  nine ten eleven\n\nafter",
  );
  // Lines that fit stay as written.
  assert.equal(fitToWidth(text, 40), text);
});

Deno.test("fitToWidth() never joins list items, table rows, comments or examples", () => {
  const list = "  - one two three four five six seven\n  - eight";
  assert.equal(fitToWidth(list, 24), "  - one two three four\n  five six seven\n  - eight");
  const rows = "  30m  an age of thirty minutes or more\n  7d   days";
  assert.equal(
    fitToWidth(rows, 30),
    "  30m  an age of thirty\n       minutes or more\n  7d   days",
  );
  const examples = "  thoth wrap-config --client cursor --dry-run\n  thoth status";
  assert.equal(
    fitToWidth(examples, 30),
    "  thoth wrap-config --client \\\n    cursor --dry-run\n  thoth status",
  );
  const paths = "  /a/very/long/path/to/a/config/file.json\n  /b";
  assert.equal(fitToWidth(paths, 20), paths);
  // A command that goes on in the next line is broken as a command, its " \" kept last.
  const goesOn = "  <thoth> run --agent-id NAME [--intent INTENT] \\\n    -- server args";
  assert.equal(
    fitToWidth(goesOn, 36),
    "  <thoth> run --agent-id NAME \\\n    [--intent INTENT] \\\n    -- server args",
  );
});

Deno.test("every help of thoth and thothctl fits 80 columns", async () => {
  const helps = await everyHelp("thoth-help-reflow-");
  assert.ok(helps.length > 30, `${helps.length} commands`);
  for (const { name, text } of helps) {
    for (const line of text.split("\n")) {
      // Only a word longer than the room (a path in this test's temp profile) may pass it.
      if (/^ *\S+$/.test(line) || /^ +\S+ {2,}\S+$/.test(line)) continue;
      assert.ok([...line].length <= 80, `${name}: ${[...line].length}: ${line}`);
    }
  }
});

Deno.test("wrap-config --help: what a wrapped server runs reads as whole sentences", async () => {
  const help =
    (await everyHelp("thoth-help-reflow-")).find((h) => h.name === "thoth wrap-config")!.text;
  const start = help.indexOf("What a wrapped server runs:\n");
  assert.ok(start >= 0, help);
  const block = help.slice(start, help.indexOf("\n\n", start)).split("\n").slice(1);
  const command = block.filter((line) => /^\s*(?:<thoth>|\[|--)/.test(line));
  assert.ok(command.length >= 2, block.join("\n"));
  for (const line of command.slice(0, -1)) assert.ok(line.endsWith(" \\"), line);
  const prose = block.slice(command.length);
  assert.match(prose[0]!, /^ {2}"env" keeps/);
  assert.ok(prose.length >= 3, prose.join("\n"));
  prose.forEach((line, i) => {
    assert.ok(line.length <= 80, line);
    assert.match(line, /^ {2}\S/);
    const next = prose[i + 1];
    if (next === undefined) return;
    // Wrapped once: the next line's first word would not have fitted on this one.
    const word = next.trim().split(" ")[0]!;
    assert.ok(line.length + 1 + word.length > 80, `a short line before more:\n${line}\n${next}`);
  });
  assert.match(
    prose.map((line) => line.trim()).join(" "),
    /Running wrap-config again changes only what you select/,
  );
});

Deno.test("run --help names the defaults of --tenant-id and --intent", async () => {
  const help = (await everyHelp("thoth-help-reflow-")).find((h) => h.name === "thoth run")!.text;
  const option = (flag: string) => {
    const from = help.indexOf(`  ${flag} `);
    assert.ok(from >= 0, help);
    const rest = help.slice(from + 2);
    const end = rest.search(/\n {2}-/);
    return rest.slice(0, end).replace(/\s+/g, " ");
  };
  assert.match(option("--tenant-id"), /default: \$THOTH_TENANT_ID/);
  assert.match(option("--intent"), /default: the server's entry in \$THOTH_HOME\/intent_map\.json/);
});
