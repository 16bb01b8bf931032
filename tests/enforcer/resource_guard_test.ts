import assert from "node:assert/strict";
import { resourceGuard } from "../../src/enforcer/resource_guard.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";

const policy = compilePolicy(
  parsePolicy(JSON.stringify({ version: 1, default: "allow", rules: [] }), "t.jsonc"),
  {
    home: "/home/ana",
    os: "linux",
    ownFolders: ["/home/ana/.thoth"],
    clientConfigs: ["/home/ana/.claude.json"],
  },
);
const guard = resourceGuard(policy);

Deno.test("resourceGuard() refuses a resource URI that reaches thoth's profile, however it is spelled", () => {
  for (
    const params of [
      { uri: "file:///home/ana/.thoth/keys/audit-hmac.key" },
      { uri: "file:///home/ana/%2ethoth/keys/audit-hmac.key" },
      { uri: "file://localhost/home/ana/.thoth/state/progressive.json" },
      { uri: "~/.thoth/approvals/x.json" },
      // A key a lenient server reads as `uri`.
      { uri: "file:///home/ana/notes.md", URI: "file:///home/ana/.thoth/keys/audit-hmac.key" },
    ]
  ) {
    const refusal = guard(params);
    assert.equal(refusal?.ruleId, "thoth.own_files", JSON.stringify(params));
    assert.match(refusal.reaches, /thoth's own profile folder "\/home\/ana\/\.thoth"/);
  }
});

Deno.test("resourceGuard() refuses a client's config, and lets every other resource through", () => {
  assert.equal(guard({ uri: "file:///home/ana/.claude.json" })?.ruleId, "thoth.client_config");
  for (
    const params of [
      { uri: "file:///home/ana/notes.md" },
      { uri: "demo://resource/static/document/architecture.md" },
      { uri: "file:///home/ana/.thothrc" },
      {},
      undefined,
      null,
    ]
  ) {
    assert.equal(guard(params), undefined, JSON.stringify(params));
  }
});
