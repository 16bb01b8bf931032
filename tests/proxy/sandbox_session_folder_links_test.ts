/**
 * A session folder (`audit/`, `approvals/`, `state/`) that is a symbolic
 * link no longer widens the sandboxed core's grant to where it leads: before
 * the core starts, the real path of each is checked, and a session whose
 * folder leads to the root of the file system, the home folder, the profile
 * (or a folder holding it), another part of the profile such as `keys/`, a
 * folder that is not private, or nowhere, is refused. The client's
 * `initialize` is answered with thoth's "cannot govern" error, stderr names
 * the code and how to put a folder back, and the core never runs: the probing
 * core (see `reach_worker.ts`) that reads through the link reports nothing. A
 * link to a private folder elsewhere still works, and grants that folder and
 * nothing beside it.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, sandboxProbe, tempDir, testEnv } from "../e2e/_harness.ts";
import { readProbeReport } from "../fixtures/sandbox/probe_report.ts";

const posix = Deno.build.os !== "windows";
const NOT_CAPABLE = /^NotCapable: Requires (read|write) access/;

interface Layout {
  /** The temp folder everything is in. */
  dir: string;
  /** The profile (THOTH_HOME). */
  home: string;
  /** The user's home folder (HOME), beside the profile. */
  user: string;
}

/** A profile with a policy and a bait key, a home folder beside it, in a fresh temp folder. */
async function layout(dir: string): Promise<Layout> {
  const home = `${dir}/profile`;
  const user = `${dir}/user`;
  await Deno.mkdir(`${home}/keys`, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(`${home}/keys/bait.key`, "bait", { mode: 0o600 });
  await Deno.mkdir(user, { mode: 0o700 });
  return { dir, home, user };
}

/** One session through the probing core: initialize, then EOF. */
async function session(
  at: Layout,
  probe: { reads?: string[]; writes?: string[] },
): Promise<{ init: Record<string, unknown>; stderr: string; code: number }> {
  const peer = sandboxProbe(
    {
      worker: "reach_worker.ts",
      thothHome: at.home,
      mode: "block",
      env: { HOME: at.user },
      ...probe,
    },
    faultArgv(),
    testEnv({ THOTH_HOME: at.home, HOME: at.user }),
  );
  try {
    await peer.send(initializeRequest(1));
    const init = await peer.responseTo(1);
    const { code } = await peer.finish();
    return { init, stderr: peer.stderr, code };
  } finally {
    await peer.finish();
  }
}

/** Asserts the session was refused before the core ran, for the reason `why`. */
function assertRefused(
  outcome: { init: Record<string, unknown>; stderr: string; code: number },
  code: string,
  why: RegExp,
  hint: RegExp,
): void {
  const ran = outcome.stderr.split("\n").find((line) => line.startsWith("probe-report reach "));
  assert.equal(ran, undefined, `the core ran with the link granted and reported: ${ran}`);
  const error = outcome.init["error"] as { message?: string } | undefined;
  assert.ok(error !== undefined, `the session was not refused: ${JSON.stringify(outcome.init)}`);
  assert.match(error.message ?? "", /^thoth cannot govern this server/);
  assert.match(outcome.stderr, new RegExp(`thoth: error: .*\\(${code.replace(".", "\\.")}\\)`));
  assert.match(outcome.stderr, why);
  assert.match(outcome.stderr, hint);
  assert.notEqual(outcome.code, 0);
}

Deno.test({
  name: "a session folder linked to / is refused, and the core reads nothing outside",
  ignore: !posix,
  fn: async () => {
    await using dir = await tempDir("thoth-links-");
    const at = await layout(dir.path);
    await Deno.mkdir(`${at.dir}/outside`);
    await Deno.symlink("/", `${at.home}/audit`);
    try {
      const outcome = await session(at, {
        reads: [`${at.home}/audit/etc/passwd`, "/etc/passwd"],
        writes: [`${at.dir}/outside/planted.txt`],
      });
      assertRefused(
        outcome,
        "io.unsafe_session_folder",
        /"[^"]*\/profile\/audit" leads to "\/", the root of the file system/,
        new RegExp(
          `hint: replace the link with a folder .*: rm '${at.home}/audit' && mkdir -m 700`,
        ),
      );
      await assert.rejects(Deno.stat(`${at.dir}/outside/planted.txt`), Deno.errors.NotFound);
    } finally {
      await Deno.remove(`${at.home}/audit`);
    }
  },
});

Deno.test({
  name:
    "an approvals folder linked to the profile itself is refused: the core reads no key and no policy",
  ignore: !posix,
  fn: async () => {
    await using dir = await tempDir("thoth-links-");
    const at = await layout(dir.path);
    await Deno.symlink(".", `${at.home}/approvals`);
    const outcome = await session(at, {
      reads: [`${at.home}/approvals/keys/bait.key`, `${at.home}/approvals/policy.jsonc`],
    });
    assertRefused(
      outcome,
      "io.unsafe_session_folder",
      /\/profile\/approvals" leads to "[^"]*\/profile", the profile folder itself/,
      /rm '[^']*\/profile\/approvals' && mkdir -m 700/,
    );
  },
});

