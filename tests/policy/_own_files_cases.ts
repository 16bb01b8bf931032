/**
 * The case tables the own-files tests share, each case stated once: a call
 * (`args` of `tool`, judged by `policy`) and the rule it is put down to.
 * Windows short names, bash's `$'…'` and `$"…"` quoting, and the working
 * folders a call names, as the reviews of those readings found them.
 */
import assert from "node:assert/strict";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import {
  ALLOWED,
  LINUX,
  MAC,
  ownFilesSession as session,
  rulesOf,
  type Session,
  WINDOWS,
} from "./_own_files_policies.ts";

/** One call and the rule it is put down to. */
export interface OwnFilesCase {
  policy: Session;
  args: Record<string, unknown>;
  tool: string;
  expected: string;
}

/** The rules `policy` puts a call of `tool` (a shell's unless told) with `args` down to. */
export function rule(policy: Session, args: Record<string, unknown>, tool = "shell"): string {
  return rulesOf(policy, args, tool);
}

/** Asserts each of `cases`, naming the call that failed. */
export function assertCases(cases: readonly OwnFilesCase[]): void {
  for (const { policy, args, tool, expected } of cases) {
    assert.equal(rule(policy, args, tool), expected, `${tool} ${JSON.stringify(args)}`);
  }
}

/** `args` of each of `list` as cases of `tool` on `policy`, all put down to `expected`. */
function each(
  policy: Session,
  tool: string,
  expected: string,
  list: readonly Record<string, unknown>[],
): OwnFilesCase[] {
  return list.map((args) => ({ policy, args, tool, expected }));
}

/** `{ path }` for each of `paths`. */
function paths(list: readonly string[]): Record<string, unknown>[] {
  return list.map((path) => ({ path }));
}

/** `{ command }` for each of `commands`. */
function commands(list: readonly string[]): Record<string, unknown>[] {
  return list.map((command) => ({ command }));
}

/**
 * Windows short names: one of a profile segment's (`THOTH~1`, `TH4F2A~1`) or
 * a client config's, of the 8.3 shape of the long name it stands for, is
 * read as possibly that name; any other short name is another file.
 */
export const SHORT_NAME_CASES: readonly OwnFilesCase[] = [
  ...each(
    WINDOWS,
    "move_file",
    OWN_FILES_RULE,
    paths([
      "C:\\Users\\u\\THOTH~1\\state\\progressive.json",
      "C:\\Users\\u\\THOTH~1\\keys",
      "C:\\Users\\u\\THOTH~1",
      "c:/users/u/thoth~2/x",
      "C:\\Users\\u\\TH4F2A~1\\x",
    ]),
  ),
  ...each(
    WINDOWS,
    "read_file",
    OWN_FILES_RULE,
    paths([
      "C:\\Users\\u\\THOTH~1\\keys\\x",
      "C:\\Users\\u\\THOTH~12\\keys\\x",
      "C:\\Users\\u\\THOT~123\\keys\\x",
      "C:\\Users\\u\\TH4F2A~1\\keys\\x",
      "c:/users/u/thoth~2",
    ]),
  ),
  // In a shell command too, written in full or from the home folder's variables.
  ...each(
    WINDOWS,
    "shell",
    OWN_FILES_RULE,
    commands([
      "type C:\\Users\\u\\THOTH~1\\keys\\hmac.key",
      "del %USERPROFILE%\\THOTH~1\\state\\progressive.json",
      "Get-Content $env:USERPROFILE\\THOTH~1\\keys\\x",
      "cat ~/THOTH~1/keys/x",
    ]),
  ),
  ...each(
    WINDOWS,
    "read_file",
    CLIENT_CONFIG_RULE,
    paths([
      "C:\\Users\\u\\CURSOR~1\\mcp.json",
      "C:\\Users\\u\\.cursor\\MCP~1.JSO",
      "C:\\Users\\u\\CLAUDE~1.JSO",
      "C:\\Users\\u\\CLAUDE~1\\SETTIN~1.JSO",
      "C:\\Users\\u\\AppData\\Roaming\\Claude\\CLAUDE~1.JSO",
      "C:\\Users\\u\\AppData\\Roaming\\Code\\User\\SETTIN~1.JSO",
      "C:\\Users\\u\\AppData\\Roaming\\CODE-I~1\\User\\mcp.json",
      "C:\\Users\\u\\CODEIU~1\\windsurf\\MCP_CO~1.JSO",
      "C:\\Users\\u\\AppData\\Roaming\\Code\\User\\PROFIL~1\\abc\\mcp.json",
      "C:\\Users\\u\\AppData\\Roaming\\VSCODI~1\\User\\mcp.json",
    ]),
  ),
  // A short name elsewhere, or of another long name, is no profile's.
  ...each(
    WINDOWS,
    "move_file",
    ALLOWED,
    paths([
      "C:\\PROGRA~1\\x",
      "C:\\Users\\PROGRA~1",
      "C:\\work\\PROGRA~1\\x",
      "C:\\Users\\u\\docs\\THOTH~1\\x",
      "C:\\Users\\u\\PROGRA~1\\x",
    ]),
  ),
  ...each(
    WINDOWS,
    "read_file",
    ALLOWED,
    paths([
      "C:\\Users\\u\\MYDOCU~1\\report.docx",
      "C:\\Users\\u\\DOCUME~1\\report.docx",
      "C:\\Users\\u\\ONEDRI~1\\Documents\\x.xlsx",
      "C:\\Users\\u\\backup~2024\\x.txt",
      "C:\\Users\\u\\PROGRA~1\\x",
    ]),
  ),
  {
    policy: WINDOWS,
    args: { text: "see ~/notes~1 for details" },
    tool: "write_note",
    expected: ALLOWED,
  },
  ...each(WINDOWS, "shell", ALLOWED, [
    { command: "dir C:\\PROGRA~1\\x" },
    { command: "copy C:\\Users\\u\\NEWFOL~1\\a.txt C:\\work" },
    { command: "dir MYDOCU~1", cwd: "C:\\Users\\u" },
  ]),
  // Outside Windows `~1` is part of a name.
  { policy: LINUX, args: { path: "/home/u/THOTH~1/keys" }, tool: "move_file", expected: ALLOWED },
];

