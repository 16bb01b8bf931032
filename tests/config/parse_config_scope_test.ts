/**
 * A key given twice is refused only where it decides which servers run;
 * elsewhere (VS Code accepts `"editor.fontSize"` twice in settings.json, the
 * last winning) the file is read, and wrapped with its bytes kept. Text
 * nested too deeply for the parser is a config error naming the file, never
 * an internal error.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../src/config/parse_config.ts";
import { parseIntentMap } from "../../src/config/parse_intent_map.ts";
import { isAppError } from "../../src/errors.ts";
import { inTempDir, THOTH, thoth } from "../cli/_config_cli.ts";

const refused = (text: string, key: string) =>
  assert.throws(
    () => parseConfig(text, "c.json"),
    (error) =>
      isAppError(error, "config.invalid") && error.message.includes(`the key "${key}" twice`),
  );

Deno.test("parseConfig() refuses a key twice only where it decides which servers run", () => {
  // Elsewhere it is read: VS Code takes the last one, and no server depends on it.
  parseConfig('{"editor.fontSize": 14, "editor.fontSize": 16, "mcp": {"servers": {}}}', "s.json");
  parseConfig('{"projects": {"/a": {"history": [], "history": []}}}', "c.json");
  parseConfig('{"servers": {}, "inputs": [{"id": "a", "id": "b"}]}', "mcp.json");
  refused('{"mcp": {"servers": {}}, "mcp": {"servers": {}}}', "mcp");
  refused('{"mcp.servers": {"a": {"command": "x", "command": "y"}}}', "command");
  refused('{"servers": {"a": {"command": "x", "env": {"K": "1", "K": "2"}}}}', "K");
  refused('{"mcpServers": {"a": {}, "a": {}}}', "a");
  refused('{"projects": {"/a": {}, "/a": {"mcpServers": {}}}}', "/a");
  refused('{"projects": {"/a": {"mcpServers": {}, "mcpServers": {}}}}', "mcpServers");
  // An intent map's every key names a server: refused anywhere, as before.
  assert.throws(
    () => parseIntentMap('{"fs": "files", "fs": "mail"}', "intent_map.json"),
    (error) => isAppError(error, "intent_map.invalid") && /twice/.test(error.message),
  );
});

Deno.test("thoth wrap-config --client vscode wraps both files beside a duplicated unrelated setting, keeping it", () =>
  inTempDir(async (dir) => {
    const user = `${dir}/home/.config/Code/User`;
    await Deno.mkdir(user, { recursive: true });
    await Deno.writeTextFile(`${user}/mcp.json`, '{"servers": {"a": {"command": "node"}}}\n');
    const settings = `{
  "editor.fontSize": 14,
  "editor.fontSize": 16,
  "mcp": { "servers": { "s": { "command": "node", "args": ["x.js"] } } }
}
`;
    await Deno.writeTextFile(`${user}/settings.json`, settings);
    const wrap = await thoth(["wrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(wrap.code, 0, wrap.out + wrap.err);
    const written = await Deno.readTextFile(`${user}/settings.json`);
    assert.ok(
      written.startsWith('{\n  "editor.fontSize": 14,\n  "editor.fontSize": 16,\n'),
      written,
    );
    assert.equal(JSON.parse(written).mcp.servers.s.command, THOTH);
    const status = await thoth(["status", "--client", "vscode", "--check"], { cwd: dir });
    assert.equal(status.code, 0, status.out + status.err);
  }));

Deno.test("parseConfig() refuses text nested too deeply as a config error naming the file", () => {
  // Past the limit (512 levels), and far past it.
  for (const depth of [513, 6000, 100_000]) {
    const text = `{"mcpServers": {}, "junk": ${"[".repeat(depth)}${"]".repeat(depth)}}`;
    assert.throws(
      () => parseConfig(text, "/home/ana/.cursor/mcp.json", true),
      (error) =>
        isAppError(error, "config.invalid") &&
        error.message.includes('"/home/ana/.cursor/mcp.json"') &&
        /nested too deeply/.test(error.message),
    );
  }
  // Brackets inside strings and comments do not count.
  const quoted = `{"mcpServers": {}, "s": "${"[".repeat(600)}" /* ${"{".repeat(600)} */}`;
  assert.equal(parseConfig(quoted, "c.json").type, "object");
});

Deno.test("thoth status --config on a deeply nested file says so, naming the file (no internal error)", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/deep.json`;
    await Deno.writeTextFile(
      path,
      `{"mcpServers": {}, "junk": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`,
    );
    const run = await thoth(["status", "--config", path], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(
      run.err,
      new RegExp(`error: cannot read config "${path}": it is nested too deeply`),
    );
    assert.doesNotMatch(run.err, /internal error/);
  }));
