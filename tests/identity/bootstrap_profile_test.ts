import assert from "node:assert/strict";
import { lchownSync } from "node:fs";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { writeApiKeyFile } from "../../src/identity/write_api_key_file.ts";
import { Secret } from "../../src/identity/secret.ts";
import { isAppError } from "../../src/errors.ts";
import { withTempDir } from "../doctor/_helpers.ts";

const mode = async (path: string) => ((await Deno.stat(path)).mode ?? 0) & 0o777;
const posix = Deno.build.os !== "windows";

Deno.test({
  name: "bootstrapProfile() creates the profile with private modes",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      const home = `${dir}/nested/.thoth`;
      const { created, notices } = await bootstrapProfile(home, Deno.build.os);
      assert.deepEqual(created, [home, `${home}/sessions`, `${home}/intent_map.json`]);
      assert.deepEqual(notices, []);
      assert.equal(await mode(home), 0o700);
      assert.equal(await mode(`${home}/sessions`), 0o700);
      assert.equal(await mode(`${home}/intent_map.json`), 0o600);
      assert.equal(await Deno.readTextFile(`${home}/intent_map.json`), "{}\n");
    }),
});

Deno.test("bootstrapProfile() is idempotent and keeps an existing intent map", () =>
  withTempDir(async (home) => {
    await bootstrapProfile(home, Deno.build.os);
    await Deno.writeTextFile(`${home}/intent_map.json`, '{"gdrive":"calendar_management"}');
    const second = await bootstrapProfile(home, Deno.build.os);
    assert.deepEqual(second, { created: [], notices: [] });
    assert.equal(
      await Deno.readTextFile(`${home}/intent_map.json`),
      '{"gdrive":"calendar_management"}',
    );
  }));

Deno.test({
  name: "bootstrapProfile() tightens proxy_api_key.json to 0600 and says so once",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      await Deno.writeTextFile(`${home}/proxy_api_key.json`, '{"api_key":"k"}');
      await Deno.chmod(`${home}/proxy_api_key.json`, 0o644);
      const first = await bootstrapProfile(home, Deno.build.os);
      assert.equal(first.notices.length, 1);
      assert.match(first.notices[0] ?? "", /proxy_api_key\.json" from 0644 to 0600/);
      assert.equal(await mode(`${home}/proxy_api_key.json`), 0o600);
      const second = await bootstrapProfile(home, Deno.build.os);
      assert.deepEqual(second.notices, []);
    }),
});

Deno.test({
  name: "bootstrapProfile() tightens session files to 0600",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      await Deno.mkdir(`${home}/sessions`);
      const session = `${home}/sessions/acme--acme.example.com--admin-token.jwt`;
      await Deno.writeTextFile(session, "t");
      await Deno.chmod(session, 0o640);
      const { notices } = await bootstrapProfile(home, Deno.build.os);
      assert.equal(notices.length, 1);
      assert.equal(await mode(session), 0o600);
    }),
});

Deno.test({
  name: "bootstrapProfile() leaves an existing, broader profile directory to doctor",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      await Deno.chmod(home, 0o755);
      await bootstrapProfile(home, Deno.build.os);
      assert.equal(await mode(home), 0o755);
    }),
});

