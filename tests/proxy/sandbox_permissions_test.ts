import assert from "node:assert/strict";
import { sandboxPermissions } from "../../src/proxy/sandbox_permissions.ts";
import { resolveUpstream } from "../../src/proxy/start_sandboxed_proxy.ts";
import { tempDir } from "../e2e/_harness.ts";

Deno.test("sandboxPermissions() grants the upstream, THOTH_HOME and the hosts, nothing else", () => {
  assert.deepEqual(
    sandboxPermissions({
      upstream: "/usr/bin/node",
      thothHome: "/home/ana/.thoth",
      readOnly: [],
      netHosts: ["enforce.acme.example.com", "grid.acme.example.com"],
    }),
    {
      read: ["/home/ana/.thoth"],
      write: ["/home/ana/.thoth"],
      run: ["/usr/bin/node"],
      net: ["enforce.acme.example.com", "grid.acme.example.com"],
      env: false,
      sys: false,
      ffi: false,
      import: false,
    },
  );
});

Deno.test("sandboxPermissions() denies run and net entirely when there is nothing to grant", () => {
  const permissions = sandboxPermissions({
    upstream: undefined,
    thothHome: "/t",
    readOnly: [],
    netHosts: [],
  });
  assert.equal(permissions.run, false);
  assert.equal(permissions.net, false);
});

Deno.test("resolveUpstream() finds commands on PATH and explains the rest", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/tool`, "#!/bin/sh\n", { mode: 0o755 });
  await Deno.writeTextFile(`${dir.path}/plain`, "#!/bin/sh\n", { mode: 0o644 });
  assert.deepEqual(await resolveUpstream("tool", "/", dir.path, "linux"), {
    path: `${dir.path}/tool`,
  });
  assert.deepEqual(await resolveUpstream("./tool", dir.path, "", "linux"), {
    path: `${dir.path}/./tool`,
  });
  const missing = await resolveUpstream("nope", "/", dir.path, "linux");
  assert.ok("error" in missing && missing.error.code === "upstream.not_found");
  const plain = await resolveUpstream(`${dir.path}/plain`, "/", "", "linux");
  assert.ok("error" in plain && plain.error.code === "upstream.not_executable");
});
