import assert from "node:assert/strict";
import { notedToolName } from "../../src/enforcer/noted_tool_name.ts";

const TOKEN = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

Deno.test("notedToolName() shows a name as the other texts do, but an unlisted one the detectors flag by its length", () => {
  assert.equal(notedToolName({ tool: "write_file", listed: true }), '"write_file"');
  assert.equal(notedToolName({ tool: "write_file", listed: false }), '"write_file"');
  assert.equal(notedToolName({ tool: 'a"b', listed: false }), '"a\\"b"');
  // The server listed it: the name is the server's, shown as it is.
  assert.equal(notedToolName({ tool: TOKEN, listed: true }), `"${TOKEN}"`);
  assert.equal(
    notedToolName({ tool: TOKEN, listed: false }),
    "(name not shown: the secret, PII or PHI detectors flag it; 40 characters)",
  );
});

Deno.test("notedToolName() says a name only the PII or PHI detectors flag is not shown, naming them", () => {
  // A patient's SSN as the name: no secret detector flags it.
  assert.equal(
    notedToolName({ tool: "078-05-1121", listed: false }),
    "(name not shown: the secret, PII or PHI detectors flag it; 11 characters)",
  );
});
