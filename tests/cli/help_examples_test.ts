/**
 * Help teaches evenly: every leaf command of thoth and thothctl shows an
 * "Examples:" section that runs the program it is in; no help line is cut
 * short mid-sentence by a newline written into the text; every command's
 * description starts in lower case, as the list of commands does; `thoth
 * --help` shows the first-hour commands (wrap-config, status, doctor, the
 * demo); and `thoth -v` points at -V/--version.
 */
import assert from "node:assert/strict";
import { runThothProgram } from "../../src/cli/thoth_program.ts";
import { everyHelp, helpSection } from "./_every_help.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("every leaf command's help has an Examples section that runs its program", async () => {
  const leaves = (await everyHelp("thoth-help-examples-")).filter((help) => help.leaf);
  assert.ok(leaves.length >= 30, `${leaves.length} leaf commands`);
  const missing: string[] = [];
  for (const help of leaves) {
    const examples = helpSection(help.text, "Examples:");
    // An example line runs the program (perhaps after a pipe or variables), not a comment.
    const runs = examples?.some((line) =>
      !/^\s*#/.test(line) && new RegExp(`(?:^|[|] |\\s)${help.program} \\S`).test(line) &&
      line.includes(help.path[0]!)
    );
    if (runs !== true) missing.push(help.name);
  }
  assert.deepEqual(missing, [], `no examples in: ${missing.join(", ")}`);
});

Deno.test("auth, audit and policy examples name the program they run under", async () => {
  const helps = await everyHelp("thoth-help-examples-");
  for (const path of [["auth", "login"], ["audit", "verify"], ["policy", "explain"]]) {
    const ctl = helps.find((h) => h.program === "thothctl" && h.path.join(" ") === path.join(" "));
    assert.ok(ctl !== undefined, path.join(" "));
    assert.match(helpSection(ctl.text, "Examples:")!.join("\n"), new RegExp(`thothctl ${path[0]}`));
  }
});

/**
 * Prose: a line that is not blank, a table row (two spaces inside), a
 * comment, a list item, an example command or a path.
 */
function prose(line: string): boolean {
  const body = line.trim();
  return body !== "" && !/\S {2,}\S/.test(body) && !body.endsWith("\\") &&
    !/^(?:#|[-*•]\s|\d+[.)]\s|thoth\b|thothctl\b|--|[/~$<[])/.test(body);
}

/**
 * Pairs of lines of one paragraph where the first is cut short: it ends
 * inside a sentence (no ".", ":", ";", "!" or "?") and the next line's first
 * word would have fitted on it with `slack` columns to spare. Help the parser
 * wraps never does that; only a newline written into a text can.
 */
function cutShort(text: string, width = 80, slack = 12): string[] {
  const lines = text.split("\n");
  const found: string[] = [];
  for (const [i, line] of lines.entries()) {
    const next = lines[i + 1];
    if (next === undefined || !prose(line) || !prose(next)) continue;
    if (/^\s*/.exec(line)![0] !== /^\s*/.exec(next)![0]) continue;
    if (/[.:;!?]$/.test(line)) continue;
    const word = next.trim().split(" ")[0]!;
    if ([...line].length + 1 + [...word].length + slack <= width) found.push(`${line}⏎${next}`);
  }
  return found;
}

Deno.test("cutShort() finds a line broken mid-sentence, and only that", () => {
  const broken = "any other key is\nasked again. With standard input not a\n" +
    "terminal (a pipe, a file) watch refuses to start.";
  assert.deepEqual(cutShort(broken), [
    "any other key is⏎asked again. With standard input not a",
    "asked again. With standard input not a⏎terminal (a pipe, a file) watch refuses to start.",
  ]);
  const wrapped = "watch answers at a terminal only: each answer is one key pressed at least\n" +
    "0.4 s after the question is on screen (y, n, or s where offered; Enter skips;";
  assert.deepEqual(cutShort(wrapped), []);
  assert.deepEqual(cutShort("Examples:\n  thoth status\n  thoth doctor"), []);
  assert.deepEqual(cutShort("a sentence ends here.\nAnother starts"), []);
});

Deno.test("no help line is broken mid-sentence by a newline written into its text", async () => {
  const broken = (await everyHelp("thoth-help-examples-")).flatMap((help) =>
    cutShort(help.text).map((pair) => `${help.name}: ${pair}`)
  );
  assert.deepEqual(broken, []);
});

Deno.test("every command's own help starts its description in lower case", async () => {
  const capital: string[] = [];
  for (const help of await everyHelp("thoth-help-examples-")) {
    if (help.path.length === 0) continue; // the program's own description is a sentence
    const description = help.text.split("\n\n")[1] ?? "";
    if (!/^[a-z]/.test(description) && !/^[A-Z]{2}/.test(description)) {
      capital.push(`${help.name}: ${description.split("\n")[0]}`);
    }
  }
  assert.deepEqual(capital, []);
});

Deno.test("thoth --help shows the first-hour commands and the demo", async () => {
  const help = (await everyHelp("thoth-help-examples-")).find((h) =>
    h.program === "thoth" && h.path.length === 0
  )!;
  const examples = helpSection(help.text, "Examples:")!.join("\n");
  for (const command of ["wrap-config", "status", "doctor", "run"]) {
    assert.match(examples, new RegExp(`^ {2}thoth ${command}\\b`, "m"), command);
  }
  assert.match(help.text.replace(/\s+/g, " "), /"deno task demo"/);
  assert.match(help.text.replace(/\s+/g, " "), /"deno task thoth <command>"/);
});

Deno.test("thoth -v is refused with a hint toward -V and --version", async () => {
  const home = await tempFolder("thoth-help-v-");
  for (const args of [["-v"], ["--verbose", "-v"]]) {
    const io = fakeCliIo(`${home}/.thoth`, { HOME: home, THOTH_HOME: `${home}/.thoth` });
    const code = await runThothProgram(args, io);
    assert.equal(code, 2, io.stderr);
    assert.match(io.stderr, /^thoth: error: unknown option '-v'$/m);
    assert.match(io.stderr, /^thoth: hint: .*"thoth -V" or "thoth --version"/m);
    assert.equal(io.stdout, "");
  }
  // -V itself still prints the version.
  const io = fakeCliIo(`${home}/.thoth`, { HOME: home, THOTH_HOME: `${home}/.thoth` });
  assert.equal(await runThothProgram(["-V"], io), 0, io.stderr);
  assert.match(io.stdout, /^thoth /);
});
