// thoth's own files and the clients' configs against spellings a review found
// passing: a Windows short name of the profile (`THOTH~1`), `ſ` and `ı`
// where files are compared without case, a relative path in a call that
// names the folder it runs in (`cwd`, `directory`…), and bash's `$'…'` and
// `$"…"` quoting.
import assert from "node:assert/strict";
import {
  CLIENT_CONFIG_RULE,
  MAX_WORKING_FOLDERS,
  OWN_FILES_RULE,
} from "../../src/policy/own_files.ts";
import {
  LINUX,
  MAC,
  ownFilesSession as session,
  rulesOf,
  type Session,
  WINDOWS,
} from "./_own_files_policies.ts";

function rule(policy: Session, args: Record<string, unknown>, tool = "move_file"): string {
  return rulesOf(policy, args, tool);
}

Deno.test("a Windows short name of a profile segment is read as possibly that segment", () => {
  for (
    const path of [
      "C:\\Users\\u\\THOTH~1\\state\\progressive.json",
      "C:\\Users\\u\\THOTH~1\\keys",
      "C:\\Users\\u\\THOTH~1",
      "c:/users/u/thoth~2/x",
      "C:\\Users\\u\\TH4F2A~1\\x",
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }), OWN_FILES_RULE, path);
  }
  // In a shell command too, written in full or from the home folder's variables.
  for (
    const command of [
      "type C:\\Users\\u\\THOTH~1\\keys\\hmac.key",
      "del %USERPROFILE%\\THOTH~1\\state\\progressive.json",
      "Get-Content $env:USERPROFILE\\THOTH~1\\keys\\x",
      "cat ~/THOTH~1/keys/x",
    ]
  ) {
    assert.equal(rule(WINDOWS, { command }, "shell"), OWN_FILES_RULE, command);
  }
  // A short name elsewhere is no profile's.
  for (
    const path of [
      "C:\\PROGRA~1\\x",
      "C:\\Users\\PROGRA~1",
      "C:\\work\\PROGRA~1\\x",
      "C:\\Users\\u\\docs\\THOTH~1\\x",
      // A short name of another long name.
      "C:\\Users\\u\\PROGRA~1\\x",
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }), "policy.default", path);
  }
  assert.equal(rule(WINDOWS, { command: "dir C:\\PROGRA~1\\x" }, "shell"), "policy.default");
  // Outside Windows `~1` is part of a name.
  assert.equal(rule(LINUX, { path: "/home/u/THOTH~1/keys" }), "policy.default");
});

Deno.test("ſ and ı are read as s and i where files are compared without case", () => {
  for (
    const path of [
      "C:\\Uſers\\u\\.thoth\\keys\\x",
      "C:\\UſERſ\\u\\.thoth",
      "c:/uſers/U/.THOTH/state",
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }), OWN_FILES_RULE, path);
  }
  assert.equal(rule(WINDOWS, { command: "type C:\\Uſers\\u\\.thoth\\keys\\x" }), OWN_FILES_RULE);
  for (
    const path of [
      "C:\\Uſers\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
      "C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_deſktop_config.json",
      "C:\\Users\\u\\AppData\\Roamıng\\Claude\\claude_desktop_config.json",
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }), CLIENT_CONFIG_RULE, path);
  }
  assert.equal(rule(MAC, { path: "/Uſers/u/.thoth/keys" }), OWN_FILES_RULE);
  assert.equal(
    rule(MAC, { path: "/Uſers/u/Library/Application Support/Claude/claude_desktop_config.json" }),
    CLIENT_CONFIG_RULE,
  );
  // Linux compares with case: `ſ` is another name.
  assert.equal(rule(LINUX, { path: "/home/u/.thoth/keyſ" }), OWN_FILES_RULE);
  assert.equal(rule(LINUX, { path: "/home/uſ/.thoth/keys" }), "policy.default");
  assert.equal(
    rule(LINUX, { path: "/home/u/.config/Claude/claude_deſktop_config.json" }),
    "policy.default",
  );
});

