/**
 * thoth's approval commands in a call's arguments: a governed server with a
 * shell tool runs as the same user as thoth, so a model could otherwise
 * list the requests waiting for a person (`thoth approvals list --json`
 * shows their ids) and answer its own (`thoth approvals approve ID`). A call
 * whose arguments run one is blocked under {@linkcode APPROVAL_COMMAND_RULE},
 * before the policy's own rules and whatever the enforcement mode (observe
 * included), as a call that reaches thoth's own files is
 * (`own_files.ts`): a person answers in a terminal of their own, never
 * through a tool the model calls.
 *
 * A string of the arguments (a value or a key, anywhere, also inside JSON a
 * string holds) runs one when, read as a shell reads it (cut into simple
 * commands where a command may start, see `command_segments.ts`: the start
 * of the text or of a line, after `;` `&&` `||` `|` `(` `{`, inside `$(…)`,
 * and inside a backtick pair that stands where a command word does or in
 * a double-quoted word: any in a POSIX shell's command line (the value of
 * a key in `SHELL_KEYS`, the script of `sh -c`, `eval`, `ssh`, a runner's
 * call, `{"command": "bash", "args": ["-c", …]}`, also with the shell named
 * as `program_keys.ts` reads a program; not in the body of a
 * here-document with a quoted delimiter, `<<'EOF'`), elsewhere one that
 * starts a command outside a call's parentheses, a shell's assignment at a
 * command's start or `echo`'s or `printf`'s argument (`` echo "x`…`" ``); an
 * unquoted word that starts with `#` after unescaped white space ends the
 * command's words, as a comment, in a quoted word read again only when a
 * shell reads it as a script: `sh -c`, `eval`, a here-string, a runner's
 * call in code;
 * each command split into words by `shell_words.ts`, quotes, `\` escapes and
 * `$'…'` read, redirections and their targets taken out; a text with a `\`
 * in it also with `\` as a separator, as on Windows), some command holds:
 *
 * 1. past prefixes (assignments, `env [-u X] [-S]`, `command`, `builtin`,
 *    `exec`, `eval`, `sudo -u root`, `nohup`, `setsid`, `xargs -I{}`,
 *    `watch -n1`, `time`, `nice -n 5`, `timeout 5`, `busybox`, cmd's `call`
 *    and `start`, runners such as `npx`, `node`, `deno run -A` and `deno
 *    task`), at the start or after an option that starts a command (find's
 *    `-exec … \;`; after a program that takes a command there, `cmd /c`,
 *    `powershell -Command`, `xterm -e`, `systemd-run --`), a
 *    word that names thoth: `thoth` or `thothctl` as
 *    the last part of a path (`/usr/local/bin/thoth`, `C:\Tools\THOTH.EXE`,
 *    with `.exe`, `.cmd`, `.bat`, `.ps1`, `.js`, `.mjs` or `.ts`), the
 *    source entry point `mod.ts` after `deno run` only, or a word a shell
 *    expands first (`$T`, `$(command -v thoth)`), or an unquoted glob,
 *    brace or extglob group that may expand to such a name (`th?th`,
 *    `{thoth,}`, `@(thoth|x)`, see `shell_word_patterns.ts`; a brace
 *    yields a word per alternative first, `brace_expansion.ts`); then
 * 2. options only, then the word `approvals`; then options only, then
 *    `approve`, `deny`, `list` or `watch` (each also as a pattern that may
 *    expand to it: `app*`, `appro?e`, or a parameter's word: `${x:-list}`);
 *    then
 * 3. what that subcommand takes and no more: `list` and `watch` options
 *    only, `approve` and `deny` one id at most (a word with `$` in it may
 *    expand to nothing and is not counted), and no `--help`. A word a shell
 *    may expand to no word at all (`$x`, `$(…)`, a glob under `nullglob`;
 *    not `"$x"` nor `$$`, see `shell_expansions.ts`) may stand anywhere from
 *    the program's place on and is none there (`$x ssh host …` is ssh's).
 *    What a shell
 *    passes no program (a comment, a redirection, a `&`) does not count:
 *    `thoth approvals approve ID > out 2>&1 # now` is a command.
 *
 * A word of a command with white space, a separator, a quote or a
 * parenthesis in it (`sh -c '…'`, `python3 -c "os.system('…')"`,
 * `node -e "execSync('…')"`) is read again as a text, four times at most,
 * unless it is a pattern or a message (`eval`'s words joined with spaces
 * too, as `eval` joins them): the arguments of `grep`, `rg` and
 * the like, the value of `-m`, `--message`, `--filter` or `--grep`; so is a
 * here-string (`sh <<< '…'`), and what `ssh` (or `autossh`, `mosh`) runs
 * on the other machine (`ssh localhost thoth approvals …`, `mosh host --
 * thoth …`; for mosh, the words after the host that are none of its
 * options, which Getopt::Long reads abbreviated and after the host too, or
 * all after `--`, read as a command here; and always all the words after
 * the host, as Getopt::Long leaves them with `POSIXLY_CORRECT` set, which
 * the environment may hold unseen), whatever the host: it may be
 * this one under another name (an alias in `~/.ssh/config`, its own host
 * name), and a quoted command (`ssh host '…'`) was always read; a chain of
 * them five deep, and past that counted when `approvals` and a word that may
 * name thoth lie ahead. A run of quoted
 * strings in a runner's call in code (`subprocess.run(['thoth','approvals',
 * 'approve', i])`, `execFileSync('thoth',['approvals',…])`, `new
 * Deno.Command("thoth", {args: […]})`, `Process.Start("thoth", "approvals
 * approve ID")`), the call written across lines too, after a first
 * argument that is no string (`exec.CommandContext(ctx, "thoth", …)`,
 * `system({…}, "thoth", …)`), or after perl's and ruby's `system` or `exec`
 * without parentheses (`system "thoth", "approvals", …`, also across lines
 * after a `,`; perl's `exec { 'thoth' } 'x', …`), or after perl's `open`
 * with a pipe (`open($fh, '-|', 'thoth', …)`, also on `${fh}`, `*{"FH"}` or `\*FH`,
 * `qw(…)`, `qq{…}` or `thoth => approvals => …` after the mode, see
 * `pipe_open_commands.ts`), is read
 * as a command's words (two of them when the second holds white space:
 * `['powershell', 'thoth approvals list']`; the first alone, read again as
 * a text, when it holds white space whatever follows: `popen("thoth
 * approvals list", "r")`; and also without the strings given a key after
 * the first: `chdir: '/'`), also without its second word
 * when the first names thoth in a call whose list holds the program's own
 * `argv[0]` (`os.execlp("thoth", "x", "approvals", …)`, `posix_spawn`,
 * Windows' `_wexecl` and `_texeclp`, a C array literal as its list, such a
 * call through a name given it (`(e := os.execvp)`, both names of `e, f =
 * os.execvp, print`, then `b = e`) or `getattr(os, 'execvp', None)` (a
 * lambda default on one line too), perl's `exec {…}`,
 * ruby's `exec(['thoth', 'x'], …)` pair), the language's string escapes and
 * prefixes (`f"…"`, `L"…"`, `_T("…")`) read, and a program given by a
 * lookup or path call whose last argument, a plain quoted string, names
 * thoth (`shutil.which('thoth')`, `os.path.join(d, 'thoth')`) read as that
 * name in a second reading of the
 * text (see `code_forms_read.ts`), getattr's default on its own; so are
 * the text of a backtick pair in code after `=` or a statement's word that
 * prints or returns it
 * (`` out = `…` ``, `` puts `…` ``) or a tag that runs it (`` $`…` ``, also
 * apart after `await`, an assignment or an arrow: `` const out = $ `…` ``;
 * after a lower-case name's `=` or a `(NAME =>` only in a text with other
 * signs of code), not
 * in a comment, prose or a JavaScript template (`backtick_in_code.ts`), and
 * of perl's `qx{…}`, ruby's `%x(…)` and perl's `system qw(…)`
 * (`approval_command_code.ts`).
 *
 * A list of strings is also read as the words of one command (a server that
 * takes `{"command": "thoth", "args": ["approvals", "approve", "k3f9x2qa"]}`):
 * the list counts when its words run one as above (a runner's `run` or
 * `task` may lead it), or when it starts with `approvals` and such a
 * subcommand while another string of the call names thoth, or when it is
 * ssh's (a key such as `command` beside it names ssh; or `name` or `tool`,
 * and then only a list under a key such as `args`, also in an object
 * nested two deep: `{"command": "ssh", "options": {"args": […]}}`) and the
 * words after the host, joined with spaces as ssh joins them, run one.
 *
 * Prose that mentions the commands (`run thoth approvals list in your
 * terminal`, ``Run `thoth approvals list` in a terminal``, a title
 * `thoth approvals watch hangs`, `grep -rn "thoth approvals list" docs/`,
 * `git commit -m "…"`) is not read as running one, nor are the arguments
 * of a call in code that takes data (`INSERT … VALUES ('thoth approvals
 * list')`, `print("…")`; a call that runs them, `subprocess.run(`,
 * `execFileSync(`, `system(`, is read), nor the value of a key named
 * `query`, `text`, `message`, `title` and the like, unless it may be typed
 * into a terminal or settles a request by id (`approval_command_text.ts`).
 * A text that holds the command where a command starts
 * (a script, a Makefile, a GitHub Actions `run:`, a fenced code block a
 * server writes, a docs page with a ```` ```sh ```` block) is, on purpose:
 * the person runs such a file, and a model could write one to be run.
 *
 * A U+0003 in the arguments is an ordinary character, as a shell reads it
 * (never the reading's own pattern mark, see `pattern_mark.ts`); a text is
 * also read with it as a line's end (Ctrl-C typed into a terminal).
 *
 * Cheap: a string without `approvals` (once quotes, `\`, `$` and numeric
 * escapes such as `$'\x61'` are read, see `approval_command_escapes.ts`) is
 * not read further; one with it is read in one linear pass per level.
 *
 * What it cannot see: a command built from pieces (`a=appr; thoth
 * ${a}ovals …`, `base64 -d | sh`), a script written in one call and run in
 * another without the command in it, an alias, a copy of thoth under
 * another name, a runner given another name in another call (`p =
 * os.popen` in one, `p('…')` in the next; in the same text it is read), a
 * backtick substitution in another command's argument (`` ls `thoth
 * approvals list` ``, read as prose, which markdown writes alike), a
 * runner's call whose strings a language joins across lines (`"thoth
 * approvals "` then `"approve x"`), `sshpass … ssh`. `thoth approvals`
 * refuses to list or answer when run from inside a governed server too
 * (see `src/approval/governed_caller.ts`).
 *
 * @example
 * ```ts
 * runsApprovalCommand({ command: "thoth approvals approve k3f9x2qa" }); // true
 * runsApprovalCommand({ command: "grep approvals notes.txt" }); // false
 * runsApprovalCommand({ text: "the approvals list is long" }); // false
 * ```
 */
