import assert from "node:assert/strict";
import { protectedClientConfigs } from "../../src/config/protected_client_configs.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { compilePredicate, type PathOptions } from "../../src/policy/compile_predicate.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { explainCall } from "../../src/policy/explain_call.ts";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { compileProjectConfigs } from "../../src/policy/project_configs.ts";
import { toolCall } from "./_call.ts";
import { threadCpu } from "../_thread_cpu.ts";

const LINUX: PathOptions = { os: "linux", home: "/home/ana", bases: ["/srv/app"] };
const DARWIN: PathOptions = { os: "darwin", home: "/Users/ana", bases: ["/Users/ana/app"] };
const WINDOWS: PathOptions = { os: "windows", home: "C:\\Users\\ana", bases: ["C:\\src\\app"] };

function reaches(options: PathOptions, values: readonly string[], expected: boolean): void {
  const configs = compileProjectConfigs(options);
  for (const value of values) {
    assert.equal(configs.reaches({ path: value }), expected, `${options.os}: ${value}`);
    assert.equal(configs.reaches({ [value]: 1 }), expected, `${options.os} key: ${value}`);
  }
}

Deno.test("project configs: each client's, in any folder, however the path is written", () => {
  reaches(LINUX, [
    ".mcp.json",
    "./.mcp.json",
    "/srv/app/.mcp.json",
    "/home/ana/src/web/.mcp.json",
    "sub/dir/.cursor/mcp.json",
    ".vscode/mcp.json",
    "/srv/app/.claude/settings.json",
    ".claude/settings.local.json",
    "~/src/x/.vscode/mcp.json",
    "/srv/app/%2emcp.json",
    "/srv/app/.vscode/%6dcp.json",
    "file:///srv/app/.mcp.json",
    "src/../.mcp.json",
    "//srv//app/./.cursor/mcp.json",
  ], true);
  reaches(DARWIN, [".MCP.json", "/Users/ana/app/.VSCode/MCP.JSON", ".Claude/Settings.json"], true);
  reaches(WINDOWS, [
    ".mcp.json",
    "C:\\src\\app\\.vscode\\mcp.json",
    ".MCP.JSON",
    ".mcp.json.",
    ".mcp.json::$DATA",
    "D:/other/.cursor/mcp.json",
    ".claude\\settings.local.json",
  ], true);
});

Deno.test("project configs: only the configs, not their folders or other files", () => {
  // A folder's name alone is common in exclude lists and search patterns: it is not blocked.
  reaches(LINUX, [
    ".vscode",
    ".vscode/",
    "/srv/app/.cursor",
    "/srv/app/.claude/",
    ".vscode/launch.json",
    ".vscode/settings.json",
    ".vscode/tasks.json",
    ".claude/commands/review.md",
    ".cursorrules",
    "mcp.json",
    "docs/settings.json",
    "a.mcp.json",
    ".mcp.json.bak",
    ".mcp.json.d/x",
    "package.json",
    "src/f1.json",
  ], false);
});

Deno.test("project configs: without case on every system, also past escapes and folding letters", () => {
  // A folder may ignore case on Linux too (a Windows drive under WSL, a casefold folder).
  reaches(
    LINUX,
    [
      ".MCP.json",
      "/srv/app/.VSCODE/mcp.json",
      ".Claude/SETTINGS.json",
      ".%4Dcp.json",
      "/srv/app/.vscode/%4D%43%50.json",
      ".mcp.j\u017fon",
      ".claude/sett\u0131ngs.json",
      ".mcp.j%C5%BFon",
    ].map((v) => JSON.parse(`"${v}"`)),
    true,
  );
});

Deno.test("project configs: a Windows short name may stand for a config or its folder", () => {
  reaches(WINDOWS, [
    "C:\\src\\app\\VSCODE~1\\mcp.json",
    "MCPJSO~1.JSO",
    ".claude\\SETTIN~1.JSO",
    "CLAUDE~1\\settings.local.json",
  ], true);
  reaches(WINDOWS, ["C:\\PROGRA~1\\app\\x.txt", "backup~1.txt"], false);
});

Deno.test("project configs: a text that mentions one, or a shell command, is no path", () => {
  const configs = compileProjectConfigs(LINUX);
  for (
    const text of [
      "Add this server to your .mcp.json to use it.",
      "see .vscode/mcp.json and .cursor/mcp.json",
      "echo '{}' > .mcp.json",
      "cat .claude/settings.json",
    ]
  ) {
    assert.equal(configs.reaches({ content: text }), false, text);
  }
});