/**
 * bash's `$'…'` and `$"…"` quoting, read as bash reads the word: `$'…'`
 * decoded before case is folded and (on Windows) `\` separates; another
 * letter is another name.
 */
export const DOLLAR_QUOTE_CASES: readonly OwnFilesCase[] = [
  ...each(
    LINUX,
    "shell",
    OWN_FILES_RULE,
    commands([
      "cat ~/$'.thoth'/keys/hmac.key",
      "cat ~/.th$'o'th/keys/hmac.key",
      'cat ~/$".thoth"/keys/hmac.key',
      "cat ~/.th$'\\x6f'th/keys/hmac.key",
      "cat ~/.th$'\\157'th/keys/hmac.key",
      "cat ~/.th$'\\u006f'th/keys/hmac.key",
      'cat "$HOME"/$\'.th\'"oth"/keys/x',
      "cat /home/u/$'.thoth'/keys/x",
    ]),
  ),
  ...each(
    MAC,
    "shell",
    OWN_FILES_RULE,
    commands([
      "cat ~/.th$'\\x4f'th/keys/x",
      "cat ~/.$'\\x54'hoth/keys/x",
      "cat /Users/u/.th$'\\x4f'th/keys/x",
    ]),
  ),
  ...each(
    WINDOWS,
    "shell",
    OWN_FILES_RULE,
    commands([
      "cat ~/.th$'\\x6f'th/keys/x",
      "cat ~/$'\\056thoth'/keys/x",
      "cat C:/Users/u/.th$'\\x6f'th/keys/x",
    ]),
  ),
  ...each(LINUX, "shell", CLIENT_CONFIG_RULE, [
    { command: "cat ~/.con$'f'ig/Claude/claude_desktop_config.json" },
  ]),
  ...each(MAC, "shell", CLIENT_CONFIG_RULE, [
    { command: "cat ~/Library/$'\\x41'pplication\\ Support/Claude/claude_desktop_config.json" },
  ]),
  // Another name stays another name.
  ...each(
    LINUX,
    "shell",
    ALLOWED,
    commands([
      "cat ~/.th$'\\x6e'th/keys/x",
      "echo $'thoth keeps .thoth'",
      "cat ~/$'.thoth2'/x",
    ]),
  ),
  ...each(MAC, "shell", ALLOWED, [{ command: "cat ~/.th$'\\x4e'th/keys/x" }]),
];

/** The profile at `~/.thoth`, or at `~/.config/thoth` where `args` names a `dir`. */
function profileFor(args: Record<string, unknown>): OwnFilesCase {
  const policy = session("linux", { HOME: "/home/u" }, {
    ownFolders: ["dir" in args ? "/home/u/.config/thoth" : "/home/u/.thoth"],
  });
  return { policy, args, tool: "shell", expected: OWN_FILES_RULE };
}