import type { Evaluation } from "./evaluation.ts";
import { gated } from "./approval_command_escapes.ts";
import { lastPart, namesProgramAnywhere } from "./approval_command_simple.ts";
import { approvalsAt } from "./approval_command_tail.ts";
import { commandRuns, MAX_DEPTH, remoteListRuns, textOrFormsRun } from "./approval_command_runs.ts";
import { leadsJson } from "./own_files_value_forms.ts";
import { argvKey, namedProgram } from "./program_keys.ts";
import { parsePythonJson } from "./python_json.ts";
import { withoutMarks } from "./pattern_mark.ts";
import {
  MAX_REMOTE_DEPTH,
  remoteArgvKey,
  type RemoteShellCall,
  remoteShellCall,
} from "./ssh_remote_command.ts";
import { namesRequestId, textMayStay, typesIntoTerminal } from "./approval_command_text.ts";
import { POSIX_SHELLS, SHELL_KEYS, TEXT_KEYS } from "./approval_command_words.ts";

/** The rule id a call that runs thoth's approval commands is blocked under. */
export const APPROVAL_COMMAND_RULE = "thoth.approval_command";

/**
 * Whether some string in `args` (a value or a key, anywhere, also inside
 * JSON a string holds), or some list of strings read as one command's words,
 * runs one of thoth's approval commands (see the module's documentation).
 * `tool`, the called tool's name, says whether its text keys are typed.
 */
