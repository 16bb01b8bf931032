import assert from "node:assert/strict";
import { pathVariable } from "../../src/platform/path_variable.ts";
import { clientPathFolders, guiClientFolders } from "../../src/config/upstream_path_warning.ts";
import { resolveUpstream } from "../../src/proxy/start_sandboxed_proxy.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("pathVariable reads Windows' usual `Path` spelling", () => {
  assert.equal(
    pathVariable({ Path: "C:\\nodejs;C:\\Windows" }, "windows"),
    "C:\\nodejs;C:\\Windows",
  );
  assert.equal(pathVariable({ path: "C:\\tools" }, "windows"), "C:\\tools");
  assert.equal(pathVariable({ PATH: "C:\\a", Path: "C:\\b" }, "windows"), "C:\\a");
});

Deno.test("pathVariable on Linux and macOS reads PATH exactly, never `Path`", () => {
  assert.equal(pathVariable({ PATH: "/usr/bin" }, "linux"), "/usr/bin");
  assert.equal(pathVariable({ Path: "/attacker/bin" }, "linux"), "");
  assert.equal(pathVariable({ Path: "/attacker/bin" }, "darwin"), "");
  assert.equal(pathVariable({}, "windows"), "");
  assert.equal(pathVariable({ HOME: "/home/ana" }, "linux"), "");
});

Deno.test("client PATH folders on Windows come from `Path`", () => {
  const env = { Path: "C:\\nodejs;C:\\Windows\\system32" };
  assert.deepEqual(guiClientFolders("windows", env), ["C:\\nodejs", "C:\\Windows\\system32"]);
  assert.deepEqual(clientPathFolders("claude-code", "windows", env), [
    "C:\\nodejs",
    "C:\\Windows\\system32",
  ]);
});

Deno.test("the run path finds a bare command on the PATH pathVariable reads", async () => {
  const dir = await tempFolder("thoth-path-variable-");
  const program = `${dir}/my-server`;
  await Deno.writeTextFile(program, "#!/bin/sh\nexit 0\n");
  await Deno.chmod(program, 0o755);
  const found = await resolveUpstream(
    "my-server",
    dir,
    pathVariable({ PATH: dir }, "linux"),
    "linux",
  );
  assert.deepEqual(found, { path: program });
  const none = await resolveUpstream(
    "my-server",
    dir,
    pathVariable({ Path: dir }, "linux"),
    "linux",
  );
  assert.ok("error" in none);
});
