// thoth's own files and the clients' configs against what a second review of
// the working-folder reading, the Windows short names and bash's `$'…'`
// found: paths with a space, ordinary words read as folders, more keys and
// shapes of a working folder, the work a call may ask for, the short names'
// 8.3 shape, `$'…'` decoded before case is folded, and `ADMıN$`.
import assert from "node:assert/strict";
import {
  CLIENT_CONFIG_RULE,
  MAX_WORKING_FOLDERS,
  OWN_FILES_RULE,
} from "../../src/policy/own_files.ts";
import {
  ALLOWED,
  judge as judgeCall,
  LINUX,
  MAC,
  ownFilesSession as session,
  rulesOf,
  type Session,
  WINDOWS,
} from "./_own_files_policies.ts";
import { blocks } from "./_path_predicate.ts";

function judge(policy: Session, args: Record<string, unknown>, tool = "shell") {
  return judgeCall(policy, args, tool);
}

function rule(policy: Session, args: Record<string, unknown>, tool = "shell"): string {
  return rulesOf(policy, args, tool);
}

Deno.test("a relative path with a space is read whole, and as a shell splits a command", () => {
  const config = "Library/Application Support/Claude/claude_desktop_config.json";
  for (
    const args of [
      { cwd: "/Users/u", path: config },
      { cwd: "/Users/u", path: `  ${config}\n` },
      { cwd: "/Users/u", argv: ["cat", config] },
      { cwd: "/Users/u", command: `cat "${config}"` },
      { cwd: "/Users/u", command: `cat '${config}' | wc -c` },
      { cwd: "/Users/u", command: `cp ${config.replace(" ", "\\ ")} /tmp/x` },
      { cwd: "/Users/u", command: `cat Library/"Application Support"/Claude/${config.slice(-26)}` },
      { cwd: "/Users/u", command: `cp --from="${config}" /tmp/x` },
    ]
  ) {
    assert.equal(rule(MAC, args), CLIENT_CONFIG_RULE, JSON.stringify(args));
  }
  // A profile below a folder with a space in its name.
  const spaced = session("linux", { HOME: "/home/u" }, { ownFolders: ["/home/u/my files/.thoth"] });
  for (
    const args of [
      { cwd: "/home/u", path: "my files/.thoth/keys/x" },
      { cwd: "/home/u", command: 'cat "my files/.thoth/keys/x"' },
      { cwd: "/home/u", command: "cat my\\ files/.thoth/keys/x" },
    ]
  ) {
    assert.equal(rule(spaced, args), OWN_FILES_RULE, JSON.stringify(args));
  }
  // The same words quoted otherwise are another path, as the shell reads them.
  assert.equal(rule(spaced, { cwd: "/home/u", command: "cat my files/.thoth/keys/x" }), ALLOWED);
  // A quoted word with white space may be a command a shell runs again (`sh -c "…"`): its
  // words are read too, so this one is blocked though `cat` reads it as one path.
  assert.equal(rule(LINUX, { cwd: "/home/u", command: 'cat "x .thoth/keys"' }), OWN_FILES_RULE);
});

Deno.test("an ordinary word is no folder holding a config, as in an absolute command", () => {
  for (
    const [policy, args] of [
      [MAC, { cwd: "/Users/u", content: "Our library of tools" }],
      [MAC, { workdir: "/Users/u", command: "pip install library" }],
      [MAC, { cwd: "/Users/u", command: "git commit -m 'Update Library docs'" }],
      [MAC, { directory: "/Users/u", text: "The Library opens at 9" }],
      [MAC, { cwd: "/Users/u", command: "du -sh Library" }],
      [WINDOWS, { cwd: "C:\\Users\\u", content: "clean appdata please" }],
      [WINDOWS, { cwd: "C:\\Users\\u", command: "dir AppData" }],
      [LINUX, { cwd: "/home/u", command: "du -sh .cache .config .local" }],
      [LINUX, { cwd: "/home/u", command: "ls .config/" }],
      [LINUX, { cwd: "/home/u", text: "settings live in .cursor" }],
    ] as const
  ) {
    assert.equal(rule(policy, args), ALLOWED, JSON.stringify(args));
  }
  // As the absolute command is.
  assert.equal(rule(LINUX, { command: "du -sh /home/u/.cache /home/u/.config" }), ALLOWED);
  // A path argument that is such a folder, whole, still names it; a word naming the protected
  // file or folder itself still reaches it.
  assert.equal(rule(MAC, { cwd: "/Users/u", path: "Library" }), CLIENT_CONFIG_RULE);
  assert.equal(rule(LINUX, { cwd: "/home/u", path: ".config" }), CLIENT_CONFIG_RULE);
  assert.equal(
    rule(LINUX, { cwd: "/home/u", argv: ["mv", ".cursor", "/tmp"] }),
    CLIENT_CONFIG_RULE,
  );
  assert.equal(rule(LINUX, { cwd: "/home/u", command: "rm -rf .thoth" }), OWN_FILES_RULE);
  assert.equal(rule(LINUX, { cwd: "/home/u", command: "cat .claude.json" }), CLIENT_CONFIG_RULE);
});