Deno.test("project configs: JSON a string holds, and a server folder inside a config folder", () => {
  const configs = compileProjectConfigs(LINUX);
  assert.equal(configs.reaches({ edits: '[{"path": "\\u002emcp.json"}]' }), true);
  assert.equal(configs.reaches({ edits: '[{"path": "notes.md"}]' }), false);
  // A config file's content naming a folder in an exclude list is no path of a config.
  const tsconfig = JSON.stringify({ exclude: ["node_modules", ".vscode", ".claude/"] });
  assert.equal(configs.reaches({ path: "tsconfig.json", content: tsconfig }), false);
  assert.equal(configs.reaches({ path: ".", excludePatterns: [".vscode", "**/.cursor"] }), false);
  const options: PathOptions = { os: "linux", home: "/home/ana", bases: ["/srv/app"] };
  const inside = compileProjectConfigs(options);
  assert.equal(inside.reaches({ path: "mcp.json" }), false);
  // The client's roots arrive: the server now works inside a project's .vscode folder.
  options.bases = ["/srv/app/.vscode"];
  assert.equal(inside.reaches({ path: "mcp.json" }), true);
  assert.equal(inside.reaches({ path: "../.mcp.json" }), true);
  assert.equal(inside.reaches({ path: "launch.json" }), false);
});

const HOME = "/home/ana";

function sessionPolicy(mode: "profile" | "none") {
  const text = JSON.stringify({
    version: 1,
    default: "allow",
    rules: [{ id: "allow-all", match: { tool: "*" }, decision: "allow" }],
  });
  return compilePolicy(
    parsePolicy(text, "p.jsonc"),
    mode === "none" ? {} : {
      home: HOME,
      os: "linux",
      bases: ["/srv/app"],
      ownFolders: [`${HOME}/.thoth`],
      clientConfigs: protectedClientConfigs({ os: "linux", env: { HOME } }),
    },
  );
}

Deno.test("project configs: blocked as a client config before the policy, and explained", () => {
  const policy = sessionPolicy("profile");
  const evaluation = evaluate(
    policy,
    toolCall("fs", "write_file", { path: ".mcp.json", content: "{}" }),
    {},
  );
  assert.equal(evaluation.decision, "block");
  assert.deepEqual(evaluation.ruleIds, [CLIENT_CONFIG_RULE]);
  assert.match(evaluation.reasons[0]!, /project config/);
  assert.match(evaluation.reasons[0]!, /write project configs yourself/i);
  // The profile's protection still comes first.
  const both = evaluate(
    policy,
    toolCall("fs", "move_file", { source: "~/.thoth/keys", destination: ".mcp.json" }),
    {},
  );
  assert.deepEqual(both.ruleIds, [OWN_FILES_RULE]);
  const explained = explainCall(
    policy,
    toolCall("fs", "write_file", { path: ".vscode/mcp.json" }),
    {
      intent: undefined,
      mode: "observe",
    },
  );
  assert.equal(explained.action.action, "block");
  // A policy compiled without the clients' configs (a library user's) has no such protection.
  const plain = evaluate(
    sessionPolicy("none"),
    toolCall("fs", "write_file", { path: ".mcp.json" }),
    {},
  );
  assert.equal(plain.decision, "allow");
});

/** `glob` with each letter a class of its cases and the letters that fold to it. */
function caseClasses(glob: string): string {
  let out = "";
  for (const c of glob) {
    const lower = c.toLowerCase();
    if (lower === c.toUpperCase()) out += c;
    else if (lower === "s") out += "[sS\u017f]";
    else if (lower === "i") out += "[iI\u0131]";
    else out += `[${lower}${c.toUpperCase()}]`;
  }
  return out;
}