Deno.test({
  name: "an audit folder linked into keys/ is refused",
  ignore: !posix,
  fn: async () => {
    await using dir = await tempDir("thoth-links-");
    const at = await layout(dir.path);
    await Deno.symlink("keys", `${at.home}/audit`);
    const outcome = await session(at, { reads: [`${at.home}/audit/bait.key`] });
    assertRefused(
      outcome,
      "io.unsafe_session_folder",
      /\/profile\/keys", another part of the profile/,
      /rm '[^']*\/profile\/audit'/,
    );
  },
});

Deno.test({
  name: "an audit folder linked to the home folder, or to a folder holding the profile, is refused",
  ignore: !posix,
  fn: async () => {
    await using dir = await tempDir("thoth-links-");
    const at = await layout(dir.path);
    await Deno.writeTextFile(`${at.user}/.netrc`, "bait", { mode: 0o600 });
    await Deno.symlink(at.user, `${at.home}/audit`);
    assertRefused(
      await session(at, { reads: [`${at.home}/audit/.netrc`, `${at.user}/.netrc`] }),
      "io.unsafe_session_folder",
      /, the home folder "[^"]*\/user"/,
      /rm '[^']*\/profile\/audit'/,
    );
    await Deno.remove(`${at.home}/audit`);
    await Deno.symlink(at.dir, `${at.home}/audit`);
    assertRefused(
      await session(at, { reads: [`${at.home}/audit/profile/keys/bait.key`] }),
      "io.unsafe_session_folder",
      /, a folder that holds the profile/,
      /rm '[^']*\/profile\/audit'/,
    );
  },
});

Deno.test({
  name: "an audit folder linked to a place that does not exist is refused",
  ignore: !posix,
  fn: async () => {
    await using dir = await tempDir("thoth-links-");
    const at = await layout(dir.path);
    await Deno.symlink(`${at.dir}/nowhere`, `${at.home}/audit`);
    assertRefused(
      await session(at, { writes: [`${at.home}/audit/planted.txt`] }),
      "io.unsafe_session_folder",
      /\/profile\/audit" is a link to a place that does not exist/,
      /rm '[^']*\/profile\/audit' && mkdir -m 700/,
    );
    await assert.rejects(Deno.stat(`${at.dir}/nowhere`), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "run as root, an audit folder linked into a folder other users may change is refused",
  ignore: !posix || Deno.uid() !== 0,
  fn: async () => {
    await using dir = await tempDir("thoth-links-");
    const at = await layout(dir.path);
    await Deno.mkdir(`${at.dir}/open/private`, { recursive: true });
    await Deno.chmod(`${at.dir}/open`, 0o777);
    await Deno.chmod(`${at.dir}/open/private`, 0o700);
    await Deno.symlink(`${at.dir}/open/private`, `${at.home}/audit`);
    assertRefused(
      await session(at, { writes: [`${at.home}/audit/planted.txt`] }),
      "io.unsafe_for_root",
      /thoth runs as root, and the session folder "[^"]*\/profile\/audit" leads to "[^"]*\/open\/private", which is in a place root cannot trust \("[^"]*\/open" can be changed by other users\)/,
      /rm '[^']*\/profile\/audit' && mkdir -m 700/,
    );
    await assert.rejects(Deno.stat(`${at.dir}/open/private/planted.txt`), Deno.errors.NotFound);
  },
});

Deno.test({
  name:
    "an audit folder linked to a folder others may enter is refused; made private, it works, and the core reaches nothing beside it",
  ignore: !posix,
  fn: async () => {
    await using dir = await tempDir("thoth-links-");
    const at = await layout(dir.path);
    const elsewhere = `${at.dir}/elsewhere`;
    await Deno.mkdir(elsewhere);
    await Deno.chmod(elsewhere, 0o755);
    await Deno.writeTextFile(`${at.dir}/beside.txt`, "bait");
    await Deno.symlink(elsewhere, `${at.home}/audit`);
    const probe = {
      reads: [`${at.home}/audit/../policy.jsonc`, `${at.dir}/beside.txt`, "/etc/passwd"],
      writes: [`${elsewhere}/inside.txt`, `${at.dir}/planted.txt`],
    };
    assertRefused(
      await session(at, probe),
      "io.unsafe_session_folder",
      /leads to "[^"]*\/elsewhere", a folder that is not private \(owned by uid \d+, mode 0755\)/,
      /hint: make the folder it leads to private: chmod 700 '[^']*\/elsewhere'/,
    );

    // The remedy the hint gives: the same link then works.
    await Deno.chmod(elsewhere, 0o700);
    const outcome = await session(at, probe);
    assert.ok(outcome.init["result"] !== undefined, JSON.stringify(outcome.init) + outcome.stderr);
    const report = readProbeReport(outcome.stderr, "reach");
    assert.equal(report[`write ${elsewhere}/inside.txt`], "allowed", JSON.stringify(report));
    for (
      const key of [
        `read ${at.home}/audit/../policy.jsonc`,
        `read ${at.dir}/beside.txt`,
        "read /etc/passwd",
        `write ${at.dir}/planted.txt`,
      ]
    ) {
      assert.match(report[key] ?? "", NOT_CAPABLE, `${key}: ${report[key]}`);
    }
    const entries = [];
    for await (const entry of Deno.readDir(elsewhere)) entries.push(entry.name);
    assert.ok(entries.length > 1, `the audit log is where the link points: ${entries}`);
  },
});
