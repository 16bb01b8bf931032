/**
 * The adversarial shapes of the approval-command reading's work test
 * (`approval_command_work_test.ts`): each a tool call's arguments about
 * `shapeLength` characters long, built again at each length the test sets.
 *
 * @example
 * ```ts
 * setShapeLength(4_000);
 * SHAPES.redirects(); // { command: "thoth approvals a>a>…" }, 4,000 characters repeated
 * ```
 */

/** The length of the shapes' repeated part: 100 KB, smaller for the timed ladder. */
export const FULL_LENGTH = 100_000;
let shapeLength = FULL_LENGTH;

/** `shapeLength` characters of `unit`, cut to length. */
export function repeated(unit: string, length = shapeLength): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Sets the length of the shapes' repeated part (`FULL_LENGTH` unless the ladder times them). */
export function setShapeLength(length: number): void {
  shapeLength = length;
}

/** The adversarial shapes of the review, each about 100 KB. */
export const SHAPES: Record<string, () => unknown> = {
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
  // getattr's lambda default, a walrus called, a tuple's names, a program looked up by a call,
  // C's `_T("…")` and array casts.
  getattr_lambdas: () => ({ code: "approvals " + repeated("getattr(os, 'a', lambda (") }),
  getattr_lambda_blanks: () => ({ code: "approvals getattr(os, 'a', lambda" + repeated(" ") }),
  getattr_blanks: () => ({ code: "approvals getattr(os, 'a'" + repeated(" \n") }),
  walrus_calls: () => ({ code: "approvals " + repeated("(e := a)(") }),
  walrus_blanks: () => ({ code: "approvals (e :=" + repeated(" ") + "a" }),
  tuple_names: () => ({ code: "x('approvals')\n" + repeated("a, ") + "= os.execvp" }),
  tuple_assignments: () => ({ code: "x('approvals')\n" + repeated("a, b = c, d; ") }),
  tuple_wide: () => ({
    code: "x('approvals')\n" + repeated("a, ", shapeLength / 2) + "= " +
      repeated("run ", shapeLength / 2),
  }),
  program_calls: () => ({ code: "approvals " + repeated("f(a, 'thoth') ") }),
  program_call_args: () => ({ code: "thoth approvals f(" + repeated("a, ") }),
  program_call_strings: () => ({ code: "thoth approvals f(" + repeated("'a', ") }),
  wrapped_strings: () => ({ code: "approvals " + repeated('_T("a", ') }),
  array_casts: () => ({ code: "approvals " + repeated("(char *a") }),
  array_cast_blanks: () => ({ code: "approvals { (char[" + repeated(" ") }),
  array_cast_sizes: () => ({ code: "approvals { (char[a" + repeated(" ") }),
  program_call_names: () => ({ code: "thoth approvals " + repeated("f(a, ") }),
  program_call_quoted: () => ({ code: "thoth approvals " + repeated("f('(', ") }),
  program_call_blanks: () => ({ code: "thoth approvals which('thoth'" + repeated(" ") }),
  program_call_substitutions: () => ({ script: "thoth approvals " + repeated("$(") }),
  program_call_dollars: () => ({ script: "thoth approvals " + repeated("$(a, 'thoth') ") }),
  getattr_default_texts: () => ({
    code: "approvals " + repeated("getattr(os, 'a', 'approvals b') "),
  }),
  getattr_default_nests: () => ({
    code: "approvals " + repeated("getattr(os, 'a', lambda: getattr(os, 'b', 'c')) "),
  }),
  walrus_forms: () => ({ code: "thoth approvals " + repeated("(e := a)(shutil.which('thoth'), ") }),
  array_literals: () => ({ code: repeated('execv("thoth", (char*[]){"x", "approvals", ') }),
  // A name given an alias, followed a few passes: a chain written backwards.
  alias_chains: () => ({ code: "x('approvals')\n" + repeated("a = b; ") + "\nb = os.execvp" }),
  // Chains of remote shells, mosh's words read both ways at each.
  mosh_posix_chains: () => ({ command: repeated("mosh a sudo -u x ") + " thoth approvals list" }),
  remote_mixed_chains: () => ({ command: repeated("ssh a mosh b -- ") + " thoth approvals list" }),
  // A shell's patterns: globs, brackets, braces (open, nested, long), extglob groups, in the
  // program's word and after `approvals`, and words the gate reads as patterns.
  brace_opens: () => ({ command: repeated("{") + " approvals list" }),
  brace_closes: () => ({ command: repeated("}") + " approvals list" }),
  brace_commas: () => ({ command: "{" + repeated("a,") + "} approvals list" }),
  brace_nested: () => ({
    command: repeated("{a,", shapeLength / 2) + repeated("}", shapeLength / 2) + " approvals list",
  }),
  brace_pairs: () => ({ command: repeated("{a,b}") + " approvals list" }),
  brace_sequences: () => ({ command: repeated("{a..b}") + " approvals list" }),
  question_runs: () => ({ command: repeated("?") + " approvals list" }),
  question_words: () => ({ command: "thoth approvals list " + repeated("? ") }),
  star_runs: () => ({ command: "thoth " + repeated("*") + " list" }),
  bracket_opens: () => ({ command: repeated("[") + " approvals list" }),
  bracket_pairs: () => ({ command: repeated("[a]") + " approvals list" }),
  bracket_closes: () => ({ command: "[" + repeated("]") + " approvals list" }),
  extglob_opens: () => ({ command: repeated("@(a|") + " approvals list" }),
  extglob_groups: () => ({ command: repeated("@(a)") + " approvals list" }),
  extglob_bars: () => ({ command: "@(" + repeated("a|") + ") approvals list" }),
  gate_stars: () => ({ command: repeated("ap* ") }),
  gate_braces: () => ({ command: repeated("{app,") }),
  gate_brackets: () => ({ command: repeated("a[") }),
  // Backticks in double quotes, comments in `$(…)`, getattr across lines.
  quoted_backticks: () => ({ command: repeated('echo "`approvals a`" ') }),
  quoted_backtick_runs: () => ({ command: 'echo "approvals ' + repeated("`") + '"' }),
  quoted_many: () => ({ command: "approvals " + repeated('a"`') }),
  substitution_comments: () => ({ command: "approvals " + repeated("$(: # (\n) ") }),
  getattr_breaks: () => ({ code: "approvals " + repeated("getattr(os, 'a'\n) ") }),
  // Brackets with classes in them, nested extglob groups, quotes and comments in `$(…)`, quoted
  // pattern characters the gate reads either way, braces after `approvals`, a shell's key.
  bracket_classes: () => ({ command: "[" + repeated("[:a") + "] approvals list" }),
  bracket_class_pairs: () => ({ command: repeated("[[:a:]") + " approvals list" }),
  bracket_class_closes: () => ({ command: "[[:" + repeated(":]") + " approvals list" }),
  extglob_nested: () => ({ command: "thoth approvals " + repeated("@(") }),
  extglob_nested_closed: () => ({ command: "thoth approvals " + repeated("@(@(a))") }),
  substitution_quotes: () => ({ command: "approvals " + repeated('$(" #"') }),
  substitution_quote_nests: () => ({ command: "approvals " + repeated('$("$(') }),
  gate_quoted_closes: () => ({ command: repeated("{ap'}'") }),
  gate_quoted_brackets: () => ({ command: repeated("ap[p'") }),
  brace_subcommands: () => ({ command: "thoth approvals " + repeated("{list,") }),
  shell_key_backticks: () => ({ command: repeated('cat "`approvals a`" ') }),
  program_patterns: () => ({ command: repeated("s?do ") + "thoth approvals list" }),
  // Braces expanded into words: many in one word, many words, nested, with parameters in them.
  brace_products: () => ({ command: "thoth approvals " + repeated("{a,b}") }),
  brace_words: () => ({ command: "thoth approvals " + repeated("{a,b} ") }),
  brace_word_names: () => ({ command: repeated("{thoth,approvals} ") }),
  brace_nested_alternatives: () => ({ command: "thoth approvals " + repeated("{a,{b,") }),
  brace_parameters: () => ({ command: "thoth approvals " + repeated("{a,${x}") }),
  brace_long: () => ({ command: "thoth {approvals," + repeated("a") + "} list" }),
  // Extglob groups past the bound, with quotes, left open; escapes the gate reads as patterns.
  extglob_long: () => ({ command: "thoth approvals @(" + repeated("x") + ") list" }),
  extglob_long_groups: () => ({ command: repeated("@(" + "x".repeat(300) + " ") + "approvals" }),
  extglob_quotes: () => ({ command: "approvals " + repeated("@('") }),
  extglob_double_quotes: () => ({ command: "approvals " + repeated('@("') }),
  extglob_quoted_groups: () => ({ command: "thoth approvals " + repeated("@(a|'b') ") }),
  extglob_nested_quotes: () => ({ command: "approvals " + repeated("@(@('x'") }),
  gate_escapes: () => ({ code: "os.system('thoth " + repeated("\x2a") + "')" }),
  gate_escaped_groups: () => ({ code: "os.system('thoth " + repeated("\x40\x28") + "')" }),
  // Here-documents: many, one with a long body, long delimiters.
  heredocs: () => ({ command: "approvals " + repeated("cat <<'E'\n") }),
  heredoc_bodies: () => ({ command: "cat <<'E'\n" + repeated('"`approvals a`"\n') + "E" }),
  heredoc_closed: () => ({ command: repeated("cat <<'E'\n\"`approvals a`\"\nE\n") }),
  heredoc_delimiters: () => ({ command: "approvals " + repeated("<<'" + "a".repeat(300) + "'\n") }),
  // A shell's arguments beside it, and the shapes that got slower: classes, prefixes, groups.
  shell_args: () => ({ command: "bash", args: repeated("-c approvals ").split(" ") }),
  bracket_class_runs: () => ({ command: "thoth " + repeated("[[::]:]:]") + " list" }),
  prefix_patterns: () => ({ command: repeated("s?do ") + "approvals list" }),
  extglob_kinds: () => ({ command: "approvals " + repeated("!(a)*(b)+(c)?(d)@(e) ") }),
  // Words that may vanish (expansions, substitutions, globs, empty braces) before thoth's name,
  // between it and `approvals` and after, parameters' words open, nested and many.
  vanish_programs: () => ({ command: repeated("$x ") + " approvals lisst" }),
  vanish_prefixes: () => ({ command: repeated("$x sudo ") + " approvals lisst" }),
  vanish_gate: () => ({ command: "thoth " + repeated("$x ") + " approvals" }),
  vanish_subcommand: () => ({ command: "thoth approvals " + repeated("$x ") + "--help" }),
  vanish_stars: () => ({ command: repeated("* ") + " approvals" }),
  vanish_substitutions: () => ({ command: "thoth approvals " + repeated("$(true) ") + "a b" }),
  vanish_backticks: () => ({ command: repeated("`true` ") + " approvals lisst" }),
  vanish_quoted: () => ({ command: "thoth " + repeated('"$x" ') + " approvals list" }),
  empty_brace_words: () => ({ command: "thoth approvals " + repeated("{,} ") + "a b" }),
  parameter_opens: () => ({ command: "thoth " + repeated("${x:-") + " approvals" }),
  parameter_nested: () => ({
    command: "thoth " + repeated("${x:-", shapeLength / 2) + "approvals" +
      repeated("}", shapeLength / 2),
  }),
  parameter_words: () => ({ command: repeated("${x:-approvals} ") }),
  parameter_glued: () => ({ command: "thoth " + repeated("${x:+approvals}") + "} lisst" }),
  // A parameter's word split at white space, nested and open; quotes in its braces; eval's words
  // joined; a word that may vanish before ssh.
  parameter_spaces: () => ({ command: "thoth " + repeated("${x:-thoth ") + " approvals" }),
  parameter_spaces_script: () => ({ command: `sh -c "thoth ${repeated("${x:-thoth ")} a"` }),
  parameter_spaces_ssh: () => ({ command: "ssh h thoth " + repeated("${x:-thoth ") + " a" }),
  parameter_spaces_closed: () => ({ command: "thoth " + repeated("${x:-approvals list} ") }),
  parameter_quotes: () => ({ command: "thoth approvals " + repeated('${x:+""} ') + "a b" }),
  parameter_glued_words: () => ({ command: "thoth " + repeated("appr${x}") + " lisst" }),
  eval_words: () => ({ command: "eval " + repeated("eval \\$x ") + " approvals lisst" }),
  vanish_ssh: () => ({ command: repeated("$x ssh h ") + " approvals lisst" }),
  marks: () => ({ command: "bash", args: ["-c", repeated("\u0003\"' ; ") + "approvals"] }),
  // A long parameter name, then white space in its braces (each word opens it again); quoted and
  // escaped braces in its braces, closed or not.
  parameter_long_name: () => ({
    command: "thoth approvals ${" + repeated("x") + ":-" + repeated("a ") + "}",
  }),
  parameter_long_indirect: () => ({
    command: "thoth approvals ${!" + repeated("x") + ":-" + repeated("a ") + "}",
  }),
  parameter_quoted_braces: () => ({ command: "echo " + repeated("${x:-'}'\} {a ") + " ; a" }),
  parameter_open_quotes: () => ({ command: "thoth approvals " + repeated('${x:-"}') }),
};