export function runsApprovalCommand(args: unknown, tool = ""): boolean {
  // Whether the tool types into a terminal: asked only of a text key that names the command.
  let typing: boolean | undefined;
  const typesText = (): boolean => typing ??= tool !== "" && typesIntoTerminal(tool);
  // A list that starts with `approvals` and a subcommand counts when the call names thoth too.
  let headless = false;
  const pending: unknown[] = [args];
  const readJson = (value: string): void => {
    if (!leadsJson(value)) return;
    try {
      pending.push(parsePythonJson(value));
    } catch {
      // Not JSON: read as it is.
    }
  };
  const read = (value: string): boolean => {
    if (!gated(value)) return false;
    if (textOrFormsRun(value, MAX_DEPTH)) return true;
    readJson(value);
    return false;
  };
  // Objects nested under one that names ssh as its program (`{"command": "ssh", "options":
  // {"args": […]}}`), and how.
  const remoteCalls = new Map<object, RemoteShellCall>();
  // Iterative: arguments may nest deeper than the call stack goes.
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (read(value)) return true;
    } else if (Array.isArray(value)) {
      let strings = true;
      let gate = false;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item !== "string") strings = false;
        else if (!gate && gated(item)) gate = true;
        pending.push(item);
      }
      if (strings && gate) {
        // A pattern mark in a list is an ordinary character (see `pattern_mark.ts`).
        const words = (value as string[]).map(withoutMarks);
        if (commandRuns(words, MAX_DEPTH, true)) return true;
        if (approvalsAt(words, 0)) headless = true;
      }
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      // ssh as the call's program (`{"command": "ssh", "args": […]}`): its lists are ssh's.
      let remote: RemoteShellCall | null | undefined;
      // The POSIX shell the object names as its program (`{"command": "bash"}`), if any.
      let shell: NamedShell | null | undefined;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (read(key)) return true;
        const child = (value as Record<string, unknown>)[key];
        // A shell's arguments beside it (`{"command": "bash", "args": ["-c", "…"]}`): read with
        // the shell as their program, so that its script is a POSIX shell's.
        if (Array.isArray(child)) {
          // Asked once per object: `null` (names none) is an answer, not unset.
          if (shell === undefined) shell = namedShell(value, typesText);
          if (
            shell !== null && argvKey(shell.argvOnly, key) &&
            child.every((item) => typeof item === "string") && child.some(gated) &&
            commandRuns([shell.program, ...(child as string[]).map(withoutMarks)], MAX_DEPTH, true)
          ) return true;
        }
        if (child !== null && typeof child === "object") {
          // Asked once per object: `null` (names none) is an answer, not unset.
          if (remote === undefined) {
            remote = remoteShellCall(value) ?? remoteCalls.get(value) ?? null;
          }
          if (remote !== null) {
            if (!Array.isArray(child)) {
              if (remote.depth < MAX_REMOTE_DEPTH) {
                remoteCalls.set(child, { ...remote, argvOnly: true, depth: remote.depth + 1 });
              }
            } else if (remoteArgvKey(remote, key) && remoteListRuns(child, remote.shell)) {
              return true;
            }
          }
        }
        // A query, a message or a title is text to search, send or show: JSON in it is still read.
        if (typeof child === "string" && TEXT_KEYS.has(key.toLowerCase())) {
          // Without the word, nothing in it runs thoth's approval commands (see `gated`).
          if (!gated(child)) continue;
          if (
            textMayStay(child, value, typesText()) &&
            !(namesRequestId(child) && textOrFormsRun(child, MAX_DEPTH))
          ) {
            readJson(child);
            continue;
          }
        }
        // A shell's command line (`{"command": "…"}`): every backtick pair in it runs.
        if (typeof child === "string" && shellKey(key, typesText)) {
          if (gated(child) && textOrFormsRun(child, MAX_DEPTH, true)) return true;
          readJson(child);
          continue;
        }
        pending.push(child);
      }
    }
  }
  return headless && namesProgramAnywhere(args);
}

