/**
 * The root of the file system is never set up as a profile: `THOTH_HOME=/`
 * (however it is spelled), or a link to `/`, is refused with
 * `io.profile_is_root` and a remedy, before anything is made. Run as root,
 * such a profile used to get `sessions/` and `intent_map.json` in `/`, and the
 * sandboxed core's folders (`/audit`, `/approvals`) beside the system's. The
 * bootstrap runs in a child that may write only in a temp folder, so a refusal
 * that came too late could create nothing in `/`.
 */
import assert from "node:assert/strict";
import { CONFIG, DENO, ROOT, tempDir } from "../e2e/_harness.ts";
import { isFileSystemRoot } from "../../src/platform/file_system_root.ts";

const posix = Deno.build.os !== "windows";

/** What `bootstrapProfile(path)` did in a child that may write under `writable` alone. */
async function bootstrapIn(path: string, writable: string): Promise<Record<string, unknown>> {
  const out = await new Deno.Command(DENO, {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      `--config=${CONFIG}`,
      "--allow-read",
      `--allow-write=${writable}`,
      "--allow-sys=uid",
      `${ROOT}/tests/fixtures/identity/bootstrap_profile_main.ts`,
      path,
    ],
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(out.success, text + new TextDecoder().decode(out.stderr));
  return JSON.parse(text);
}

Deno.test({
  name: "bootstrapProfile() refuses the root of the file system as a profile, however it is named",
  ignore: !posix,
  fn: async () => {
    await using dir = await tempDir("thoth-root-profile-");
    await Deno.symlink("/", `${dir.path}/to-root`);
    // Not even through the link may the child write outside the one folder.
    const writable = `${dir.path}/profile`;
    for (const path of ["/", "//", "/.", `${dir.path}/to-root`]) {
      const result = await bootstrapIn(path, writable);
      assert.equal(result["code"], "io.profile_is_root", `${path}: ${JSON.stringify(result)}`);
      assert.match(String(result["message"]), /the root of the file system/);
      assert.match(
        String((result["hints"] as string[])[0]),
        /^set THOTH_HOME to a folder of its own, such as \/var\/lib\/thoth/,
      );
    }
    // A folder of its own is still set up.
    const own = await bootstrapIn(writable, writable);
    assert.ok(Array.isArray(own["created"]), JSON.stringify(own));
  },
});

Deno.test("isFileSystemRoot() knows the root by any spelling, on POSIX and Windows", () => {
  for (const path of ["/", "//", "/.", "/tmp/.."]) {
    assert.equal(isFileSystemRoot(path, "linux"), true);
  }
  for (const path of ["/tmp", "/../tmp", "", "relative"]) {
    assert.equal(isFileSystemRoot(path, "linux"), false, path);
  }
  for (const path of ["C:\\", "c:/", "C:", "\\\\?\\C:\\", "\\\\server\\share\\"]) {
    assert.equal(isFileSystemRoot(path, "windows"), true, path);
  }
  for (const path of ["C:\\ProgramData\\thoth", "\\\\server\\share\\thoth"]) {
    assert.equal(isFileSystemRoot(path, "windows"), false, path);
  }
});