Deno.test("project configs: the cheap gate never skips a string the full path reading blocks", () => {
  const files = [
    ".mcp.json",
    ".cursor/mcp.json",
    ".vscode/mcp.json",
    ".claude/settings.json",
    ".claude/settings.local.json",
  ];
  const prefixes = ["", "./", "../", "a/../", "a/b/../../", "C:", "c:", "C:a/", "\\", "//"];
  const more = ["~/", ".\\", "..\\", "C:..\\", "/proc/self/cwd/../", "file:", "file:///x/"];
  const escapes = ["%2e%2e/", "%252e%252e/", "...\\", ". .\\", "x/./", "mcp.json/../"];
  const names = [
    ".mcp.json",
    ".VSCODE\\mcp.json",
    ".CLAUDE/Settings.local.json",
    ".mcp.json.",
    ".mcp.json::$DATA",
    ".mcp.json/x/..",
    "x/../.mcp.json",
    "mcp.json",
    "settings.json",
    ".mcp.json?x=1",
    ".mcp.json ",
    ".mcp.jso%6e",
    "..",
    "x",
  ];
  let blocked = 0;
  for (const os of ["linux", "darwin", "windows"]) {
    const home = os === "windows" ? "C:\\Users\\ana" : "/home/ana";
    const folders = os === "windows"
      ? [["C:\\src\\app", "D:\\w"], ["C:\\p\\.claude\\x"]]
      : [["/srv/app"], ["/srv/.vscode"]];
    for (const bases of folders) {
      const options: PathOptions = { os, home, bases };
      const globs = files.map((f) => caseClasses(`**/${f}`));
      const full = compilePredicate("value", { glob: globs }, "some", options);
      const configs = compileProjectConfigs(options);
      for (const prefix of [...prefixes, ...more, ...escapes]) {
        for (const name of names) {
          const value = prefix + name;
          if (!full.test([value])) continue;
          blocked++;
          assert.equal(configs.reaches({ value }), true, `${os} ${bases[0]}: ${value}`);
        }
      }
    }
  }
  // The inputs are not all trivially blocked or all passed.
  assert.ok(blocked > 500, `${blocked}`);
});

Deno.test("project configs: a URL is read as a URL parser reads it, tabs and line breaks dropped", () => {
  for (const options of [LINUX, DARWIN, WINDOWS]) {
    reaches(options, [
      "file:///tmp/.mcp.js\non",
      "http://h/.mcp.js\non",
      " file:///tmp/.mcp.json?x",
      "\u0000file:///tmp/.mcp.json?",
      "fi\tle:///tmp/.mcp.json#x",
      "file:///tmp/.mcp.json/\t.",
    ], true);
  }
  // Prose with a colon and line breaks is no URL: still not read as a config.
  reaches(LINUX, ["Action items:\nadd the server to .mcp.json later"], false);
});

Deno.test("project configs: a Windows server folder given by a short name may be a config's", () => {
  const options: PathOptions = {
    os: "windows",
    home: "C:\\Users\\ana",
    bases: ["C:\\app\\VSCODE~1"],
  };
  reaches(options, ["mcp.json", "./mcp.json", "mcp.json "], true);
});

Deno.test("project configs: a megabyte of . segments is read in one pass", () => {
  const configs = compileProjectConfigs(LINUX);
  const windows = compileProjectConfigs(WINDOWS);
  const { cpuMs } = threadCpu(() => {
    for (const value of ["x" + "/.".repeat(1 << 19), "x/" + "./".repeat(1 << 19)]) {
      assert.equal(configs.reaches({ path: value }), false);
    }
    assert.equal(windows.reaches({ path: "x" + "\\.".repeat(1 << 19) }), false);
  });
  // Before, each `.` segment searched the string back to its start: about 85 s a megabyte.
  // Bounded is the CPU this thread spends, not the wall clock (which a busy machine stretches).
  assert.ok(cpuMs < 10_000, `took ${cpuMs.toFixed(0)} ms of CPU`);
});

Deno.test("project configs: a drive at the start of a URL's last segment is no stream (Windows)", () => {
  reaches(WINDOWS, [
    "file:///c:.mcp.json",
    "FILE:///C:MCPJSO~1.JSO",
    "file:///c:.mcp.json?x",
    "file://localhost/c:.mcp.json#x",
    "file:c:.mcp.json.",
  ], true);
});

Deno.test("project configs: a megabyte of Windows stream segments is read in one pass", () => {
  const windows = compileProjectConfigs(WINDOWS);
  const value = "\\" + "y".repeat(1 << 20) + "\\:".repeat(1 << 20);
  const { value: reached, cpuMs } = threadCpu(() => windows.reaches({ path: value }));
  assert.equal(reached, false);
  // Before, each segment searched the whole string for a `:` again: seconds a megabyte.
  // Bounded is the CPU this thread spends, not the wall clock (which a busy machine stretches).
  assert.ok(cpuMs < 10_000, `took ${cpuMs.toFixed(0)} ms of CPU`);
});
