// What `thoth audit export` does around the folder it writes: the hidden
// `.NAME.<hex>.partial` folder a killed export left is removed by the next
// export to the same name once nothing has written to it for 10 minutes (a
// younger one is reported); the temporary name fits in 255 bytes whatever the
// target's name; and a target named `.` or `..` is refused before anything
// is written.
import assert from "node:assert/strict";
import { partialStem, STALE_MS } from "../../src/audit/partial_folders.ts";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { isAppError } from "../../src/errors.ts";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const now = new Date("2026-03-02T00:00:00Z");

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

/** A folder as a killed export leaves it, last written `ageMs` ago. */
async function leftover(path: string, ageMs: number): Promise<void> {
  await Deno.mkdir(`${path}/records`, { recursive: true });
  await Deno.writeTextFile(`${path}/records/seg-000000000000-2026-03-01.jsonl`, "{}\n");
  const then = new Date(Date.now() - ageMs);
  for (
    const each of [`${path}/records/seg-000000000000-2026-03-01.jsonl`, `${path}/records`, path]
  ) {
    await Deno.utime(each, then, then);
  }
}

Deno.test("thoth audit export removes an abandoned partial bundle of the same name, and reports a recent one", async () => {
  const home = await sampleLog(2, 4);
  const parent = await tempFolder("thoth-export-");
  const stale = `${parent}/.q3.0123456789ab.partial`;
  const recent = `${parent}/.q3.ba9876543210.partial`;
  const other = `${parent}/.q4.0123456789ab.partial`;
  await leftover(stale, STALE_MS + 60_000);
  await leftover(recent, 1_000);
  await leftover(other, STALE_MS + 60_000);

  const run = await thothAudit(home, "export", "--output", `${parent}/q3`);
  assert.equal(run.code, 0, run.err);
  assert.deepEqual(names(parent), [".q3.ba9876543210.partial", ".q4.0123456789ab.partial", "q3"]);
  assert.match(run.err, new RegExp(`thoth: removed "${stale}", an unfinished bundle`));
  assert.match(
    run.err,
    new RegExp(`thoth: warning: "${recent}" is an unfinished bundle of another export`),
  );
  assert.match(run.err, new RegExp(`thoth: hint: .*rm -r "${recent}"`));
  assert.equal((await thothAudit(home, "verify", "--bundle", `${parent}/q3`)).code, 0);
});

Deno.test("exportBundle() writes a bundle whose name is 240 characters, its temporary name within 255 bytes", async () => {
  const home = await sampleLog(1, 2);
  const parent = await tempFolder("thoth-export-");
  for (const name of ["b".repeat(240), "é".repeat(127)]) {
    const output = `${parent}/${name}`;
    const summary = await exportBundle(home, { output, now });
    assert.equal(summary.output, output);
    assert.ok(names(parent).includes(name));
    assert.equal((await thothAudit(home, "verify", "--bundle", output)).code, 0);
  }
  assert.deepEqual(names(parent).length, 2, "no temporary folder is left");
  const stem = await partialStem("b".repeat(240));
  assert.ok(new TextEncoder().encode(`.${stem}.0123456789ab.partial`).length <= 255);
  assert.equal(await partialStem("b".repeat(240)), stem, "the same name, the same stem");
  assert.notEqual(await partialStem("b".repeat(239) + "c"), stem);
  assert.equal(await partialStem("q3"), "q3");
});

Deno.test("thoth audit export refuses --output ending in . or .. before writing anything", async () => {
  const home = await sampleLog(1, 2);
  const parent = await tempFolder("thoth-export-");
  await Deno.mkdir(`${parent}/x`);
  for (const output of [".", "..", `${parent}/x/.`, `${parent}/x/..`, `${parent}/x/./`]) {
    const run = await thothAudit(home, "export", "--output", output);
    assert.equal(run.code, 2, `${output}: ${run.err}`);
    assert.match(run.err, /ends in "\.\.?": it must name the new folder itself/, output);
    assert.match(run.err, /thoth: hint: give --output a new folder's name/, output);
    assert.doesNotMatch(run.err, /while the bundle was written/);
  }
  await assert.rejects(
    exportBundle(home, { output: `${parent}/x/..`, now }),
    (error: unknown) => isAppError(error, "audit.output_name"),
  );
  assert.deepEqual(names(parent), ["x"]);
  assert.deepEqual(names(`${parent}/x`), []);
});
