/**
 * thoth.approval_command reads a long adversarial text in work linear in its
 * length: each shape the review found slow (a redirection after each word,
 * `1 1>`, here-strings, `\x61` escapes, comments, substitutions, calls in
 * code) is read at 100 KB within a fixed number of character visits per
 * character (a number that does not grow with the length for a linear
 * reading). The work is counted, not timed: the string and regular
 * expression methods the reading calls are wrapped for the length of one
 * call, and each call counts the characters it had to look at (a regular
 * expression's backtracking inside one search is not seen: the reading
 * keeps its expressions anchored or reads backwards by hand). So each shape
 * is timed too, at sixteen times a small length against that length, from
 * small sizes up: a square path (such backtracking) takes 256 times as long
 * and fails there, in seconds.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";

/** The length of the shapes' repeated part: 100 KB, smaller for the timed ladder. */
const FULL_LENGTH = 100_000;
let shapeLength = FULL_LENGTH;

/** `shapeLength` characters of `unit`, cut to length. */
function repeated(unit: string, length = shapeLength): string {
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

/** The adversarial shapes of the review, each about 100 KB. */
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
  // Running tags called with options or apart from their template, ruby's method defaults.
  tag_parens: () => ({ code: "approvals " + repeated(")") + "$`a`" }),
  tag_parens_pairs: () => ({ code: repeated(") `approvals`") }),
  tag_open_parens: () => ({ code: "approvals " + repeated("(") + ")`a`" }),
  tag_spaced: () => ({ code: repeated("await $ `approvals a` ") }),
  tag_options: () => ({ code: repeated("$({a: 1})`approvals a` ") }),
  def_defaults: () => ({ code: repeated("def f(a = `approvals` ") }),
  // A first argument that is no string, prefixed strings, argv[0] named twice.
  leading_hash: () => ({ code: "run({" + repeated("'approvals', ") + "})" }),
  leading_hashes: () => ({ code: "approvals " + repeated("run({a: '}'}, ") }),
  leading_names: () => ({ code: "run(" + repeated("approvals ") + ", 'a')" }),
  prefixed_items: () => ({ code: "run([" + repeated("f'approvals', ") + "])" }),
  argv0_twice: () => ({ code: repeated("execlp('thoth', 'thoth', 'approvals', a) ") }),
  // perl's and ruby's open with a pipe, perl's system qw(…).
  pipe_opens: () => ({ code: repeated("open($f, '-|', 'approvals', ") }),
  pipe_open_lists: () => ({ code: "open($f, '-|', " + repeated("'approvals', ") }),
  pipe_open_texts: () => ({ code: repeated(`open(F, "approvals a |") `) }),
  pipe_open_blanks: () => ({ code: "approvals open" + repeated(" \t") }),
  qw_open: () => ({ code: "approvals " + repeated("system qw(") }),
  qw_closed: () => ({ code: repeated("system qw(approvals a) ") }),
  // ssh named loosely, its list nested; autossh and mosh options.
  ssh_named_nested: () => ({
    name: "ssh",
    options: { args: ["h", ...repeated("approvals; ").split(" ")] },
  }),
  ssh_objects: () => ({
    command: "ssh",
    list: repeated("approvals ").split(" ").map((a) => ({ a })),
  }),
  mosh_options: () => ({ command: "mosh " + repeated("--ssh ") + " approvals" }),
  // mosh's words read from each one that names thoth, its options abbreviated or single-dash.
  mosh_thoth_words: () => ({ command: "mosh h " + repeated("thoth approvals list -x ") }),
  mosh_approve_words: () => ({ command: "mosh h " + repeated("thoth approvals approve a ") }),
  mosh_short_options: () => ({ command: "mosh " + repeated("-serv ") + " approvals" }),
  // An object's children that name no ssh: the object is asked once whether it does (its
  // strings looked at once, not once per child).
  empty_objects: () => ({
    command: "approvals",
    ...Object.fromEntries(
      Array.from({ length: shapeLength / 10 }, (_, i) => [`k${i}`, i % 2 ? {} : "x"]),
    ),
  }),
  empty_arrays: () => ({
    command: "approvals",
    ...Object.fromEntries(
      Array.from({ length: shapeLength / 10 }, (_, i) => [`k${i}`, i % 2 ? [] : "x"]),
    ),
  }),
  // perl's open with a pipe and no parentheses: each list read once, none overlapping.
  pipe_open_bare: () => ({ code: "approvals " + repeated("open h,'-|',") }),
  pipe_open_fat_commas: () => ({ code: "approvals " + repeated("open h,'-|',a=>") }),
  pipe_open_qw: () => ({ code: "approvals " + repeated("open h,'-|',qw(") }),
  pipe_open_unclosed: () => ({ code: "approvals " + repeated(`open h,'-|',"\\`) }),
  pipe_open_subscripts: () => ({ code: "approvals " + repeated("open h,'-|',$a[b,") }),
  pipe_open_handles: () => ({ code: "approvals " + repeated("open($a{") }),
  pipe_open_handle_commas: () => ({ code: "approvals " + repeated("open a ") + "," }),
  pipe_open_handle_blanks: () => ({ code: "approvals open a," + repeated(" ") }),
  pipe_open_handle_runs: () => ({
    code: "approvals " + repeated("open a open a,  " + " ".repeat(200)),
  }),
  pipe_open_layers: () => ({ code: repeated("open(h, '-|:x', 'approvals', ") }),
  perl_exec_blocks: () => ({ code: "approvals " + repeated("exec { 'a' } ") }),
  autossh_options: () => ({ command: "autossh " + repeated("-M 0 ") + " h approvals" }),
  // argv[0] apart: getattr, an alias, ruby's pair, posix_spawn, wide strings.
  getattr_calls: () => ({ code: "approvals " + repeated("getattr(os, 'a')(") }),
  getattr_open: () => ({ code: "approvals " + repeated("getattr(") }),
  getattr_names: () => ({ code: "approvals getattr(" + repeated("a.") }),
  argv0_aliases: () => ({ code: "e = os.execvp\n" + repeated("e('thoth', 'approvals', ") }),
  ruby_pairs: () => ({ code: repeated("exec(['thoth', 'x'], 'approvals', ") }),
  ruby_pair_bare: () => ({ code: "approvals " + repeated("system ['a', ") }),
  ruby_pair_brackets: () => ({ code: "approvals " + repeated("system [") }),
  posix_spawns: () => ({ code: repeated("os.posix_spawn('thoth', ['x', 'approvals', a], e) ") }),
  wide_strings: () => ({ code: repeated('_wspawnl(P, L"thoth", L"x", L"approvals", ') }),
  // mosh's words read both ways (POSIXLY_CORRECT), one mosh after another.
  mosh_posix_words: () => ({ command: "mosh h " + repeated("sudo -u a thoth approvals list ") }),
  mosh_posix_chain: () => ({ command: repeated("mosh h -a ") + " approvals" }),
  // perl's handles in braces and globs' references.
  pipe_open_braces: () => ({ code: "approvals " + repeated("open(${") }),
  pipe_open_globs: () => ({ code: "approvals " + repeated("open(\\*") }),
  pipe_open_brace_lists: () => ({ code: repeated("open(${fh}, '-|', 'approvals', ") }),
  // zx's tag after `=` or `NAME =>`, ruby's def after module_function.
  tag_assigned: () => ({ code: repeated("x = $ `approvals a` ") }),
  tag_assigned_signs: () => ({ code: "import 'zx'\n" + repeated("x = $ `approvals a`;\n") }),
  tag_paren_prose: () => ({ content: "approvals " + repeated("(x => $ `b` ") }),
  tag_signs_late: () => ({ code: repeated("x = $ `approvals a` ") + ";" }),
  tag_arrows: () => ({ code: "approvals " + repeated("a => $ `b` ") }),
  tag_blanks: () => ({ code: "approvals " + repeated("=" + " ".repeat(40) + "$ `a`") }),
  def_takers: () => ({ code: repeated("module_function def f(a = `approvals` ") }),
  def_taker_runs: () => ({ code: "approvals " + repeated("private ") + "def f(a = `b`)" }),
  // A mosh in a mosh's command, read both ways at each depth (see the test below).
  mosh_posix_nested: () => ({
    command: "mosh h " + repeated("mosh -a h ") + " thoth approvals lisst",
  }),
  // A runner's first string alone, options' strings after a list, getattr's forms.
  first_strings: () => ({ code: repeated('popen("a approvals b", "r") ') }),
  keyed_strings: () => ({ code: "system('thoth', " + repeated("a: 'approvals', ") + ")" }),
  keyed_lists: () => ({ code: repeated("system('thoth', 'approvals', 'list', chdir: '/') ") }),
  getattr_defaults: () => ({ code: "approvals " + repeated("getattr(os, 'a', None)(") }),
  getattr_called: () => ({ code: "approvals " + repeated("getattr(f(") }),
  getattr_subscripts: () => ({ code: "approvals " + repeated("getattr(m[") }),
  getattr_lines: () => ({ code: "approvals " + repeated("getattr(\n os,\n 'a',\n") }),
  // perl's handles: a block in braces, a glob's reference apart from its `\`.
  pipe_open_blocks: () => ({ code: "approvals " + repeated("open(*{") }),
  pipe_open_refs: () => ({ code: "approvals " + repeated("open(\\ ") }),
};

