// thoth's own files and the clients' configs against the spellings a server
// can reach them by beyond a plain path: a folder that holds one (moved away
// and back), a shell word's quotes, escapes and repeated separators, the
// variables a shell names the per-user config folder by, and the other files
// the clients read servers or commands from.
import assert from "node:assert/strict";
import { type CompileOptions, compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { type Env, homeOf, ownFilesSession, POLICY } from "./_own_files_policies.ts";
import { toolCall } from "./_call.ts";

/** The shared own-files session, with the working folder `~/work`. */
function session(os: string, env: Env, options: Partial<CompileOptions> = {}) {
  const { home, sep } = homeOf(os, env);
  return ownFilesSession(os, env, { bases: [`${home}${sep}work`], ...options });
}

const LINUX = session("linux", { HOME: "/home/ana" });
const MAC = session("darwin", { HOME: "/Users/ana" });
const WINDOWS = session("windows", { USERPROFILE: "C:\\Users\\ana" });

function rule(policy: ReturnType<typeof session>, args: Record<string, unknown>): string {
  const e = evaluate(policy, toolCall("fs", "move_file", args), { intent: undefined });
  return e.ruleIds.join(",");
}

function blocks(
  policy: ReturnType<typeof session>,
  want: string,
  values: readonly string[],
  key = "path",
) {
  for (const value of values) assert.equal(rule(policy, { [key]: value }), want, value);
}

function passes(policy: ReturnType<typeof session>, values: readonly string[], key = "path") {
  for (const value of values) {
    assert.equal(rule(policy, { [key]: value }), "policy.default", value);
  }
}

Deno.test("own files: a folder that holds a client's config cannot be moved away and back", () => {
  // move_file ~/.cursor → ~/c2, edit ~/c2/mcp.json, move it back: the first call is refused.
  assert.equal(
    rule(LINUX, { source: "/home/ana/.cursor", destination: "/home/ana/c2" }),
    CLIENT_CONFIG_RULE,
  );
  assert.equal(rule(LINUX, { source: "~/c2", destination: "~/.cursor" }), CLIENT_CONFIG_RULE);
  blocks(
    LINUX,
    CLIENT_CONFIG_RULE,
    [
      "/home/ana/.cursor/",
      "~/.config",
      "/home/ana/.config/Code",
      "/home/ana/.config/Code/User",
      "/home/ana/.config/Claude",
      "/home/ana/.codeium",
      "/home/ana/.codeium/windsurf",
      "~/.claude",
      "file:///home/ana/.config/Claude",
      "/home/ana/work/../.cursor",
      ".cursor/", // relative to a base: /home/ana/work/.cursor is not, but see below
    ].filter((p) => p !== ".cursor/"),
  );
  blocks(MAC, CLIENT_CONFIG_RULE, [
    "/Users/ana/Library",
    "~/Library/Application Support",
    "/users/ana/library/application support/claude",
  ]);
  blocks(WINDOWS, CLIENT_CONFIG_RULE, [
    "C:\\Users\\ana\\AppData\\Roaming\\Claude",
    "c:/users/ana/appdata/roaming/code/user",
    "C:\\Users\\ana\\.cursor\\",
  ]);
  // The folder itself only: what else it holds, its neighbours, the home folder and above pass.
  passes(LINUX, [
    "/home/ana",
    "~",
    "/home",
    "/",
    "/home/ana/.config/other/x.json",
    "/home/ana/.cursor-old",
    "/home/ana/.cursor/extensions/x.json",
    "/home/ana/c2",
    "/srv/app/.cursorrules",
  ]);
  passes(WINDOWS, ["C:\\Users\\ana", "C:\\Users", "C:\\Users\\ana\\AppData\\Local"]);
});

Deno.test("own files: the profile's folders below the home folder are protected the same way", () => {
  const policy = compilePolicy(POLICY, {
    home: "/home/ana",
    os: "linux",
    ownFolders: ["/home/ana/.config/thoth"],
  });
  blocks(policy, OWN_FILES_RULE, ["/home/ana/.config", "~/.config/", "/home/ana/.config/thoth"]);
  passes(policy, ["/home/ana", "/home/ana/.config/git/config"]);
  // No folder of the profile's own is protected above the home folder.
  const outside = compilePolicy(POLICY, {
    home: "/home/ana",
    os: "linux",
    ownFolders: ["/srv/thoth/ana"],
  });
  passes(outside, ["/srv/thoth", "/srv"]);
});

Deno.test("own files: a shell word's quotes, escapes and extra separators do not hide the profile", () => {
  blocks(LINUX, OWN_FILES_RULE, [
    'cat "$HOME"/.thoth/keys/hmac.key',
    "cat ~/'.thoth'/keys/hmac.key",
    'cat ~/".thoth"/keys',
    "cat ~/.t\\hoth/keys",
    "cat $HOME/.th''oth/keys",
    "cat ~/./.thoth/keys",
    "cat ~//.thoth/keys",
    "cat $HOME//.thoth/keys",
    "cat /home/ana//.thoth/keys",
    "cat /home/ana/./.thoth/keys",
    "cat /home//ana/.thoth/keys",
    "cat ~ana/.thoth/keys/hmac.key",
    "cat ${HOME:-/home/ana}/.thoth/keys",
    'echo {} > "${HOME}"/.thoth/state/progressive.json',
  ], "command");
  blocks(MAC, CLIENT_CONFIG_RULE, [
    "cat ~/Library/Application\\ Support/Claude/claude_desktop_config.json",
    "cat ~/Library/'Application Support'/Claude/claude_desktop_config.json",
    'cat ~/"Library/Application Support/Claude/claude_desktop_config.json"',
  ], "command");
  // Another file, or the name in prose, with quotes or not.
  passes(LINUX, [
    "echo 'thoth keeps its files in .thoth'",
    "cat ~/'.thothrc'",
    "cat $HOME/.th''oth-old/x",
    'say "hello" to ~/notes',
    "cat ~bob/.thoth/keys",
  ], "command");
});

Deno.test("own files: APPDATA, HOMEDRIVE/HOMEPATH and XDG_CONFIG_HOME name the configs too", () => {
  blocks(WINDOWS, CLIENT_CONFIG_RULE, [
    "type %APPDATA%\\Claude\\claude_desktop_config.json",
    "Get-Content $env:APPDATA\\Code\\User\\mcp.json",
    "gc ${env:APPDATA}/Claude/claude_desktop_config.json",
  ], "command");
  blocks(
    WINDOWS,
    OWN_FILES_RULE,
    ["type %HOMEDRIVE%%HOMEPATH%\\.thoth\\keys\\hmac.key"],
    "command",
  );
  blocks(LINUX, CLIENT_CONFIG_RULE, [
    "cat ${XDG_CONFIG_HOME:-~/.config}/Code/User/mcp.json",
    "cat $XDG_CONFIG_HOME/Code/User/mcp.json",
    'cat "${XDG_CONFIG_HOME}"/Claude/claude_desktop_config.json',
  ], "command");
  // Where the variables point elsewhere, the configs are there and named by them.
  const windowsEnv = { USERPROFILE: "C:\\Users\\ana", APPDATA: "D:\\Roaming" };
  const movedWindows = session("windows", windowsEnv, {
    variableFolders: { appData: "D:\\Roaming" },
  });
  blocks(movedWindows, CLIENT_CONFIG_RULE, [
    "type %APPDATA%\\Claude\\claude_desktop_config.json",
  ], "command");
  const linuxEnv = { HOME: "/home/ana", XDG_CONFIG_HOME: "/data/cfg" };
  const movedLinux = session("linux", linuxEnv, {
    variableFolders: { xdgConfigHome: "/data/cfg" },
  });
  blocks(movedLinux, CLIENT_CONFIG_RULE, [
    "cat $XDG_CONFIG_HOME/Code/User/mcp.json",
    "cat /data/cfg/Claude/claude_desktop_config.json",
  ], "command");
  passes(LINUX, ["cat $XDG_CONFIG_HOME/git/config", "echo %APPDATA%"], "command");
});

Deno.test("own files: Claude Code's settings, VS Code Insiders, VSCodium and profiles are protected", () => {
  blocks(LINUX, CLIENT_CONFIG_RULE, [
    "~/.claude/settings.json",
    "/home/ana/.claude/settings.local.json",
    "/home/ana/.config/Code/User/profiles/-4a1b2c/mcp.json",
    "/home/ana/.config/Code/User/profiles",
    "~/.config/Code - Insiders/User/mcp.json",
    "~/.config/Code - Insiders/User/settings.json",
    "/home/ana/.config/VSCodium/User/mcp.json",
    "/home/ana/.config/VSCodium/User/settings.json",
  ]);
  blocks(LINUX, CLIENT_CONFIG_RULE, [
    "sed -i s/thoth// ~/.config/Code/User/profiles/x/mcp.json",
    "cat ~/.claude/settings.json",
  ], "command");
  blocks(WINDOWS, CLIENT_CONFIG_RULE, [
    "C:\\Users\\ana\\.claude\\settings.json",
    "%APPDATA%\\VSCodium\\User\\settings.json",
  ], "command");
  passes(LINUX, ["/home/ana/.claude/projects/x.jsonl", "/srv/app/.claude/commands/x.md"]);
});

Deno.test("own files: the block says that a text naming a protected path counts too", () => {
  for (
    const [args, want] of [
      [{ content: "Add the server to ~/.cursor/mcp.json" }, CLIENT_CONFIG_RULE],
      [{ content: "thoth keeps its keys in ~/.thoth/keys" }, OWN_FILES_RULE],
    ] as const
  ) {
    const e = evaluate(
      LINUX,
      toolCall("fs", "write_file", { path: "/home/ana/work/README.md", ...args }),
      {
        intent: undefined,
      },
    );
    assert.deepEqual(e.ruleIds, [want]);
    assert.match(e.reasons[0]!, /counts? too: write such a file yourself/);
  }
});
