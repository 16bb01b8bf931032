import assert from "node:assert/strict";
import { findExecutable } from "../../src/platform/find_executable.ts";
import { joinPath } from "../../src/platform/join_path.ts";

const only = (paths: string[]) => (path: string) => Promise.resolve(paths.includes(path));

Deno.test("findExecutable() searches PATH directories in order", async () => {
  const check = only(["/b/npx", "/c/npx"]);
  assert.equal(await findExecutable("npx", "/a:/b:/c", "linux", check), "/b/npx");
  assert.equal(await findExecutable("uvx", "/a:/b:/c", "linux", check), null);
});

Deno.test("findExecutable() takes a path as it is", async () => {
  assert.equal(
    await findExecutable("/opt/bin/tool", "", "linux", only(["/opt/bin/tool"])),
    "/opt/bin/tool",
  );
  assert.equal(await findExecutable("/opt/bin/tool", "/opt/bin", "linux", only([])), null);
});

Deno.test("findExecutable() tries Windows extensions", async () => {
  const check = only(["C:\\node\\npx.cmd"]);
  assert.equal(
    await findExecutable("npx", "C:\\tools;C:\\node", "windows", check),
    "C:\\node\\npx.cmd",
  );
});

Deno.test("findExecutable() finds a real executable and skips a non-executable file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/tool`, "#!/bin/sh\n");
    if (Deno.build.os !== "windows") {
      await Deno.chmod(`${dir}/tool`, 0o644);
      assert.equal(await findExecutable("tool", dir, Deno.build.os), null);
      await Deno.chmod(`${dir}/tool`, 0o755);
    }
    assert.equal(await findExecutable("tool", dir, Deno.build.os), `${dir}/tool`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("joinPath() keeps the base's separator", () => {
  assert.equal(joinPath("/h/.thoth", "sessions", "a.jwt"), "/h/.thoth/sessions/a.jwt");
  assert.equal(
    joinPath("C:\\Users\\ana\\.thoth", "policy.jsonc"),
    "C:\\Users\\ana\\.thoth\\policy.jsonc",
  );
  assert.equal(joinPath("/h/", "x"), "/h/x");
});