/**
 * A relative path resolved against a working folder the same call names,
 * under any of the keys and shapes that name one (`cwd`, `directory`,
 * `working_dir`, an array, JSON in a string, `$HOME`, `%USERPROFILE%`…);
 * other keys and other folders are not, and the same path is another
 * folder's there.
 */
export const WORKING_FOLDER_CASES: readonly OwnFilesCase[] = [
  ...[
    { command: ["cat", ".thoth/keys/hmac.key"], directory: "/home/u" },
    { command: "rm .thoth/state/progressive.json", cwd: "~" },
    { command: "cat ../.thoth/keys/hmac.key", cwd: "/home/u/x" },
    { command: "cat './.thoth'/keys/x", CWD: "/home/u" },
    { command: "cp x --target=.thoth/state", working_directory: "/home/u" },
    { command: "cat .th$'o'th/keys/x", workdir: "/home/u" },
    { options: { workingDirectory: "/home/u" }, command: "cat .thoth/keys/x" },
    { script: { run: "cat thoth/keys/x" }, dir: "/home/u/.config" },
    { args: '{"cmd": "cat .thoth/keys/x", "cwd": "/home/u"}' },
    { command: "cat .thoth/keys/x", working_dir: "/home/u/.thoth/.." },
  ].map(profileFor),
  ...each(LINUX, "shell", OWN_FILES_RULE, [
    { command: "cat .thoth/keys/x", workingDir: "/home/u" },
    { command: "cat .thoth/keys/x", work_dir: "/home/u" },
    { command: "cat .thoth/keys/x", "work-dir": "/home/u" },
    { command: "cat .thoth/keys/x", "working-directory": "/home/u" },
    { command: "cat .thoth/keys/x", current_dir: "/home/u" },
    { command: "cat .thoth/keys/x", CurrentDirectory: "/home/u" },
    { command: "cat .thoth/keys/x", cwdPath: "/home/u" },
    { command: "cat .thoth/keys/x", working_folder: "/home/u" },
    { command: "cat .thoth/keys/x", cwd: ["/srv", "/home/u"] },
    { command: "cat .thoth/keys/x", cwd: '["/home/u"]' },
    { command: "cat .thoth/keys/x", cwd: "$HOME" },
    { command: "cat .thoth/keys/x", cwd: "${HOME}" },
    { command: "cat keys/x", cwd: "$HOME/.thoth/.." + "/.thoth" },
    { command: "cat .thoth/keys/x", options: '{"cwd": "/home/u"}' },
    { command: "cat .thoth/keys/x", options: ' {"workingDir": "/home/u", "t": NaN}' },
  ]),
  // A client's config too, and on the systems that compare without case.
  ...each(LINUX, "move_file", CLIENT_CONFIG_RULE, [
    { command: "cat .config/Claude/claude_desktop_config.json", cwd: "/home/u" },
  ]),
  ...each(WINDOWS, "move_file", OWN_FILES_RULE, [
    { command: "type .thoth\\keys\\x", cwd: "C:\\Users\\u" },
  ]),
  ...each(MAC, "move_file", OWN_FILES_RULE, [{ command: "cat .THOTH/keys/x", cwd: "/Users/u" }]),
  ...each(WINDOWS, "shell", OWN_FILES_RULE, [
    { command: "type .thoth\\keys\\x", cwd: "%USERPROFILE%" },
    { command: "type .thoth\\keys\\x", cwd: "$env:USERPROFILE" },
  ]),
  ...each(WINDOWS, "shell", CLIENT_CONFIG_RULE, [
    { command: "type Claude\\claude_desktop_config.json", cwd: "%APPDATA%" },
  ]),
  // A word with the name inside another (`x.thoth`) is another folder, even resolved there.
  ...each(LINUX, "shell", ALLOWED, [{ command: "cat x.thoth/keys", cwd: "/home/u" }]),
  // Other keys and other folders are not; the same relative path is another folder's there.
  ...each(LINUX, "shell", ALLOWED, [
    { command: "cat .thoth/keys/x", base_dir: "/home/u" },
    { command: "cat .thoth/keys/x", cwd: "$HOMEDIR" },
    { command: "cat .thoth/keys/x", cwd: ["/srv"] },
    { command: "cat .thoth/keys/x", options: '{"cwd": "/srv"}' },
    { command: ["cat", ".thoth/keys/hmac.key"], directory: "/srv/app" },
    { command: "rm .thoth/state/progressive.json", cwd: "/tmp" },
    { command: "cat ../.thoth/keys/hmac.key", cwd: "/home/u/x/y" },
    { command: "cat .thoth/keys/x", folder: "/home/u" },
    { command: "cat .thoth/keys/x" },
  ]),
];