Deno.test("bootstrapProfile() refuses a profile path that is a file", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/.thoth`, "");
    await assert.rejects(
      bootstrapProfile(`${dir}/.thoth`, Deno.build.os),
      (e) => isAppError(e, "io.profile"),
    );
  }));

Deno.test({
  name: "writeApiKeyFile() writes atomically with mode 0600 and leaves no temp file",
  ignore: !posix,
  fn: () =>
    withTempDir(async (home) => {
      const path = `${home}/proxy_api_key.json`;
      await Deno.writeTextFile(path, "old");
      await Deno.chmod(path, 0o644);
      await writeApiKeyFile(path, new Secret("new-key"), new Date("2026-01-01T00:00:00Z"));
      assert.equal(await mode(path), 0o600);
      assert.equal(JSON.parse(await Deno.readTextFile(path)).api_key, "new-key");
      const names = [];
      for await (const entry of Deno.readDir(home)) names.push(entry.name);
      assert.deepEqual(names, ["proxy_api_key.json"]);
    }),
});

Deno.test("writeApiKeyFile() names the path when it cannot write", () =>
  withTempDir(async (home) => {
    await Deno.writeTextFile(`${home}/blocker`, "");
    await assert.rejects(
      writeApiKeyFile(`${home}/blocker/key.json`, new Secret("k"), new Date()),
      (e) => isAppError(e, "credentials.write_failed") && e.message.includes("blocker/key.json"),
    );
  }));

const root = posix && Deno.uid() === 0;

Deno.test({
  name:
    "run as root, bootstrapProfile() and writeApiKeyFile() change nothing where a user could redirect them",
  ignore: !root,
  fn: () =>
    withTempDir(async (dir) => {
      // A management tool (root) is pointed at a profile in a home the user owns:
      // the user could swap any folder on the way between two of root's steps.
      const userHome = `${dir}/ana`;
      await Deno.mkdir(userHome, { mode: 0o755 });
      await Deno.chown(userHome, 65534, 65534);
      const unsafe = (e: unknown) =>
        isAppError(e) && e.message.includes(`"${userHome}" belongs to uid 65534`) &&
        e.hints.some((h) => h.includes("sudo -u '#65534' …"));
      await assert.rejects(bootstrapProfile(`${userHome}/.thoth`, Deno.build.os), unsafe);
      await assert.rejects(
        writeApiKeyFile(`${userHome}/.config/key.json`, new Secret("k-123456"), new Date(0)),
        (e) => isAppError(e, "credentials.write_failed") && unsafe(e),
      );
      // A link the user planted in a folder of root's is the user's too.
      await Deno.symlink(userHome, `${dir}/linked`);
      lchownSync(`${dir}/linked`, 65534, 65534);
      await assert.rejects(bootstrapProfile(`${dir}/linked/.thoth`, Deno.build.os), (e) =>
        isAppError(e, "io.unsafe_for_root"));
      // A folder anyone may write to, without the sticky bit, is refused as well.
      await Deno.mkdir(`${dir}/open`);
      await Deno.chmod(`${dir}/open`, 0o777);
      await assert.rejects(
        bootstrapProfile(`${dir}/open/.thoth`, Deno.build.os),
        (e) =>
          isAppError(e, "io.unsafe_for_root") &&
          e.hints.every((h) =>
            !h.includes("chmod")
          ) &&
          e.hints.some((h) => h.includes("/var/lib/thoth")),
      );
      assert.deepEqual(
        [...Deno.readDirSync(userHome)].map((e) => e.name),
        [],
        "nothing created in the user's home",
      );
      // In a sticky folder anyone may write to (like /tmp), a profile still to be
      // made could be made first by anyone: refused; one root made already is fine.
      await Deno.mkdir(`${dir}/sticky`);
      await Deno.chmod(`${dir}/sticky`, 0o1777);
      await assert.rejects(
        bootstrapProfile(`${dir}/sticky/new/.thoth`, Deno.build.os),
        (e) =>
          isAppError(e, "io.unsafe_for_root") && e.message.includes(`"${dir}/sticky"`) &&
          // Never "chmod go-w" a shared folder such as /tmp: make the profile first.
          e.hints[0] ===
            `make the folder first, as root, in one step: mkdir -p -m 700 '${dir}/sticky/new/.thoth'`,
      );
      const made = await new Deno.Command("mkdir", {
        args: ["-p", "-m", "700", `${dir}/sticky/new/.thoth`],
      }).output();
      assert.ok(made.success);
      assert.equal(
        (await bootstrapProfile(`${dir}/sticky/new/.thoth`, Deno.build.os)).created.length,
        2,
        "the hint, followed, lets root set the profile up",
      );
      await Deno.mkdir(`${dir}/sticky/made`, { mode: 0o700 });
      assert.equal((await bootstrapProfile(`${dir}/sticky/made`, Deno.build.os)).created.length, 2);
      // The same folder behind a link of root's (macOS's /tmp is /private/tmp).
      await Deno.symlink(`${dir}/sticky`, `${dir}/tl`);
      await assert.rejects(
        bootstrapProfile(`${dir}/tl/other/.thoth`, Deno.build.os),
        (e) => isAppError(e, "io.unsafe_for_root") && e.message.includes("before root does"),
      );
      // For a key file, the hint makes its folder, not a folder of the key's name.
      await assert.rejects(
        writeApiKeyFile(`${dir}/sticky/keys/key.json`, new Secret("k-123456"), new Date(0)),
        (e) =>
          isAppError(e, "credentials.write_failed") &&
          e.hints[0] ===
            `make the folder first, as root, in one step: mkdir -p -m 700 '${dir}/sticky/keys'`,
      );
      // A link of root's that leads nowhere yet: whoever makes its target decides.
      await Deno.symlink(`${dir}/sticky/later`, `${dir}/dangling`);
      await assert.rejects(
        bootstrapProfile(`${dir}/dangling/.thoth`, Deno.build.os),
        (e) => isAppError(e, "io.unsafe_for_root") && /leads|does not exist/.test(e.message),
      );
      // Root's own folders are root's to set up.
      const { created } = await bootstrapProfile(`${dir}/rootprofile`, Deno.build.os);
      assert.equal(created.length, 3);
    }),
});

Deno.test({
  name: "writeApiKeyFile() never writes through a link planted in the key's place",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      const victim = `${dir}/victim`;
      await Deno.writeTextFile(victim, "root:x:0:0\n");
      await Deno.chmod(victim, 0o644);
      const home = `${dir}/home`;
      await bootstrapProfile(home, Deno.build.os);
      await Deno.symlink(victim, `${home}/proxy_api_key.json`);
      await assert.rejects(
        writeApiKeyFile(`${home}/proxy_api_key.json`, new Secret("k-123456"), new Date(0)),
        (e) =>
          isAppError(e) && e.code === "credentials.write_failed" &&
          e.message.includes("symbolic link") && e.hints.some((h) => h.includes("remove the link")),
      );
      assert.equal(await Deno.readTextFile(victim), "root:x:0:0\n");
      assert.equal(await mode(victim), 0o644);
    }),
});

Deno.test({
  name: "bootstrapProfile() takes a THOTH_HOME linked to a directory, and names a broken link",
  ignore: !posix,
  fn: () =>
    withTempDir(async (dir) => {
      await Deno.mkdir(`${dir}/real`, { mode: 0o700 });
      await Deno.symlink(`${dir}/real`, `${dir}/linked`);
      const { created } = await bootstrapProfile(`${dir}/linked`, Deno.build.os);
      assert.deepEqual(created, [`${dir}/linked/sessions`, `${dir}/linked/intent_map.json`]);
      await Deno.symlink(`${dir}/nowhere`, `${dir}/broken`);
      await assert.rejects(
        bootstrapProfile(`${dir}/broken`, Deno.build.os),
        (e) =>
          isAppError(e) &&
          // Run as root, the check that root may work there speaks first.
          (e.code === "io.profile" || e.code === "io.unsafe_for_root") &&
          /symbolic link to no directory|a link to a place that does not exist/.test(e.message),
      );
    }),
});
