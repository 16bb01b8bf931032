/**
 * What the lost tallies' folder (`audit/lost`) hides no more, on real `thoth
 * run` sessions in front of server-everything in temp profiles, with the
 * real `thoth audit verify` and `thoth health --json`:
 *
 * - a folder that cannot be listed (0000) is a `lost_tally_unusable`
 *   warning of verify (exit 2, never "intact"), and health's and doctor's
 *   audit check name it with its fix;
 * - a folder root may not write (0500) once it lacks the capability to
 *   override modes (a container run with every capability dropped): the
 *   session's note names the mode and `chmod 700`, and doctor and health
 *   report it, since the folder is tried, not judged from uid 0;
 * - a symbolic link at `audit/lost` (here to another profile's folder) is
 *   never followed: no session makes its tally through it nor takes in or
 *   sets aside the tallies where it points, verify reports the link, not
 *   that profile's losses as its own, and doctor and health name it;
 * - health counts the dead sessions' tallies the next session takes in
 *   (`waiting`) and those it will refuse (`unvouched`: one signed with
 *   another profile's key), doctor warns of the latter, and verify's
 *   headline for a refused tally speaks of a tally, not a spool file.
 *
 * Root is made to lose the capability to override modes through util-linux
 * `setpriv` (a user who is not root is refused as is); where neither holds,
 * the tests that need it are skipped.
 */
import assert from "node:assert/strict";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { emptyTally, encodeLostTally, LostTallyMac } from "../../src/audit/lost_tally.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  thothArgv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords, profileWithRules } from "../e2e/_governed.ts";

function hasSetpriv(): boolean {
  try {
    return Deno.statSync("/usr/bin/setpriv").isFile;
  } catch {
    return false;
  }
}

/**
 * What runs a command without the capability to override file modes: as
 * root, through setpriv with those capabilities out of its bounding set; as
 * another user, nothing (such a user has none); null when it cannot be done
 * here (Windows, or root without setpriv).
 */
const REFUSED_LIKE_A_USER: readonly string[] | null = Deno.build.os === "windows"
  ? null
  : Deno.uid() !== 0
  ? []
  : hasSetpriv()
  ? ["/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search"]
  : null;
/** Why a test that needs {@linkcode REFUSED_LIKE_A_USER} is skipped here, in its name. */
const UNLESS_REFUSED = REFUSED_LIKE_A_USER === null
  ? " (skipped: needs root with util-linux setpriv, or a user who is not root)"
  : "";
/** Root made to lose that capability: only where it is root with setpriv. */
const ROOT_REFUSED = Deno.build.os !== "windows" && Deno.uid() === 0 && hasSetpriv();
/** Why a test that needs {@linkcode ROOT_REFUSED} is skipped here, in its name. */
const UNLESS_ROOT_REFUSED = ROOT_REFUSED ? "" : " (skipped: needs root with util-linux setpriv)";

/** Starts a block-mode session in front of server-everything, run after `prefix`, and waits until it is initialized. */
async function startedSession(home: string, prefix: readonly string[] = []): Promise<RawPeer> {
  const flags = ["--agent-id", "everything", "--enforcement-mode", "block"];
  const peer = new RawPeer(
    [...prefix, ...throughThoth(everythingArgv(), flags)],
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1, 60_000);
  } catch (error) {
    await peer.finish();
    throw error;
  }
  return peer;
}

/** Runs one session on the profile to its end: what it said on stderr. */
async function session(home: string, prefix: readonly string[] = []): Promise<string> {
  const peer = await startedSession(home, prefix);
  await peer.finish();
  return peer.stderr;
}