/** Whether `key` names a shell's command line (see `SHELL_KEYS`): `input` of a typing tool too. */
function shellKey(key: string, typing: () => boolean): boolean {
  let name = key.toLowerCase();
  if (name.indexOf("_") !== -1 || name.indexOf("-") !== -1) name = name.replace(/[_-]/g, "");
  return SHELL_KEYS.has(name) || (name === "input" && typing());
}

/** A POSIX shell an object names as its program, and how (see `namedProgram`). */
interface NamedShell {
  program: string;
  argvOnly: boolean;
}

/**
 * The POSIX shell (`bash`, `/bin/sh`) `object` names as its program, or
 * `null`: under a shell's key (`command`, `shell`, `script`) or a key that
 * names a program (`executable`, `program`, `bin`), whose lists beside it
 * are all its arguments, or under `name`, `tool` and the like, whose list
 * under a key such as `args` only.
 */
function namedShell(object: object, typing: () => boolean): NamedShell | null {
  for (const [key, child] of Object.entries(object)) {
    if (typeof child === "string" && shellKey(key, typing) && posixShell(child) !== undefined) {
      return { program: child, argvOnly: false };
    }
  }
  return namedProgram(object, posixShell) ?? null;
}

/** `value` when it names a POSIX shell by its last part (`/bin/sh`, `bash.exe`). */
function posixShell(value: string): string | undefined {
  const name = lastPart(value.trim()).toLowerCase().replace(/\.exe$/, "");
  return POSIX_SHELLS.has(name) ? value : undefined;
}

/**
 * What the call is told, and the audit record and stderr say: no path, no
 * argument value, and not the command (the model is never taught it).
 */
export const APPROVAL_COMMAND_REASON =
  "the arguments run thoth's own approval commands, which list and answer the calls waiting " +
  "for a person: a person answers them in a terminal of their own, never through a tool the " +
  "model calls, so thoth never forwards such a call, in any mode";

/**
 * The evaluation of a call that runs an approval command: BLOCK under
 * {@linkcode APPROVAL_COMMAND_RULE} alone; the policy's intent, rules and
 * detectors are not consulted.
 */
export function approvalCommandEvaluation(): Evaluation {
  return {
    decision: "block",
    ruleIds: [APPROVAL_COMMAND_RULE],
    violatedIds: [APPROVAL_COMMAND_RULE],
    reasons: [APPROVAL_COMMAND_REASON],
    findings: [],
    riskScore: 0,
    intentViolation: false,
    matches: [{
      id: APPROVAL_COMMAND_RULE,
      source: "thoth",
      decision: "block",
      reason: APPROVAL_COMMAND_REASON,
    }],
    notes: [],
    scanCapped: false,
  };
}
