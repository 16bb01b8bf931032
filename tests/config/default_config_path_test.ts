import assert from "node:assert/strict";
import { defaultConfigPath } from "../../src/config/default_config_path.ts";
import { resolveConfigPath } from "../../src/config/resolve_config_path.ts";
import { isAppError } from "../../src/errors.ts";

const mac = { os: "darwin", env: { HOME: "/Users/ana" } };
const linux = { os: "linux", env: { HOME: "/home/ana" } };
const windows = {
  os: "windows",
  env: { USERPROFILE: "C:\\Users\\ana", APPDATA: "C:\\Users\\ana\\AppData\\Roaming" },
};

Deno.test("defaultConfigPath() knows Claude Desktop on macOS, Windows and Linux", () => {
  assert.equal(
    defaultConfigPath("claude-desktop", mac),
    "/Users/ana/Library/Application Support/Claude/claude_desktop_config.json",
  );
  assert.equal(
    defaultConfigPath("claude-desktop", windows),
    "C:\\Users\\ana\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
  );
  assert.equal(
    defaultConfigPath("claude-desktop", linux),
    "/home/ana/.config/Claude/claude_desktop_config.json",
  );
  assert.equal(
    defaultConfigPath("claude-desktop", {
      os: "linux",
      env: { HOME: "/h", XDG_CONFIG_HOME: "/x/" },
    }),
    "/x/Claude/claude_desktop_config.json",
  );
});

Deno.test("defaultConfigPath() knows VS Code, Cursor, Windsurf and Claude Code", () => {
  assert.equal(
    defaultConfigPath("vscode", mac),
    "/Users/ana/Library/Application Support/Code/User/mcp.json",
  );
  assert.equal(
    defaultConfigPath("vscode", windows),
    "C:\\Users\\ana\\AppData\\Roaming\\Code\\User\\mcp.json",
  );
  assert.equal(defaultConfigPath("vscode", linux), "/home/ana/.config/Code/User/mcp.json");
  assert.equal(defaultConfigPath("cursor", windows), "C:\\Users\\ana\\.cursor\\mcp.json");
  assert.equal(defaultConfigPath("windsurf", linux), "/home/ana/.codeium/windsurf/mcp_config.json");
  assert.equal(defaultConfigPath("claude-code", mac), "/Users/ana/.claude.json");
});

Deno.test("defaultConfigPath() falls back to %USERPROFILE%\\AppData\\Roaming without APPDATA", () => {
  assert.equal(
    defaultConfigPath("claude-desktop", { os: "windows", env: { USERPROFILE: "C:\\Users\\bo" } }),
    "C:\\Users\\bo\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
  );
});

Deno.test("defaultConfigPath() fails with a hint when HOME is not set", () => {
  assert.throws(
    () => defaultConfigPath("cursor", { os: "linux", env: {} }),
    (error) => isAppError(error, "config.no_home") && error.hints.length > 0,
  );
});

Deno.test("resolveConfigPath() prefers INPUT, relative to the working directory", () => {
  assert.equal(
    resolveConfigPath({ input: "./.mcp.json", cwd: "/w/app/", ...linux }),
    "/w/app/.mcp.json",
  );
  assert.equal(resolveConfigPath({ input: "/etc/c.json", cwd: "/w", ...linux }), "/etc/c.json");
  assert.equal(
    resolveConfigPath({ cwd: "/w", ...linux }),
    "/home/ana/.config/Claude/claude_desktop_config.json",
  );
});