/** Runs the real `thoth ARGS` on the profile, after `prefix`. */
async function thoth(home: string, args: readonly string[], prefix: readonly string[] = []) {
  const [command, ...rest] = [...prefix, ...thothArgv(args)];
  Deno.mkdirSync(`${home}.user`, { recursive: true });
  const run = await new Deno.Command(command!, {
    args: rest,
    env: testEnv({ THOTH_HOME: home, HOME: `${home}.user` }),
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: run.code, out: dec.decode(run.stdout), err: dec.decode(run.stderr) };
}

/** `thoth audit verify --json`: its exit code and findings. */
async function verify(home: string, prefix: readonly string[] = []) {
  const run = await thoth(home, ["audit", "verify", "--json"], prefix);
  const findings = (JSON.parse(run.out) as {
    findings: { kind: string; severity: string; message: string }[];
  }).findings;
  return { code: run.code, findings, text: run.out + run.err };
}

/** The `audit` part of `thoth health --json`, as its schema reads it. */
async function health(home: string, prefix: readonly string[] = []) {
  const run = await thoth(home, ["health", "--json"], prefix);
  return HealthReportSchema.parse(JSON.parse(run.out)).audit;
}

/** A tally of `session` counting 2 lost decisions, signed with the audit key of `keyHome`, into `dir`. */
async function plantTally(dir: string, session: string, keyHome: string): Promise<void> {
  const key = (await loadDeviceKeys(keyHome, new Date())).hmacRaw;
  const tally = {
    ...emptyTally(session),
    count: 2,
    types: { decision: 2 },
    decisionIds: ["d-00000000000000aa", "d-00000000000000bb"],
    reason: "cannot write the audit spool: No space left on device",
  };
  const name = `${session}.tally`;
  Deno.writeFileSync(`${dir}/${name}`, encodeLostTally(tally, name, new LostTallyMac(key)));
}

Deno.test({
  name:
    "audit/lost that cannot be listed: verify warns (exit 2, not intact), health and doctor's audit check name it" +
    UNLESS_REFUSED,
  ignore: REFUSED_LIKE_A_USER === null,
  fn: async () => {
    const prefix = REFUSED_LIKE_A_USER!;
    await using dir = await tempDir("thoth-lost-unlisted-");
    const home = await profileWithRules(dir.path, []);
    await session(home);
    const lost = LostTallyFile.dir(home);
    Deno.chmodSync(lost, 0o000);
    try {
      const verified = await verify(home, prefix);
      assert.equal(verified.code, 2, verified.text);
      const finding = verified.findings.find((f) => f.kind === "lost_tally_unusable");
      assert.ok(finding !== undefined, verified.text);
      assert.equal(finding.severity, "warning");
      assert.match(
        finding.message,
        /is 0000; it must be 0700: its owner cannot list, enter or write it: verify cannot tell whether a killed session left a tally there/,
      );
      assert.ok(finding.message.endsWith(`run: chmod 700 '${lost}'`), finding.message);

      const audit = await health(home, prefix);
      assert.match(audit.lost_tallies?.folder_problem ?? "", /is 0000; it must be 0700/);
      assert.equal(audit.lost_tallies?.folder_fix, `chmod 700 '${lost}'`);
      assert.match(
        audit.message ?? "",
        /audit\/lost" is 0000; it must be 0700[^;]*: no session can keep/,
      );
      assert.match(audit.hint ?? "", /run: chmod 700 /);
    } finally {
      Deno.chmodSync(lost, 0o700);
    }
  },
});

Deno.test({
  name:
    "root without the capability to override modes, audit/lost 0500: run names the mode and its fix, doctor and health report it" +
    UNLESS_ROOT_REFUSED,
  ignore: !ROOT_REFUSED,
  fn: async () => {
    const prefix = REFUSED_LIKE_A_USER!;
    await using dir = await tempDir("thoth-lost-root-refused-");
    const home = await profileWithRules(dir.path, []);
    await session(home);
    const lost = LostTallyFile.dir(home);
    Deno.chmodSync(lost, 0o500);
    try {
      const said = await session(home, prefix);
      assert.match(
        said,
        /keeps no lost tally: cannot make it in "[^"]*\/audit\/lost" \(Permission denied/,
      );
      assert.ok(
        said.includes(`"${lost}" is 0500; it must be 0700: its owner cannot write it;`),
        said,
      );
      assert.ok(said.includes(`; run: chmod 700 '${lost}'`), said);

      const audit = await health(home, prefix);
      assert.match(
        audit.lost_tallies?.folder_problem ?? "",
        /is 0500; it must be 0700: its owner cannot write it$/,
      );
      assert.equal(audit.lost_tallies?.folder_fix, `chmod 700 '${lost}'`);
      // Root that may override modes writes it: nothing to say, and the probe is gone.
      assert.equal((await health(home)).lost_tallies?.folder_problem, null);
      assert.deepEqual([...Deno.readDirSync(lost)].map((e) => e.name), []);
    } finally {
      Deno.chmodSync(lost, 0o700);
    }
  },
});

