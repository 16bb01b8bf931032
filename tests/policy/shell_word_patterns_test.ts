/**
 * shell_word_patterns.ts reads a bracket as a shell does (a `]` first or
 * after `!` a member, `[:alpha:]`, `[=h=]` and `[.h.]` any one character,
 * skipped to their own close), and the approvals gate
 * (`approval_command_escapes.ts`) passes every word `mayExpandTo` says may be
 * `approvals`: over generated words, whatever is quoted in them.
 */
import assert from "node:assert/strict";
import { gated, patternGated } from "../../src/policy/approval_command_escapes.ts";
import { mayExpandTo } from "../../src/policy/shell_word_patterns.ts";
import { PATTERN_MARK } from "../../src/policy/pattern_mark.ts";
import { shellWords } from "../../src/policy/shell_words.ts";

/** The first word of `text` with its pattern marks, as the approval reading sees it. */
function marked(text: string): string {
  return shellWords(text, true, true).words[0]!;
}

Deno.test("mayExpandTo() reads classes, collating elements and a leading ] in a bracket", () => {
  for (
    const word of ["[[:alpha:]]hoth", "t[[=h=]]oth", "t[[.h.]]oth", "t[[:lower:][:digit:]]oth"]
  ) {
    assert.equal(mayExpandTo(marked(word), ["thoth"]), true, word);
  }
  for (const word of ["ap[[:lower:]]rovals", "ap[]p]rovals", "ap[!]]rovals", "ap[^]]rovals"]) {
    assert.equal(mayExpandTo(marked(word), ["approvals"]), true, word);
  }
  // A quoted `]` closes no bracket, and a bracket that never closes is a `[` as written.
  assert.equal(mayExpandTo(marked("ap[p']'x]rovals"), ["approvals"]), true);
  assert.equal(mayExpandTo(marked("ap[x]rovals"), ["approvals"]), false);
  assert.equal(mayExpandTo(marked("ap[]x]rovals"), ["approvals"]), false);
  assert.equal(mayExpandTo(marked("ap[!p]rovals"), ["approvals"]), false);
  assert.equal(mayExpandTo(marked("a[p'['rovals"), ["approvals"]), false);
});

Deno.test("patternGated() passes the bracket forms a shell expands to approvals", () => {
  for (
    const text of [
      "thoth ap[[:lower:]]rovals list",
      "thoth ap[]p]rovals list",
      "thoth ap[!]]rovals list",
      "thoth ap[p' 'x]rovals list",
      `thoth ap[p"]"x]rovals list`,
    ]
  ) assert.equal(patternGated(text), true, text);
  assert.equal(patternGated("ls *.txt [a-z]*.md"), false);
});

/** A small seeded generator, so that a failure is found again. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

const SPECIALS = "*?[]{},!^:=.@()|";
const LETTERS = "approvalsth";

/** What a letter of the name may be written as in a generated word (`_` the letter). */
const FORMS = [
  "_",
  "_",
  "?",
  "*",
  "[_]",
  "[]_]",
  "[!x]",
  "[[:alpha:]]",
  "{_,x}",
  "{_,$x}",
  "{$y,_}",
  "@(_|x)",
  "*(_)",
];

/** The numeric escapes a runner's string may write `c` as: `\xHH`, octal `\NNN`, `\uHHHH`. */
function escapes(c: string): string[] {
  const code = c.charCodeAt(0);
  return [
    "\\x" + code.toString(16).padStart(2, "0"),
    "\\" + code.toString(8).padStart(3, "0"),
    "\\u" + code.toString(16).padStart(4, "0"),
  ];
}

/**
 * A word that spells `approvals` with pattern forms (see {@linkcode FORMS})
 * and name letters and pattern characters strewn in, each pattern
 * character unquoted (marked) or quoted at random: as marks for
 * `mayExpandTo`, and as shell text (quoted ones in `'…'`, `"…"` or after
 * `\`) for the gate.
 */
function generated(
  next: (below: number) => number,
): { word: string; text: string; code: string } {
  let word = "";
  let text = "";
  // The text as a runner's string in code writes it: some characters as numeric escapes.
  let code = "";
  const add = (c: string) => {
    const escaped = next(3) === 0 ? escapes(c)[next(3)]! : c;
    if (SPECIALS.indexOf(c) === -1) {
      word += c;
      text += c;
      code += escaped;
    } else if (next(4) !== 0) {
      word += PATTERN_MARK + c;
      text += c;
      code += escaped;
    } else {
      word += c;
      const quoted = ["\\" + c, `'${c}'`, `"${c}"`][next(3)]!;
      text += quoted;
      code += quoted;
    }
  };
  for (const letter of "approvals") {
    while (next(8) === 0) {
      add(next(2) === 0 ? SPECIALS[next(SPECIALS.length)]! : LETTERS[next(LETTERS.length)]!);
    }
    for (const c of FORMS[next(FORMS.length)]!.replace("_", letter)) add(c);
  }
  return { word, text, code };
}

Deno.test("patternGated() passes every generated word that mayExpandTo() says may be approvals", () => {
  const next = generator(20261207);
  let matched = 0;
  for (let k = 0; k < 200_000; k++) {
    const { word, text, code } = generated(next);
    if (!mayExpandTo(word, ["approvals"])) continue;
    matched++;
    assert.equal(patternGated(`thoth ${text} list`), true, JSON.stringify({ word, text }));
    // Written with numeric escapes, as a runner's string that decodes them holds it.
    assert.equal(gated(`os.system("thoth ${code} list")`), true, JSON.stringify({ word, code }));
  }
  // The property was asked of many words, not of none.
  assert.ok(matched > 200, `${matched} words matched`);
});

Deno.test("patternGated() passes every generated text that shellWords() reads into a word that may be approvals", () => {
  const next = generator(20261214);
  let matched = 0;
  for (let k = 0; k < 100_000; k++) {
    const { text } = generated(next);
    // One word, as a shell reads it (a quoted `@` before `(` leaves a `(` no shell takes).
    const words = shellWords(text, true, true).words;
    if (words.length !== 1 || !mayExpandTo(words[0]!, ["approvals"])) continue;
    matched++;
    assert.equal(patternGated(`thoth ${text} list`), true, JSON.stringify({ text, words }));
  }
  assert.ok(matched > 100, `${matched} texts matched`);
});