Deno.test("more keys and shapes name a working folder", () => {
  for (
    const args of [
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
    ]
  ) {
    assert.equal(rule(LINUX, args), OWN_FILES_RULE, JSON.stringify(args));
  }
  for (
    const args of [
      { command: "type .thoth\\keys\\x", cwd: "%USERPROFILE%" },
      { command: "type .thoth\\keys\\x", cwd: "$env:USERPROFILE" },
      { command: "type Claude\\claude_desktop_config.json", cwd: "%APPDATA%" },
    ]
  ) {
    const expected = args.cwd === "%APPDATA%" ? CLIENT_CONFIG_RULE : OWN_FILES_RULE;
    assert.equal(rule(WINDOWS, args), expected, JSON.stringify(args));
  }
  // Other keys and other folders are not.
  for (
    const args of [
      { command: "cat .thoth/keys/x", base_dir: "/home/u" },
      { command: "cat .thoth/keys/x", cwd: "$HOMEDIR" },
      { command: "cat .thoth/keys/x", cwd: ["/srv"] },
      { command: "cat .thoth/keys/x", options: '{"cwd": "/srv"}' },
    ]
  ) {
    assert.equal(rule(LINUX, args), ALLOWED, JSON.stringify(args));
  }
});

Deno.test("the work a call's working folders ask for is bounded, and fails closed past it", () => {
  // Short names of no protected segment are resolved nowhere: quick, and allowed.
  const folders = Object.fromEntries(
    Array.from({ length: MAX_WORKING_FOLDERS }, (_, i) => [`o${i}`, { cwd: `%X${i}%` }]),
  );
  const items = Array.from({ length: 65536 }, (_, i) => `AB${i}~1\\x`);
  const started = performance.now();
  assert.equal(rule(WINDOWS, { items, ...folders }), ALLOWED);
  const took = performance.now() - started;
  assert.ok(took < 2000, `${took} ms`);
  // A profile's short name in a working folder is still read.
  assert.equal(
    rule(WINDOWS, { command: "type THOTH~1\\keys\\x", cwd: "C:\\Users\\u" }),
    OWN_FILES_RULE,
  );
  // Paths that may name the profile, each resolved against each folder thoth cannot place:
  // past the budget the call is blocked, with its own reason.
  const paths = Array.from({ length: 20000 }, (_, i) => `.thoth/x${i}`);
  const linuxFolders = Object.fromEntries(
    Array.from({ length: MAX_WORKING_FOLDERS }, (_, i) => [`o${i}`, { cwd: `$X${i}` }]),
  );
  const capped = judge(LINUX, { paths, ...linuxFolders });
  assert.equal(capped.ruleIds.join(","), OWN_FILES_RULE);
  assert.match(capped.reasons[0]!, /too many relative paths in one call to check/);
  // Climbing paths that name no protected folder are resolved only in folders that name one.
  const climbing = Array.from({ length: 20000 }, (_, i) => `a${i}/../b`);
  assert.equal(rule(LINUX, { climbing, ...linuxFolders }), ALLOWED);
  // A list of paths below a folder of item 2, in one working folder, is read.
  const listing = Array.from({ length: 20000 }, (_, i) => `.config/nvim/lua/x${i}.lua`);
  assert.equal(rule(LINUX, { listing, cwd: "/home/u" }), ALLOWED);
  // An ordinary script with a few of them is read.
  const script = Array.from({ length: 300 }, (_, i) => `cp ../in/${i}.csv ./out/`).join("\n");
  assert.equal(rule(LINUX, { command: script, cwd: "/srv/app", dir: "/srv/b" }), ALLOWED);
  assert.equal(
    rule(LINUX, { command: `${script}\ncat ../.thoth/keys/x`, cwd: "/home/u/x" }),
    OWN_FILES_RULE,
  );
});

