/**
 * thoth.approval_command reads the forms code gives a runner's call and its
 * program: getattr with a lambda default, a name given the runner by a
 * walrus or a tuple's assignment, a program looked up by a call that names
 * thoth (`shutil.which('thoth')`), and C's array literals and `_T("…")`
 * strings; calls of the same shape that name no runner or no thoth stay
 * data. Each form is a second reading: the text is read as written too, and
 * getattr's default on its own.
 */
import assert from "node:assert/strict";
import { codeFormsRead } from "../../src/policy/code_forms_read.ts";
import { runnerAliases } from "../../src/policy/runner_names.ts";
import { assertRuns } from "./_approval_runs.ts";

Deno.test("runsApprovalCommand() reads getattr with a lambda default", () => {
  assertRuns(
    [
      "getattr(os, 'execvp', lambda *a: None)('thoth', ['thoth', 'approvals', 'list'])",
      "getattr(os, 'execvp', lambda *a: print(a))('thoth', ['x', 'approvals', 'list'])",
      "e = getattr(os, 'execv', lambda p, a: None)\ne('/usr/bin/thoth', ['x', 'approvals', 'list'])",
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "getattr(os, 'execvp', lambda *a: None)('ls', ['x', 'approvals', 'list'])",
      "getattr(logger, 'info', lambda *a: None)('thoth', 'x', 'approvals', 'list')",
    ],
    false,
    { key: "code" },
  );
});

Deno.test("runsApprovalCommand() reads a runner named by a walrus or a tuple's assignment", () => {
  assertRuns(
    [
      "(e := os.execvp)('thoth', ['x', 'approvals', 'list'])",
      "(e := getattr(os, 'execvp'))('thoth', ['x', 'approvals', 'list'])",
      "if (e := os.execvp):\n    e('thoth', ['x', 'approvals', 'list'])",
      "e, f = os.execvp, print; e('thoth', ['x', 'approvals', 'list'])",
      "q, p = (os.execvp, print)\nq('thoth', ['x', 'approvals', 'approve', rid])",
      "e, f = os.execvp, print\ne('thoth', ['x', 'approvals', 'list'])",
      // Every name of a tuple may be the runner: a swap or a later assignment moves it.
      "e, f = os.execvp, print; f('thoth', 'x', 'approvals', 'list')",
      "e, f = os.execvp, print\ne, f = f, e\nf('thoth', ['x', 'approvals', 'list'])",
      "p, q = os.system, print\np, q = q, p\nq('thoth approvals list')",
      "a, b = os.execvp, print\nb = a\nb('thoth', ['x', 'approvals', 'list'])",
      // A name given an alias, a few assignments deep.
      "e = os.execvp\nb = e\nc = b\nc('thoth', ['x', 'approvals', 'list'])",
      "from os import execvp as e\nb = e\nb('thoth', ['x', 'approvals', 'list'])",
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "(e := os.execvp)('ls', ['x', 'approvals', 'list'])",
      "(n := len)('thoth', ['x', 'approvals', 'list'])",
      "e, f = os.execvp, print\nb = a\nb('thoth', ['x', 'approvals', 'list'])",
    ],
    false,
    { key: "code" },
  );
  const names = runnerAliases("e, f = os.execvp, print");
  assert.equal(names.get("e"), true);
  assert.equal(names.get("f"), true);
  assert.equal(runnerAliases("a, b = f(os.execvp)").get("a"), true);
  // Followed to a fixed point, a name's `argv[0]` with it; a name given no alias stays out.
  const chain = runnerAliases("p = os.popen\nc = b\nb = e\ne = os.execvp\nx = y");
  assert.equal(chain.get("p"), false);
  assert.equal(chain.get("c"), true);
  assert.equal(chain.has("x"), false);
});

