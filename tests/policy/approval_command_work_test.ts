/**
 * thoth.approval_command reads a long adversarial text in work linear in its
 * length: each shape the review found slow (a redirection after each word,
 * `1 1>`, here-strings, `\x61` escapes, comments, substitutions, calls in
 * code) is read at 200 KB within a fixed number of character visits per
 * character. The work is counted, not timed: the string and regular
 * expression methods the reading calls are wrapped for the length of one
 * call, and each call counts the characters it had to look at (a regular
 * expression's backtracking inside one search is not seen: the reading
 * keeps its expressions anchored or reads backwards by hand).
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";

/** 200 KB of `unit`, cut to length. */
function repeated(unit: string, length = 200_000): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/**
 * The characters the string and regular expression methods looked at while
 * `read` ran: a search counts what it passed over (the whole rest of the
 * text when it found nothing), a slice its length, a `charCodeAt` one.
 */
function workOf(read: () => void): number {
  const proto = String.prototype;
  const exec = RegExp.prototype.exec;
  const { indexOf, slice, charCodeAt } = proto;
  let work = 0;
  RegExp.prototype.exec = function (this: RegExp, input: string) {
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const found = exec.call(this, input);
    // A sticky search that fails looks at its start only.
    if (found === null) work += this.sticky ? 1 : input.length - from;
    else work += found.index + found[0].length - from;
    return found;
  };
  proto.indexOf = function (this: string, needle: string, from = 0) {
    const at = indexOf.call(this, needle, from);
    work += at === -1 ? this.length - from : at - from + needle.length;
    return at;
  };
  proto.slice = function (this: string, start?: number, end?: number) {
    const part = slice.call(this, start, end);
    work += part.length;
    return part;
  };
  proto.charCodeAt = function (this: string, at: number) {
    work++;
    return charCodeAt.call(this, at);
  };
  try {
    read();
  } finally {
    RegExp.prototype.exec = exec;
    proto.indexOf = indexOf;
    proto.slice = slice;
    proto.charCodeAt = charCodeAt;
  }
  return work;
}

