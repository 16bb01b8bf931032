/**
 * thoth.approval_command closes a parameter's braces where bash does: at the
 * first `}` that is not quoted or escaped, a `{` in them opening none (only
 * a nested `${` does), in the words of a command and where a command's
 * segments end; and opens a parameter again after white space in its braces
 * with a short header, its name never copied into the next word.
 */
import assert from "node:assert/strict";
import { mayVanish } from "../../src/policy/shell_expansions.ts";
import { PATTERN_MARK } from "../../src/policy/pattern_mark.ts";
import { parameterClose } from "../../src/policy/parameter_close.ts";
import { shellWords } from "../../src/policy/shell_words.ts";
import { assertRuns } from "./_approval_runs.ts";

/** The words of `text` with pattern marks, as the approval reading splits them. */
function marked(text: string): string[] {
  return shellWords(text, true, true).words;
}

Deno.test("runsApprovalCommand() closes a parameter at its first unquoted }", () => {
  // x unset: bash runs `thoth approvals list` for each.
  const hidden = [
    "thoth approvals ${x:+'}a'} list",
    'thoth approvals ${x:+"}a"} list',
    "thoth approvals ${x:+\\}a} list",
    "thoth approvals ${x:+a'}'b} list",
    "thoth approvals ${x:+$'}'a} list",
    "thoth approvals ${x:+\\{a} list",
    "thoth ${x:+{}approvals list",
    "thoth ${x:+a{b}approvals list",
    "thoth ${x:+@(}approvals list",
    'thoth approvals ${x:+"${y}"} list',
  ];
  assertRuns(hidden, true);
  assertRuns(hidden.map((c) => ({ command: "bash", args: ["-c", c] })), true);
});

Deno.test("runsApprovalCommand() ends a command after a parameter with a quoted } in it", () => {
  const after = [
    "echo ${x:-'}'} ; thoth approvals list",
    'echo ${x:-"}"} ; thoth approvals list',
    "echo ${x:-$'}'} ; thoth approvals list",
    "echo ${x:-${y:-'}'}} ; thoth approvals list",
    "echo \"${x:-'}'}\" ; thoth approvals list",
  ];
  assertRuns(after, true);
  assertRuns(after.map((c) => `bash -c "${c.replaceAll('"', '\\"')}"`), true);
  // A `{` in the braces is no brace: `{approvals,b}` as written.
  assertRuns(["thoth ${x:-{approvals,b}} list"], false);
});

Deno.test("parameterClose() skips quotes and escapes and counts only nested ${", () => {
  const closes: [string, number][] = [
    ["${x:-'}'} ; y", 8],
    ['${x:-"\\"}"} ; y', 10],
    ["${x:-\\}} ; y", 7],
    ["${x:-{a}b}", 7],
    ["${x:-${y}}", 9],
    ["${x:-'}", -1],
  ];
  for (const [text, close] of closes) assert.equal(parameterClose(text, 2), close, text);
});

Deno.test("shellWords() keeps a quoted or escaped brace in a parameter's braces no brace", () => {
  const m = PATTERN_MARK;
  assert.deepEqual(marked("${x:+'}a'}"), [`${m}\${x:+\uFFFDa${m}}`]);
  assert.deepEqual(marked("${x:-{a,b}}"), [`${m}\${x:-${m}{a${m},b${m}}${m}}`]);
  assert.equal(mayVanish(marked("${x:+{}")[0]!), true);
  assert.equal(mayVanish(marked('${x:+"${y}"}')[0]!), true);
  assert.equal(mayVanish(marked("${x:+\\}a}")[0]!), true);
});

Deno.test("shellWords() opens a parameter again with its operator only", () => {
  const m = PATTERN_MARK;
  const name = "x".repeat(50);
  for (const [op, header] of [[":-", ":-"], ["-", "-"], [":+", ":+"], ["=", "="]]) {
    assert.deepEqual(marked(`\${${name}${op}a b}`), [
      `${m}\${${name}${op}a${m}}`,
      `${m}\${_${header}b${m}}`,
    ]);
    assert.deepEqual(marked(`\${!${name}${op}a b}`)[1], `${m}\${_${header}b${m}}`);
  }
  assert.deepEqual(marked(`\${${name}#a b}`)[1], `${m}\${_#b${m}}`);
});