Deno.test("runsApprovalCommand() reads a getattr whose lambda default would pass over a shell's command as written", () => {
  // The lambda's default may not hold a line break, `#`, a backtick, `;`, `$` or a quote: read as
  // a shell's text, what follows is a command.
  assertRuns(
    [
      "case x in\n# getattr(os, 'x', lambda\nx) thoth approvals approve k3f9x2qa;;\nesac",
      "case x in\n# getattr(os, 'x', lambda\nx) `thoth approvals approve k3f9x2qa`;;\nesac",
      "case x in # getattr(os, 'x', lambda\nx) thoth approvals list;; esac",
      "case x in\n# getattr(os, 'x', lambda *a: print(a)\nx) thoth approvals approve k3f9x2qa;;\nesac",
      "# getattr(os, 'x', lambda\necho \\) `thoth approvals approve k3f9x2qa`",
      // On one line it is still read as the runner.
      "getattr(os, 'execvp', lambda *a: None)('thoth', ['thoth', 'approvals', 'list'])",
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads a program looked up by a call that names thoth", () => {
  assertRuns(
    [
      "os.posix_spawn(shutil.which('thoth'), ['x', 'approvals', 'list'], os.environ)",
      'os.execv(shutil.which("thoth"), ["x", "approvals", "list"])',
      "os.execv(os.path.join(bin_dir, 'thoth'), ['x', 'approvals', 'approve', rid])",
      "os.execv(os.path.join('/opt', \"bin\", 'thoth'), ['x', 'approvals', 'list'])",
      "subprocess.run([shutil.which('thoth'), 'approvals', 'list'])",
      "execFileSync(which.sync('thoth'), ['approvals', 'list'])",
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      "os.posix_spawn(shutil.which('ls'), ['x', 'approvals', 'list'], os.environ)",
      "print(shutil.which('thoth'), 'approvals', 'list')",
      "os.execv(shutil.which('thoth'), ['x', 'approvals', 'status'])",
      // Only a lookup or path call gives the program: `len` does not.
      "[len('thoth'), 'approvals', 'list']",
      "subprocess.run([str('thoth'), 'approvals', 'list'])",
    ],
    false,
    { key: "code" },
  );
  assertRuns(
    [
      "os.execv(os.path.realpath('/opt/thoth'), ['x', 'approvals', 'list'])",
      "subprocess.run([Path('thoth'), 'approvals', 'list'])",
      "subprocess.run([path.resolve('bin', 'thoth'), 'approvals', 'list'])",
    ],
    true,
    { key: "code" },
  );
});

Deno.test("runsApprovalCommand() reads code's forms as a second reading, the text still read as written", () => {
  // Each holds a call whose last string names thoth around a command: the rewrite must not
  // leave the command out.
  assertRuns(
    [
      { script: "x=$(thoth approvals approve k3f9x2qa; echo , 'thoth')" },
      { script: "echo $( true ; thoth approvals approve k3f9x2qa ; echo , 'thoth')" },
      {
        code: "p = os.spawnlp; p(os.P_WAIT, 'sh', 'sh', '-c', 'exec \"$0\" approvals list', " +
          "'thoth')",
      },
      { script: "x=$(thoth approvals approve k3f9x2qa; which , 'thoth')" },
    ],
    true,
  );
});

Deno.test("runsApprovalCommand() reads getattr's default on its own", () => {
  assertRuns(
    [
      // The default is what getattr returns when the module has no such name.
      { code: "os.system(getattr(os, 'nope', 'thoth approvals approve k3f9x2qa'))" },
      { code: "subprocess.run(getattr(os, 'x', 'thoth approvals list'), shell=True)" },
      // A shell runs what a default holds in a double-quoted word.
      { command: "echo \"getattr(os, 'x', '$(thoth approvals approve k3f9x2qa)')\"" },
      { command: "echo \"getattr(os, 'x', lambda: $(thoth approvals approve k3f9x2qa))\"" },
      { script: "x = $(getattr(os, 'a', lambda ; thoth approvals approve k3f9x2qa ; echo ))" },
    ],
    true,
  );
  assertRuns(
    [
      { code: "print(getattr(os, 'nope', 'approvals'))" },
      { code: "getattr(os, 'execvp', lambda *a: None)('ls', ['x', 'approvals', 'list'])" },
    ],
    false,
  );
});

Deno.test("runsApprovalCommand() reads C's array literals and _T() strings", () => {
  assertRuns(
    [
      '_wspawnv(_P_WAIT, L"thoth", (const wchar_t*[]){L"x", L"approvals", L"list", NULL});',
      'execvp("thoth", (char *const[]){"x", "approvals", "list", NULL});',
      'execv("/usr/bin/thoth", (char *[4]){"x", "approvals", "approve", id});',
      '_texeclp(_T("thoth"), _T("x"), _T("approvals"), _T("list"), NULL);',
      '_tspawnlp(_P_WAIT, TEXT("thoth"), TEXT("x"), TEXT("approvals"), TEXT("list"), NULL);',
    ],
    true,
    { key: "code" },
  );
  assertRuns(
    [
      '_wspawnv(_P_WAIT, L"ls", (const wchar_t*[]){L"x", L"approvals", L"list", NULL});',
      'puts((const char*[]){"thoth", "x", "approvals", "list"}[0]);',
      '_tprintf(_T("thoth"), _T("x"), _T("approvals"), _T("list"));',
    ],
    false,
    { key: "code" },
  );
});

Deno.test("codeFormsRead() writes each form as the plain one, and leaves others", () => {
  assert.equal(codeFormsRead("(e := os.execvp)('thoth', [])"), "os.execvp('thoth', [])");
  assert.equal(codeFormsRead("(n := 3) + 1"), "(n := 3) + 1");
  assert.equal(codeFormsRead("run(shutil.which('thoth'), x)"), "run('thoth', x)");
  assert.equal(codeFormsRead("run(shutil.which('ls'), x)"), "run(shutil.which('ls'), x)");
  assert.equal(codeFormsRead("run(join('/bin', 'thoth'), x)"), "run('thoth', x)");
  assert.equal(codeFormsRead("run(join('thoth', 'x'), y)"), "run(join('thoth', 'x'), y)");
  // Only a lookup or path call, its arguments before the string names, numbers and strings.
  assert.equal(codeFormsRead("[len('thoth'), 'x']"), "[len('thoth'), 'x']");
  assert.equal(codeFormsRead("run(Path('thoth'))"), "run('thoth')");
  assert.equal(codeFormsRead("$(a; echo , 'thoth')"), "$(a; echo , 'thoth')");
  assert.equal(codeFormsRead("which(a; b, 'thoth')"), "which(a; b, 'thoth')");
  assert.equal(codeFormsRead("which(a $b, 'thoth')"), "which(a $b, 'thoth')");
  assert.equal(codeFormsRead("which(a, 'b;c', 'thoth')"), "'thoth'");
  // A call that runs its string stays a call.
  assert.equal(codeFormsRead("os.system('thoth')"), "os.system('thoth')");
  assert.equal(codeFormsRead('f(_T("a"), TEXT("b"))'), 'f("a", "b")');
  assert.equal(codeFormsRead('f((char *const[]){"a"})'), 'f({"a"})');
  assert.equal(codeFormsRead('f((LPCWSTR[]){L"a"})'), 'f({L"a"})');
  assert.equal(codeFormsRead('f((char *[ 4 ]){"a"})'), 'f({"a"})');
  // A condition before a block is no cast.
  assert.equal(codeFormsRead("if (args[0]) {"), "if (args[0]) {");
});