Deno.test("the working-folder cap applies only when a string may name a relative path", () => {
  const files = Array.from(
    { length: MAX_WORKING_FOLDERS + 1 },
    (_, i) => ({ directory: `/srv/data/part${i}`, name: `${i}.csv` }),
  );
  assert.equal(rule(LINUX, { files }, "upload_batch"), ALLOWED);
  const jobs = Array.from(
    { length: 12 },
    (_, i) => ({ cwd: `/home/u/mono/packages/p${i}`, command: "npm test" }),
  );
  assert.equal(rule(LINUX, { jobs }, "run_many"), ALLOWED);
  const capped = judge(LINUX, { files, command: "cat .thoth/keys/x" });
  assert.equal(capped.ruleIds.join(","), OWN_FILES_RULE);
  assert.match(
    capped.reasons[0]!,
    new RegExp(
      `too many working folders in one call to check: ${
        MAX_WORKING_FOLDERS + 1
      }; thoth checks at most ${MAX_WORKING_FOLDERS}`,
    ),
  );
});

Deno.test("a short name has the 8.3 shape of the long name it stands for", () => {
  for (
    const path of [
      "C:\\Users\\u\\THOTH~1\\keys\\x",
      "C:\\Users\\u\\THOTH~12\\keys\\x",
      "C:\\Users\\u\\THOT~123\\keys\\x",
      "C:\\Users\\u\\TH4F2A~1\\keys\\x",
      "c:/users/u/thoth~2",
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }, "read_file"), OWN_FILES_RULE, path);
  }
  for (
    const path of [
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
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }, "read_file"), CLIENT_CONFIG_RULE, path);
  }
  for (
    const [args, tool] of [
      [{ path: "C:\\Users\\u\\MYDOCU~1\\report.docx" }, "read_file"],
      [{ path: "C:\\Users\\u\\DOCUME~1\\report.docx" }, "read_file"],
      [{ path: "C:\\Users\\u\\ONEDRI~1\\Documents\\x.xlsx" }, "read_file"],
      [{ path: "C:\\Users\\u\\backup~2024\\x.txt" }, "read_file"],
      [{ path: "C:\\Users\\u\\PROGRA~1\\x" }, "read_file"],
      [{ text: "see ~/notes~1 for details" }, "write_note"],
      [{ command: "copy C:\\Users\\u\\NEWFOL~1\\a.txt C:\\work" }, "shell"],
      [{ command: "dir MYDOCU~1", cwd: "C:\\Users\\u" }, "shell"],
    ] as const
  ) {
    assert.equal(rule(WINDOWS, args, tool), ALLOWED, JSON.stringify(args));
  }
});

Deno.test("bash's $'…' is decoded before case is folded and \\ separates", () => {
  for (
    const command of [
      "cat ~/.th$'\\x4f'th/keys/x",
      "cat ~/.$'\\x54'hoth/keys/x",
      "cat /Users/u/.th$'\\x4f'th/keys/x",
    ]
  ) {
    assert.equal(rule(MAC, { command }), OWN_FILES_RULE, command);
  }
  assert.equal(
    rule(MAC, {
      command: "cat ~/Library/$'\\x41'pplication\\ Support/Claude/claude_desktop_config.json",
    }),
    CLIENT_CONFIG_RULE,
  );
  for (
    const command of [
      "cat ~/.th$'\\x6f'th/keys/x",
      "cat ~/$'\\056thoth'/keys/x",
      "cat C:/Users/u/.th$'\\x6f'th/keys/x",
    ]
  ) {
    assert.equal(rule(WINDOWS, { command }), OWN_FILES_RULE, command);
  }
  // Another letter is another name.
  assert.equal(rule(MAC, { command: "cat ~/.th$'\\x4e'th/keys/x" }), ALLOWED);
});

Deno.test("\\\\host\\ADMıN$ is the Windows folder too", () => {
  const win = { os: "windows", home: "C:\\Users\\ana" };
  assert.equal(blocks({ glob: "C:/Windows/**" }, "\\\\localhost\\ADM\u0131N$\\x", win), true);
  assert.equal(blocks({ prefix: "C:\\Windows\\" }, "\\\\localhost\\adm\u0131n$\\x", win), true);
  assert.equal(blocks({ glob: "C:/Windows/**" }, "\\\\localhost\\ADMAN$\\x", win), false);
});
