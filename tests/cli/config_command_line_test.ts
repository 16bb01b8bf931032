/** `configCommandLine()` names a command for the config the user chose, as that command takes it. */
import assert from "node:assert/strict";
import { configCommandLine } from "../../src/cli/config_command_line.ts";

const STATUS = { name: "status", takes: "--config FILE" } as const;
const WRAP = { name: "wrap-config", takes: "INPUT" } as const;

Deno.test("configCommandLine() keeps the client and the file, each in the command's form", () => {
  assert.equal(configCommandLine(STATUS, {}), "thoth status");
  assert.equal(configCommandLine(STATUS, { client: "cursor" }), "thoth status --client cursor");
  assert.equal(
    configCommandLine(STATUS, { client: "vscode", file: "/p/.vscode/mcp.json" }),
    "thoth status --client vscode --config /p/.vscode/mcp.json",
  );
  assert.equal(
    configCommandLine(WRAP, { client: "vscode", file: "/p/.vscode/mcp.json" }),
    "thoth wrap-config --client vscode /p/.vscode/mcp.json",
  );
});

Deno.test("configCommandLine() quotes a file a shell would split or expand", () => {
  assert.equal(
    configCommandLine(WRAP, { file: "/home/ana/my app/it's $HOME.json" }),
    `thoth wrap-config '/home/ana/my app/it'\\''s $HOME.json'`,
  );
});