Deno.test("a relative path is resolved against a working folder the same call names", () => {
  for (
    const args of [
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
    ]
  ) {
    const own = session("linux", { HOME: "/home/u" }, {
      ownFolders: ["dir" in args ? "/home/u/.config/thoth" : "/home/u/.thoth"],
    });
    assert.equal(rule(own, args, "shell"), OWN_FILES_RULE, JSON.stringify(args));
  }
  // A client's config too.
  assert.equal(
    rule(LINUX, { command: "cat .config/Claude/claude_desktop_config.json", cwd: "/home/u" }),
    CLIENT_CONFIG_RULE,
  );
  assert.equal(
    rule(WINDOWS, { command: "type .thoth\\keys\\x", cwd: "C:\\Users\\u" }),
    OWN_FILES_RULE,
  );
  assert.equal(rule(MAC, { command: "cat .THOTH/keys/x", cwd: "/Users/u" }), OWN_FILES_RULE);
  // A word with the name inside another (`x.thoth`) is another folder, even resolved there.
  assert.equal(
    rule(LINUX, { command: "cat x.thoth/keys", cwd: "/home/u" }, "shell"),
    "policy.default",
  );
  // More distinct working folders than a call needs: each word would be resolved in each.
  const many = Object.fromEntries(
    Array.from({ length: MAX_WORKING_FOLDERS + 1 }, (_, i) => [`o${i}`, { cwd: `/srv/${i}` }]),
  );
  assert.equal(rule(LINUX, { ...many, command: "cat .thoth/keys/x" }, "shell"), OWN_FILES_RULE);
  const few = Object.fromEntries(
    Array.from({ length: MAX_WORKING_FOLDERS }, (_, i) => [`o${i}`, { cwd: `/srv/${i % 2}` }]),
  );
  assert.equal(rule(LINUX, { ...few, command: "cat .thoth/keys/x" }, "shell"), "policy.default");
  // A working folder elsewhere: the same relative path is another folder's.
  for (
    const args of [
      { command: ["cat", ".thoth/keys/hmac.key"], directory: "/srv/app" },
      { command: "rm .thoth/state/progressive.json", cwd: "/tmp" },
      { command: "cat ../.thoth/keys/hmac.key", cwd: "/home/u/x/y" },
      { command: "cat .thoth/keys/x", folder: "/home/u" },
      { command: "cat .thoth/keys/x" },
    ]
  ) {
    assert.equal(rule(LINUX, args, "shell"), "policy.default", JSON.stringify(args));
  }
});

Deno.test("bash's $'…' and $\"…\" quoting is read as bash reads the word", () => {
  for (
    const command of [
      "cat ~/$'.thoth'/keys/hmac.key",
      "cat ~/.th$'o'th/keys/hmac.key",
      'cat ~/$".thoth"/keys/hmac.key',
      "cat ~/.th$'\\x6f'th/keys/hmac.key",
      "cat ~/.th$'\\157'th/keys/hmac.key",
      "cat ~/.th$'\\u006f'th/keys/hmac.key",
      'cat "$HOME"/$\'.th\'"oth"/keys/x',
      "cat /home/u/$'.thoth'/keys/x",
    ]
  ) {
    assert.equal(rule(LINUX, { command }, "shell"), OWN_FILES_RULE, command);
  }
  assert.equal(
    rule(LINUX, { command: "cat ~/.con$'f'ig/Claude/claude_desktop_config.json" }, "shell"),
    CLIENT_CONFIG_RULE,
  );
  // Another name stays another name.
  for (
    const command of [
      "cat ~/.th$'\\x6e'th/keys/x",
      "echo $'thoth keeps .thoth'",
      "cat ~/$'.thoth2'/x",
    ]
  ) {
    assert.equal(rule(LINUX, { command }, "shell"), "policy.default", command);
  }
});
