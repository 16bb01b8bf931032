import assert from "node:assert/strict";
import { hiddenToolName } from "../../src/proxy/hidden_tool_name.ts";
import { KeyDigests } from "../../src/audit/key_digests.ts";
import { shownName } from "../../src/approval/shown_name.ts";

const log = new KeyDigests(new Uint8Array(32).fill(3));
const TOKEN = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const hidden = `#k:${log.redactSync(TOKEN).digest.slice(0, 8)}(40)`;
const unlisted = (tool: string) =>
  `tool ${shownName(tool)} is in no tools/list thoth has seen; it has no annotations`;

Deno.test("hiddenToolName() hides an unlisted tool name the detectors flag, in the name and the reasons", () => {
  const got = hiddenToolName({ tool: TOKEN, listed: false }, [
    unlisted(TOKEN),
    `rule "x": the call names ${TOKEN}`,
    "no rule matched; the policy default is allow",
  ], log);
  assert.deepEqual(got, {
    tool: hidden,
    reasons: [
      `tool "${hidden}" is in no tools/list thoth has seen; it has no annotations`,
      `rule "x": the call names ${hidden}`,
      "no rule matched; the policy default is allow",
    ],
  });
  // Without a log, the length alone.
  assert.equal(hiddenToolName({ tool: TOKEN, listed: false }, [], undefined)?.tool, "#k:(40)");
});

Deno.test("hiddenToolName() hides a name shown escaped or cut in the reasons too", () => {
  // Not a plain MCP name: the reasons show it escaped, and cut past 128 characters.
  const odd = `${TOKEN}\u0456${"x".repeat(200)}`;
  const got = hiddenToolName({ tool: odd, listed: false }, [unlisted(odd)], log);
  assert.ok(got !== undefined);
  assert.match(got.tool, /^#k:[0-9a-f]{8}\(241\)$/);
  assert.equal(
    got.reasons[0],
    `tool "${got.tool}" is in no tools/list thoth has seen; it has no annotations`,
  );
});

Deno.test("hiddenToolName() leaves a listed name, and an unlisted one no detector flags", () => {
  assert.equal(hiddenToolName({ tool: TOKEN, listed: true }, [unlisted(TOKEN)], log), undefined);
  assert.equal(hiddenToolName({ tool: "write_file", listed: false }, [], log), undefined);
});
