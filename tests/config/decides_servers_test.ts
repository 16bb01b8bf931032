/** The paths of a client config where a key given twice decides which servers run. */
import assert from "node:assert/strict";
import { decidesServers } from "../../src/config/parse_config.ts";

Deno.test("decidesServers() names the server paths of every client", () => {
  for (
    const path of [["mcpServers"], ["servers", "a"], ["mcp"], ["mcp.servers", "a"], ["projects"]]
  ) {
    assert.equal(decidesServers(path), true, path.join("."));
  }
  for (const path of [["editor.fontSize"], ["inputs", 0, "id"], ["projects", "/a", "history"]]) {
    assert.equal(decidesServers(path), false, path.join("."));
  }
});