/** Character visits allowed per character of the arguments: generous, but no square. */
const WORK_PER_CHARACTER = 400;

Deno.test("runsApprovalCommand() reads each adversarial 100 KB shape in linear work", () => {
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

Deno.test("runsApprovalCommand() reads a mosh in a mosh's command in the work of an ssh in ssh's", () => {
  // mosh's words are read both ways (as POSIXLY_CORRECT leaves them too): read again both ways at
  // each depth, each depth would double the work; ssh's one reading is the measure.
  const perCharacter = (args: unknown) =>
    workOf(() => runsApprovalCommand(args, "code_execution")) / JSON.stringify(args).length;
  const length = 20_000;
  const tail = " thoth approvals lisst";
  const mosh = perCharacter({ command: "mosh h " + repeated("mosh -a h ", length) + tail });
  const ssh = perCharacter({ command: "ssh h " + repeated("ssh -a h ", length) + tail });
  assert.ok(mosh <= 1.5 * ssh, `${mosh.toFixed(1)} visits per character, ssh's ${ssh.toFixed(1)}`);
});

/**
 * The timed ladder: each shape at `n` and at `GROWTH * n` characters, `n` from
 * small up, so that a path that is quadratic in the length (a regular
 * expression that backtracks, which {@linkcode workOf} cannot see) fails
 * at a size where it still takes seconds, not minutes. A rung below 4,000
 * characters judges almost no shape (it reads them in under
 * {@linkcode MIN_JUDGED_MS}).
 */
const LADDER = [4_000, 16_000];

/** How many times longer the second text of a rung is. */
const GROWTH = 16;

/**
 * Sixteen times the length may take this many times as long at most: linear
 * is 16 (more on a loaded machine, caches and the collector at work), square
 * 256; the gap between them keeps a busy CI runner from failing linear code.
 */
const MAX_TIME_RATIO = 64;

/**
 * Below this many milliseconds at `n` a ratio is noise (the timer, the JIT,
 * caches that hold a small text whole): the next rung decides, and the
 * longer text is not timed.
 */
const MIN_JUDGED_MS = 3;

/** How many times a rung is measured before a ratio too high fails: a pause is not a square. */
const ATTEMPTS = 3;

/** The least wall time of `runs` runs of `runsApprovalCommand` on `args`, in milliseconds. */
function leastTime(args: unknown, runs: number): number {
  let least = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    runsApprovalCommand(args, "code_execution");
    least = Math.min(least, performance.now() - start);
  }
  return least;
}

/**
 * The wall time ratio of `shape` at `GROWTH * n` to that at `n`, judged or
 * too fast to judge (then the longer text is not timed). The shorter text
 * is timed three times (its least time, which a pause cannot inflate); the
 * longer `largeRuns` times: once first, since a pause only makes the ratio
 * higher, and a ratio too high is measured again.
 */
function timeRatio(
  shape: () => unknown,
  n: number,
  largeRuns: number,
): { ratio: number; judged: boolean; text: string } {
  shapeLength = n;
  const small = leastTime(shape(), 3);
  if (small < MIN_JUDGED_MS) {
    return { ratio: 0, judged: false, text: `${small.toFixed(1)} ms at ${n} characters` };
  }
  shapeLength = GROWTH * n;
  const large = leastTime(shape(), largeRuns);
  const text = `${large.toFixed(1)} ms at ${GROWTH * n} characters, ${small.toFixed(1)} ms at ${n}`;
  return { ratio: large / small, judged: true, text };
}

Deno.test("runsApprovalCommand() takes time linear in each adversarial shape's length", () => {
  try {
    for (const [name, shape] of Object.entries(SHAPES)) {
      for (const n of LADDER) {
        let measured = timeRatio(shape, n, 1);
        for (let attempt = 1; attempt < ATTEMPTS && measured.ratio >= MAX_TIME_RATIO; attempt++) {
          measured = timeRatio(shape, n, 3);
        }
        assert.ok(measured.ratio < MAX_TIME_RATIO, `${name}: ${measured.text}`);
        // One rung judged settles the shape: no higher one is timed.
        if (measured.judged) break;
      }
    }
  } finally {
    shapeLength = FULL_LENGTH;
  }
});
