/**
 * A file where a folder of the profile must be (`approvals`, `sessions`,
 * `state`), even one chmod 700 as an earlier hint asked, fails the real
 * `thoth doctor`'s profile check with `mv X X.broken` (never `chmod`), and
 * `thoth health --json` reports the profile as not ok. A file in place of
 * the approval queue also fails the approval channel check, in the words and
 * with the remedy `thoth approvals list` gives; once it is moved aside as
 * told, both pass again.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { runThoth } from "./_thoth_process.ts";
import { shellQuote } from "../../src/doctor/shell_quote.ts";

const POSIX = Deno.build.os !== "windows";

/** A private profile with a 0700 file named `name` in it. */
async function profileWithFile(name: string) {
  const dir = await tempFolder(`thoth-${name}-file-`);
  const home = `${dir}/profile`;
  await Deno.mkdir(home, { mode: 0o700 });
  await Deno.writeTextFile(`${home}/intent_map.json`, "{}\n", { mode: 0o600 });
  const path = `${home}/${name}`;
  await Deno.writeTextFile(path, "", { mode: 0o700 });
  await Deno.chmod(path, 0o700);
  return { dir, home, path, env: { HOME: dir, THOTH_HOME: home } };
}

/** The doctor line of `id` and the hint under it. */
function doctorLine(out: string, id: string): { line: string; hint: string } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => new RegExp(`^[✓✗!] ${id} `).test(l));
  assert.ok(at >= 0, out);
  const next = lines[at + 1] ?? "";
  return { line: lines[at]!, hint: /^ +hint: /.test(next) ? next.trim() : "" };
}

for (const name of ["approvals", "sessions", "state"]) {
  Deno.test({
    name: `thoth doctor and health fail a 0700 file where the profile's "${name}" folder must be`,
    ignore: !POSIX,
    fn: async () => {
      const { dir, path, env } = await profileWithFile(name);
      const doctor = await runThoth(["doctor"], { env, cwd: dir });
      assert.equal(doctor.code, 1, doctor.out);
      const profile = doctorLine(doctor.out, "profile");
      assert.match(profile.line, /^✗ profile /);
      assert.ok(profile.line.includes(`"${path}" is a file, not a folder`), doctor.out);
      assert.ok(
        profile.hint.includes(`mv ${shellQuote(path)} ${shellQuote(`${path}.broken`)}`),
        doctor.out,
      );
      assert.ok(!profile.hint.includes(`chmod 700 ${shellQuote(path)}`), doctor.out);

      const health = await runThoth(["health", "--json"], { env, cwd: dir });
      assert.equal(health.code, 0, health.err);
      const report = JSON.parse(health.out);
      assert.equal(report.profile.ok, false);
      assert.ok(report.profile.problem.includes(`"${path}" is a file, not a folder`));
      assert.ok(report.profile.hint.includes(`${shellQuote(`${path}.broken`)}`));
      assert.match(health.err, /^thoth: profile: .* is a file, not a folder/m);
    },
  });
}

Deno.test({
  name: "a file in place of the approval queue fails doctor's approval_channels as " +
    "thoth approvals list fails, until it is moved aside",
  ignore: !POSIX,
  fn: async () => {
    const { dir, path, env } = await profileWithFile("approvals");
    const list = await runThoth(["approvals", "list"], { env, cwd: dir });
    assert.equal(list.code, 1, list.out + list.err);
    const said = list.err.split("\n").filter((l) => l.startsWith("thoth: "));
    const [error, hint] = [said[0]!.replace(/^thoth: error: /, ""), said[1]!];
    assert.match(hint, /^thoth: hint: .*mv ".*approvals" ".*approvals\.broken"$/);

    const doctor = await runThoth(["doctor"], { env, cwd: dir });
    assert.equal(doctor.code, 1, doctor.out);
    const channels = doctorLine(doctor.out, "approval_channels");
    assert.match(channels.line, /^✗ approval_channels /);
    assert.ok(channels.line.includes(error), `${channels.line}\n${error}`);
    assert.equal(`thoth: hint: ${channels.hint.replace(/^hint: /, "")}`, hint);

    // As the hint says: the queue folder is made again by thoth, and nothing fails.
    await Deno.rename(path, `${path}.broken`);
    const again = await runThoth(["doctor"], { env, cwd: dir });
    assert.match(doctorLine(again.out, "profile").line, /^✓ profile /, again.out);
    assert.match(doctorLine(again.out, "approval_channels").line, /^[!✓] approval_channels /);
    assert.equal((await runThoth(["approvals", "list"], { env, cwd: dir })).code, 0);
  },
});
