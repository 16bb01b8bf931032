import assert from "node:assert/strict";
import { sandboxPermissions, sessionFolders } from "../../src/proxy/sandbox_permissions.ts";
import { resolveUpstream } from "../../src/proxy/start_sandboxed_proxy.ts";
import { tempDir } from "../e2e/_harness.ts";

Deno.test("sandboxPermissions() grants the upstream and the session's folders, nothing else", () => {
  assert.deepEqual(
    sandboxPermissions({
      upstream: "/usr/bin/node",
      folders: ["/home/ana/.thoth/audit", "/home/ana/.thoth/approvals"],
      readOnly: [],
    }),
    {
      read: ["/home/ana/.thoth/audit", "/home/ana/.thoth/approvals"],
      write: ["/home/ana/.thoth/audit", "/home/ana/.thoth/approvals"],
      run: ["/usr/bin/node"],
      net: false,
      env: false,
      sys: false,
      ffi: false,
      import: false,
    },
  );
});

Deno.test("sandboxPermissions() denies run, read and write entirely when there is nothing to grant", () => {
  const permissions = sandboxPermissions({ upstream: undefined, folders: [], readOnly: [] });
  assert.equal(permissions.run, false);
  assert.equal(permissions.read, false);
  assert.equal(permissions.write, false);
  assert.equal(permissions.net, false);
});

Deno.test("sessionFolders() names the audit folder, the queue when the mode can ask, the counters in progressive mode", () => {
  const home = "/home/ana/.thoth/";
  assert.deepEqual(sessionFolders(home, { kind: "allow-all" }), []);
  assert.deepEqual(sessionFolders(home, { kind: "local", mode: "observe" }), [
    "/home/ana/.thoth/audit",
  ]);
  assert.deepEqual(sessionFolders(home, { kind: "local", mode: "block" }), [
    "/home/ana/.thoth/audit",
    "/home/ana/.thoth/approvals",
  ]);
  assert.deepEqual(sessionFolders(home, { kind: "local", mode: "progressive" }), [
    "/home/ana/.thoth/audit",
    "/home/ana/.thoth/approvals",
    "/home/ana/.thoth/state",
  ]);
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

Deno.test("sandboxPermissions() grants running any program only for a server with a loader variable", () => {
  const needs = { upstream: "/usr/bin/node", folders: [], readOnly: [] };
  assert.equal(sandboxPermissions({ ...needs, anyProgram: true }).run, true);
  assert.deepEqual(sandboxPermissions({ ...needs, anyProgram: false }).run, ["/usr/bin/node"]);
  // Nothing to run: nothing granted, whatever the environment.
  assert.equal(
    sandboxPermissions({ upstream: undefined, folders: [], readOnly: [], anyProgram: true }).run,
    false,
  );
});