Deno.test("a symbolic link at audit/lost (to another profile's folder) is never followed: run, verify, doctor and health name it", async () => {
  await using dir = await tempDir("thoth-lost-link-");
  const home = await profileWithRules(`${dir.path}/a`, []);
  const other = await profileWithRules(`${dir.path}/b`, []);
  await session(home);
  await session(other);
  const lost = LostTallyFile.dir(home);
  const theirs = LostTallyFile.dir(other);
  await plantTally(theirs, "s-theirs", other); // The other profile's own, waiting for its sessions.
  Deno.removeSync(lost, { recursive: true });
  Deno.symlinkSync(theirs, lost);

  const verified = await verify(home);
  assert.equal(verified.code, 2, verified.text);
  assert.ok(!verified.findings.some((f) => f.kind === "decisions_untold"), verified.text);
  const finding = verified.findings.find((f) => f.kind === "lost_tally_unusable");
  assert.ok(finding !== undefined, verified.text);
  assert.match(finding.message, /audit\/lost" is a symbolic link, not a folder[^]*reads no tally/);
  assert.ok(finding.message.includes(`run: mv '${lost}' '${lost}.moved-aside'`), finding.message);

  const audit = await health(home);
  assert.equal(audit.lost_tallies?.folder_problem, `"${lost}" is a symbolic link, not a folder`);
  assert.equal(audit.lost_tallies?.folder_fix, `mv '${lost}' '${lost}.moved-aside'`);
  assert.equal(audit.lost_tallies?.waiting, 0, "the other profile's tally is not counted");
  assert.match(audit.message ?? "", /is a symbolic link, not a folder: no session can keep/);
  const doctor = await thoth(home, ["doctor"]);
  const line = doctor.out.split("\n").find((l) => / audit /.test(l)) ?? doctor.out;
  assert.match(line, /^! audit [^\n]*audit\/lost" is a symbolic link, not a folder/);

  // A session makes no tally through it, and leaves the other profile's tally where it is.
  const peer = await startedSession(home);
  try {
    assert.deepEqual([...Deno.readDirSync(theirs)].map((e) => e.name), ["s-theirs.tally"]);
  } finally {
    await peer.finish();
  }
  assert.match(peer.stderr, /keeps no lost tally[^\n]*is a symbolic link, not a folder/);
  assert.ok(peer.stderr.includes(`run: mv '${lost}' '${lost}.moved-aside'`), peer.stderr);
  assert.deepEqual([...Deno.readDirSync(theirs)].map((e) => e.name), ["s-theirs.tally"]);
  assert.ok(!(await auditRecords(home)).some((r) => r["type"] === "spool_refused"));
});

Deno.test("health counts dead sessions' tallies waiting and those the next session refuses (another profile's key); doctor warns; verify's headline says tally", async () => {
  await using dir = await tempDir("thoth-lost-counted-");
  const home = await profileWithRules(`${dir.path}/a`, []);
  const other = await profileWithRules(`${dir.path}/b`, []);
  await session(home);
  await session(other);
  const lost = LostTallyFile.dir(home);
  await plantTally(lost, "s-gone", home);
  await plantTally(lost, "s-alien", other); // Signed with the other profile's key.

  const audit = await health(home);
  assert.equal(audit.lost_tallies?.waiting, 1, JSON.stringify(audit.lost_tallies));
  assert.equal(audit.lost_tallies?.unvouched, 1, JSON.stringify(audit.lost_tallies));
  assert.match(
    audit.message ?? "",
    /1 lost tally file\(s\) of sessions that ended count losses thoth cannot vouch for \(a MAC that does not verify with this profile's audit key: forged, or signed with another profile's key/,
  );
  assert.match(audit.hint ?? "", /it says what each counts and why it is refused/);

  const verified = await verify(home);
  const alien = verified.findings.find((f) =>
    f.kind === "decisions_untold" && f.message.includes("lost/s-alien.tally")
  );
  assert.ok(alien !== undefined, verified.text);
  assert.match(alien.message, /its MAC does not verify with this profile's audit key/);
  assert.doesNotMatch(alien.message, /: thoth did not write it/);

  // The next session takes one in and refuses the other: verify's headline speaks of a tally.
  await session(home);
  const after = await health(home);
  assert.equal(after.lost_tallies?.waiting, 0);
  assert.equal(after.lost_tallies?.unvouched, 0);
  assert.equal(after.lost_tallies?.refused?.files, 1);
  const text = await thoth(home, ["audit", "verify"]);
  assert.equal(text.code, 2, text.out + text.err);
  assert.match(
    text.out.split("\n")[0]!,
    /^LOST TALLY REFUSED: 1 lost tally file\(s\) failed their checks and were set aside/,
  );
  assert.match(text.out, /with this profile's audit key: this profile's thoth did not write it/);
});
