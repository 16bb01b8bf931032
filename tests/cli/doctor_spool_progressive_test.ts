/**
 * The real `thoth doctor` and `thoth health --json` on a temp profile: spool
 * files a session that ended left behind are a warning (older than the
 * orphan age only), and the progressive counters are checked: a counts-lost
 * mark ahead warns, a counters file of garbage, a FIFO or a symbolic link
 * fails doctor, and nothing in the profile is changed.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { HAS_FIFO, makeFifo } from "../platform/_fifo.ts";

const posix = Deno.build.os !== "windows";

/** A private profile under a temp HOME, with its audit spool and state folders. */
async function profile(): Promise<{ dir: string; home: string }> {
  const dir = await tempFolder("thoth-doctor-spool-");
  const home = `${dir}/.thoth`;
  for (const folder of [home, `${home}/audit`, `${home}/audit/spool`, `${home}/state`]) {
    await Deno.mkdir(folder, { recursive: true, mode: 0o700 });
    await Deno.chmod(folder, 0o700);
  }
  return { dir, home };
}

async function thoth(dir: string, args: string[]) {
  return await runThoth(args, { env: { HOME: dir, THOTH_HOME: `${dir}/.thoth` }, cwd: dir });
}

function line(out: string, id: string): string {
  return out.split("\n").find((l) => new RegExp(`^. ${id} `).test(l)) ?? "";
}

async function spoolFile(home: string, name: string, ageMs: number): Promise<void> {
  const path = `${home}/audit/spool/${name}`;
  await Deno.writeTextFile(path, '{"type":"decision","session":"s-gone"}\n', { mode: 0o600 });
  const at = new Date(Date.now() - ageMs);
  await Deno.utime(path, at, at);
}

Deno.test({
  name: "thoth doctor warns of a dead session's spool file, not of a fresh one; health counts it",
  ignore: !posix,
  fn: async () => {
    const { dir, home } = await profile();
    await spoolFile(home, "s-live-1.jsonl", 0);
    let doctor = await thoth(dir, ["doctor"]);
    assert.doesNotMatch(line(doctor.out, "audit"), /spool/, doctor.out);
    await spoolFile(home, "s-gone-1.jsonl", 5 * 60_000);
    doctor = await thoth(dir, ["doctor"]);
    assert.equal(doctor.code, 0, doctor.out + doctor.err);
    assert.match(
      line(doctor.out, "audit"),
      /^! audit +.*; 1 spool file\(s\) holding decisions of sessions that ended without writing them wait to be taken in \(oldest 30\ds\); the next thoth session to start, or a running one within a minute, takes them in$/,
    );
    const health = await thoth(dir, ["health", "--json"]);
    assert.equal(health.code, 0, health.err);
    const audit = JSON.parse(health.out).audit;
    assert.equal(audit.spool_waiting.due, 1);
    assert.ok(audit.spool_waiting.oldest_age_sec >= 300);
    // Doctor took nothing in and moved nothing.
    assert.ok((await Deno.stat(`${home}/audit/spool/s-gone-1.jsonl`)).isFile);
  },
});

Deno.test({
  name: "thoth doctor warns of a counts-lost mark ahead; health says until when",
  ignore: !posix,
  fn: async () => {
    const { dir, home } = await profile();
    const until = Date.now() + 3_600_000;
    await Deno.writeTextFile(
      `${home}/state/progressive.json`,
      JSON.stringify({ version: 1, entries: {}, distrustUntil: until }),
      { mode: 0o600 },
    );
    const doctor = await thoth(dir, ["doctor"]);
    assert.equal(doctor.code, 0, doctor.out + doctor.err);
    assert.match(
      line(doctor.out, "progressive_state"),
      new RegExp(
        `^! progressive_state +the progressive counters were lost: .* until ${
          new Date(until).toISOString().replace(/[.]/g, "\\.")
        }`,
      ),
    );
    const progressive = JSON.parse((await thoth(dir, ["health", "--json"])).out).progressive;
    assert.equal(progressive.status, "counts_lost");
    assert.equal(progressive.distrust_until, new Date(until).toISOString());
  },
});

Deno.test({
  name: "thoth doctor fails a counters file of garbage, leaves it, and health says unreadable",
  ignore: !posix,
  fn: async () => {
    const { dir, home } = await profile();
    const path = `${home}/state/progressive.json`;
    await Deno.writeTextFile(path, "garbage{", { mode: 0o600 });
    const doctor = await thoth(dir, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.out + doctor.err);
    assert.match(
      line(doctor.out, "progressive_state"),
      /^✗ progressive_state +the progressive counters ".*" cannot be read/,
    );
    assert.match(doctor.out, /hint: move it aside as a session would \(mv /);
    const progressive = JSON.parse((await thoth(dir, ["health", "--json"])).out).progressive;
    assert.equal(progressive.status, "unreadable");
    assert.equal(await Deno.readTextFile(path), "garbage{");
    assert.deepEqual([...Deno.readDirSync(`${home}/state`)].map((e) => e.name), [
      "progressive.json",
    ]);
  },
});

Deno.test({
  name: "thoth doctor fails a FIFO and a symbolic link in place of the counters, without hanging",
  ignore: !HAS_FIFO,
  fn: async () => {
    const { dir, home } = await profile();
    const path = `${home}/state/progressive.json`;
    await makeFifo(path);
    let doctor = await thoth(dir, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.out + doctor.err);
    assert.match(line(doctor.out, "progressive_state"), /cannot be read \(not a regular file\)/);
    await Deno.remove(path);
    await Deno.writeTextFile(`${dir}/elsewhere.json`, '{"version":1,"entries":{}}');
    await Deno.symlink(`${dir}/elsewhere.json`, path);
    doctor = await thoth(dir, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.out + doctor.err);
    assert.match(
      line(doctor.out, "progressive_state"),
      /symbolic link, which thoth does not follow/,
    );
    assert.ok((await Deno.lstat(path)).isSymlink);
  },
});
