/**
 * How thoth starts itself and where it keeps its profile: the command line
 * wrap-config writes for a run from source denies what the set leaves out
 * instead of prompting, and a profile that would be relative to the folder
 * thoth started in is refused, naming THOTH_HOME and HOME as the fix.
 */
import assert from "node:assert/strict";
import { selfCommandFor } from "../../src/cli/cli_io.ts";
import { profileHome } from "../../src/cli/profile_home.ts";
import { isAppError } from "../../src/errors.ts";
import { initializeLine } from "../e2e/_harness.ts";
import { withoutProfile } from "./_without_profile.ts";

Deno.test("selfCommandFor() runs thoth from source with --no-prompt before the script", () => {
  const argv = selfCommandFor("/usr/bin/deno", "file:///src/cli/thoth.ts", "/src/deno.json");
  assert.deepEqual(argv.slice(0, 4), ["/usr/bin/deno", "run", "-P=thoth", "--no-prompt"]);
  assert.equal(argv.at(-1), "/src/cli/thoth.ts");
  assert.deepEqual(selfCommandFor("/opt/thoth", "file:///x.ts", "/d.json"), ["/opt/thoth"]);
});

Deno.test("profileHome() refuses a profile that would not be an absolute path", () => {
  const none = () => undefined;
  assert.equal(profileHome({ THOTH_HOME: "/t" }, "linux", none), "/t");
  assert.equal(profileHome({ HOME: "/home/ana" }, "linux", none), "/home/ana/.thoth");
  assert.equal(profileHome({}, "linux", () => "/srv/app"), "/srv/app/.thoth");
  assert.equal(profileHome({}, "linux", () => "/"), "/.thoth");
  assert.equal(
    profileHome({ USERPROFILE: "C:\\Users\\ana" }, "windows", none),
    "C:\\Users\\ana\\.thoth",
  );
  const cases: [Record<string, string>, string, RegExp][] = [
    [{}, "linux", /: HOME is not set and the password file has no home folder for this user$/],
    [{ HOME: "" }, "linux", /HOME is not set/],
    [{ HOME: "rel" }, "linux", /: HOME is "rel", not an absolute path$/],
    [{ HOME: "~" }, "linux", /HOME is "~"/],
    [{}, "windows", /: USERPROFILE is not set/],
    [{ USERPROFILE: "ana" }, "windows", /USERPROFILE is "ana"/],
  ];
  for (const [env, os, says] of cases) {
    assert.throws(() => profileHome(env, os, none), (error: unknown) => {
      assert.ok(isAppError(error, "identity.no_profile"), String(error));
      assert.match(error.message, /^cannot find a folder for the thoth profile: /);
      assert.match(error.message, says);
      assert.match(
        error.hints[0] ?? "",
        /^set THOTH_HOME to an absolute path .*, or set (HOME|USERPROFILE)/,
      );
      return true;
    });
  }
  // A relative THOTH_HOME is each command's to refuse (thothHomeError), with its own wording.
  assert.equal(profileHome({ THOTH_HOME: "rel" }, "linux", none), "rel");
});

Deno.test({
  name: "thoth and thothctl without HOME and without a home in the password file refuse to start",
  ignore: Deno.build.os === "windows",
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "thoth-no-home-" });
    try {
      for (const program of ["thoth", "thothctl"]) {
        for (const args of [["status"], ["audit", "verify"]]) {
          if (program === "thothctl" && args[0] === "status") continue;
          const out = await withoutProfile(program, args, cwd, "null").output();
          const err = new TextDecoder().decode(out.stderr);
          assert.equal(out.code, 1, err);
          assert.equal(
            err,
            `${program}: error: cannot find a folder for the thoth profile: HOME is not set and ` +
              "the password file has no home folder for this user\n" +
              `${program}: hint: set THOTH_HOME to an absolute path for the profile ` +
              "(THOTH_HOME=/var/lib/thoth), or set HOME to this user's home folder; thoth keeps " +
              "no profile in the folder it was started in\n",
          );
          assert.deepEqual([...Deno.readDirSync(cwd)], [], "nothing in the current folder");
        }
      }
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});

Deno.test({
  name: "thoth run without a profile folder answers its client's first request with why",
  ignore: Deno.build.os === "windows",
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "thoth-no-home-run-" });
    try {
      const child = withoutProfile(
        "thoth",
        ["run", "--agent-id", "nohome", "--", "no-server-is-started"],
        cwd,
        "piped",
      ).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(initializeLine()));
      await writer.close();
      const out = await child.output();
      const err = new TextDecoder().decode(out.stderr);
      const lines = new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
      assert.equal(lines.length, 1, err);
      const answer = JSON.parse(lines[0]!);
      assert.equal(answer.id, 1);
      assert.match(
        answer.error.message,
        /^thoth cannot govern this server: its identity or credentials are not set up correctly/,
      );
      assert.notEqual(out.code, 0);
      // Said once on stderr, with the fix.
      assert.equal(err.match(/cannot find a folder for the thoth profile/g)?.length, 1, err);
      assert.match(err, /hint: set THOTH_HOME to an absolute path/);
      assert.deepEqual([...Deno.readDirSync(cwd)], [], "nothing in the current folder");
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