/** The adversarial shapes of the review, each about 200 KB. */
const SHAPES: Record<string, () => unknown> = {
  x61: () => ({ command: "thoth " + repeated("\\x61") }),
  redirects: () => ({ command: "thoth approvals " + repeated("a>") }),
  redirects_spaced: () => ({ command: "thoth approvals " + repeated("a > ") }),
  amp_redirects: () => ({ command: "approvals " + repeated("&>") }),
  digit_redirects: () => ({ command: "approvals " + repeated("1 1>") }),
  here_strings: () => ({ command: "sh " + repeated("<<< 'approvals a' ") }),
  comments: () => ({ command: "approvals " + repeated(" #(") }),
  comment_substitutions: () => ({ command: "approvals " + repeated(" #$(") }),
  escaped_spaces: () => ({ command: "approvals " + repeated("a\\ #") }),
  comma_list: () => ({ code: "run(" + repeated("'approvals',") + ")" }),
  comma_names: () => ({ code: "run(approvals," + repeated("a,") + ")" }),
  keys: () => ({ code: "run('approvals', " + repeated("a: ") + ")" }),
  assignments: () => ({ code: "f(approvals)\n" + repeated("a=") }),
  backtick_assignments: () => ({ command: "approvals " + repeated("a=`b` ") }),
  long_name_call: () => ({ code: "approvals " + repeated("a") + " b(" }),
  parens: () => ({ code: "approvals " + repeated("f(") }),
  calls_escapes: () => ({ code: repeated("f('approvals\\x61', x) ") }),
  exec_options: () => ({ command: "approvals " + repeated("-exec a ") }),
  quoted_words: () => ({ command: repeated("'approvals a' ") }),
  nested_quotes: () => ({ command: repeated(`"'approvals \\\\x61 a'" `) }),
  json_like: () => ({ command: "[" + repeated('"approvals a",') + '""]' }),
  substitutions: () => ({ command: repeated("$(approvals a) ") }),
  backticks: () => ({ command: repeated("`approvals a` ") }),
  braces: () => ({ command: "approvals " + repeated("{ ") }),
  dollar_quotes: () => ({ command: "approvals " + repeated("$'\\x61'") }),
  // A runner's call read whole, across lines, nested, unclosed, with comments in its lists.
  call_lines: () => ({ code: "run(\n" + repeated("'approvals',\n") + ")" }),
  call_nested: () => ({ code: "approvals " + repeated("run(") }),
  call_nested_data: () => ({ code: "approvals " + repeated("f(run(") }),
  call_closed: () => ({ code: repeated("run('approvals',\n'a')\n") }),
  call_comments: () => ({ code: "run('approvals', " + repeated("# c\n") + ")" }),
  call_comment_items: () => ({ code: "run(" + repeated("'approvals', // c\n") }),
  call_escapes: () => ({ code: "run(\n" + repeated("'\\x61pprovals',\n") }),
  // A runner called without parentheses: `system LIST`.
  bare_runners: () => ({ code: "approvals " + repeated("system 'a', ") }),
  bare_runner_names: () => ({ code: "'approvals', " + repeated("system ") }),
  bare_runner_blanks: () => ({ code: "approvals system" + repeated(" \t") }),
  bare_runner_lists: () => ({ code: repeated("system 'thoth', 'approvals', a, ") }),
  // perl's qx and ruby's %x, open, closed and nested.
  qx_open: () => ({ code: "approvals " + repeated("qx{") }),
  qx_closed: () => ({ code: repeated("qx{approvals a}") }),
  qx_blanks: () => ({ code: "approvals " + repeated("qx  ") }),
  percent_x: () => ({ code: "approvals " + repeated("%x(") }),
  percent_x_closed: () => ({ code: repeated("%x|approvals a|") }),
  // Backticks in code: after `=`, after a word that prints, after long runs of blanks.
  backtick_code: () => ({ code: repeated("x = `approvals a` ") }),
  backtick_puts: () => ({ code: repeated("puts `approvals a`\n") }),
  backtick_blanks: () => ({ code: "approvals " + repeated("   `") }),
  // ssh: long options, long remote commands, ssh after ssh.
  ssh_options: () => ({ command: "ssh " + repeated("-o ") + " approvals" }),
  ssh_glued: () => ({ command: "ssh approvals " + repeated("-vvvvvvvv ") }),
  ssh_remote: () => ({ command: "ssh localhost " + repeated("approvals ") }),
  ssh_chain: () => ({ command: repeated("ssh approvals ") }),
  ssh_quoted: () => ({ command: "ssh h " + repeated("'approvals a' ") }),
  ssh_args: () => ({ command: "ssh", args: repeated("approvals ").split(" ") }),
  ssh_args_options: () => ({ command: "ssh", args: repeated("-o approvals ").split(" ") }),
  // ssh's argument list read as one command text, and a long word in it.
  ssh_args_joined: () => ({ command: "ssh", args: ["h", ...repeated("approvals; ").split(" ")] }),
  ssh_args_text: () => ({ command: "ssh", args: ["h", repeated("thoth approvals ")] }),
  // A runner without parentheses, its list across lines, read over the whole text.
  bare_runner_lines: () => ({ code: "approvals " + repeated("system 'a',\n") }),
  bare_runner_items: () => ({ code: "system 'thoth',\n" + repeated("'approvals',\n") }),
  // Outermost calls of other names, asked whether a runner's alias holds the word.
  outer_calls: () => ({ code: "p = os.popen\n" + repeated("p('approvals') ") }),
  outer_calls_escapes: () => ({ code: "approvals " + repeated("f('\\x61') ") }),
  // Innermost calls nested in another, and a call nested deep.
  inner_calls: () => ({ code: "p = os.popen\nf(" + repeated("g(p('approvals')) ") + ")" }),
  inner_calls_escapes: () => ({ code: "approvals f(" + repeated("g(h('\\x61')) ") + ")" }),
  inner_calls_deep: () => ({ code: "approvals " + repeated("f(") + repeated(")") }),
  // Backticks: comments, POD, templates, tags, prose, declarations, defaults.
  block_comments: () => ({ code: "approvals " + repeated("/* `a` ") }),
  line_comments: () => ({ code: repeated("// x = `approvals a`\n") }),
  pod: () => ({ code: repeated("=pod\n`approvals`\n") }),
  comment_line_long: () => ({ code: "# " + repeated("`approvals a` ") }),
  block_comment_line_long: () => ({ code: "/* " + repeated("`approvals a` ") }),
  templates: () => ({ code: repeated("x = `approvals ${a}` ") }),
  template_open: () => ({ code: "x = `approvals " + repeated("${") }),
  tags: () => ({ code: repeated("$`approvals a` ") }),
  prose_after: () => ({ code: repeated("print `approvals a` is ") }),
  prose_blanks: () => ({ code: "approvals " + repeated("`a`" + " ".repeat(50)) }),
  declarations: () => ({ code: "approvals " + repeated("const " + " ".repeat(40) + "a = `b` ") }),
  defaults: () => ({ code: repeated("f(a = `approvals` ") }),
  long_names: () => ({ code: "approvals " + repeated("a".repeat(60) + " = `b` ") }),
};

/** Character visits allowed per character of the arguments: generous, but no square. */
const WORK_PER_CHARACTER = 400;

Deno.test("runsApprovalCommand() reads each adversarial 200 KB shape in linear work", () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    const args = shape();
    const length = JSON.stringify(args).length;
    const work = workOf(() => runsApprovalCommand(args, "code_execution"));
    assert.ok(
      work <= WORK_PER_CHARACTER * length,
      `${name}: ${work} character visits for ${length} characters`,
    );
  }
});
