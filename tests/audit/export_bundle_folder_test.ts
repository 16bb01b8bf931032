/**
 * `thoth audit export` writes a bundle only into a new (or empty) folder, as
 * a whole: a second export never mixes with the first, nothing is written
 * through a link or into a FIFO, and a failed export leaves nothing under the
 * requested name.
 */
import assert from "node:assert/strict";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { writeNewFolder } from "../../src/audit/write_new_folder.ts";
import { isAppError } from "../../src/errors.ts";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";

const now = new Date("2026-03-02T00:00:00Z");

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

function refusedFolder(output: string, why: RegExp) {
  return (error: unknown) =>
    isAppError(error, "audit.output_exists") && error.exitCode === 1 &&
    error.message.includes(`"${output}"`) && why.test(error.message) &&
    error.hints.some((h) => /choose a new folder for --output, or remove/.test(h));
}

Deno.test("thoth audit export into a folder a bundle is already in is refused, and the first bundle still verifies", async () => {
  const home = await sampleLog(3, 6);
  const out = `${home}/bundle`;
  const first = await thothAudit(home, "export", "--output", out);
  assert.equal(first.code, 0, first.err);
  const before = await Deno.readTextFile(`${out}/manifest.json`);
  const second = await thothAudit(
    home,
    "export",
    "--since",
    "2026-03-01T10:00:40Z",
    "--output",
    out,
  );
  assert.equal(second.code, 1, second.out);
  assert.match(
    second.err,
    new RegExp(`the --output folder "${out}" already exists and is not empty`),
  );
  assert.match(second.err, /thoth: hint: choose a new folder for --output, or remove/);
  assert.equal(await Deno.readTextFile(`${out}/manifest.json`), before, "the first bundle stands");
  const verified = await thothAudit(home, "verify", "--bundle", out);
  assert.equal(verified.code, 0, verified.out);
  // It checked the bundle's copy, not this device's log.
  assert.match(verified.out, /^OK: the bundle's log is intact\n/);
  // The same export into a new folder works and verifies.
  const again = await thothAudit(
    home,
    "export",
    "--since",
    "2026-03-01T10:00:40Z",
    "--output",
    `${home}/bundle-2`,
  );
  assert.equal(again.code, 0, again.err);
  assert.equal((await thothAudit(home, "verify", "--bundle", `${home}/bundle-2`)).code, 0);
  assert.deepEqual(
    names(home).filter((n) => n.includes("bundle")),
    ["bundle", "bundle-2"],
    "no temporary folder is left beside them",
  );
});

Deno.test("exportBundle writes a missing folder (and its parents) or an empty one, with the mode a new folder gets", async () => {
  const home = await sampleLog(2, 4);
  const parent = await tempFolder("thoth-export-");
  for (const output of [`${parent}/new/deeper/q3`, `${parent}/empty`, `${parent}/slash/`]) {
    if (output.endsWith("empty")) await Deno.mkdir(output);
    const summary = await exportBundle(home, { output, now });
    assert.equal(summary.output, output);
    assert.deepEqual(names(output), [
      "README.md",
      "checkpoints",
      "export.note",
      "keys",
      "manifest.json",
      "records",
    ]);
    if (Deno.build.os !== "windows") {
      // Readable by an auditor under another account, as the umask allows: the modes a new
      // folder and a new file get here. Not read with `Deno.umask()`, which sets the umask of
      // the whole process (and the other test files it runs) to 0 for a moment to read it.
      const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;
      const probes = await tempFolder("thoth-export-probe-");
      await Deno.mkdir(`${probes}/folder`);
      await Deno.writeTextFile(`${probes}/file`, "");
      const folder = await mode(`${probes}/folder`);
      assert.equal(await mode(output), folder, output);
      assert.equal(await mode(`${output}/records`), folder);
      assert.equal(await mode(`${output}/manifest.json`), await mode(`${probes}/file`));
    }
    assert.equal((await thothAudit(home, "verify", "--bundle", output)).code, 0, output);
  }
  assert.deepEqual(names(parent), ["empty", "new", "slash"], "no temporary folder is left");
});

Deno.test("exportBundle refuses a link, a file or a folder with anything in it, and writes nothing there", async () => {
  const home = await sampleLog(1, 2);
  const parent = await tempFolder("thoth-export-");
  const elsewhere = `${parent}/elsewhere`;
  await Deno.mkdir(elsewhere);
  await Deno.symlink(elsewhere, `${parent}/link`);
  await Deno.writeTextFile(`${parent}/file`, "mine\n");
  await Deno.mkdir(`${parent}/full`);
  await Deno.writeTextFile(`${parent}/full/notes.txt`, "mine\n");
  const cases: [string, RegExp][] = [
    [`${parent}/link`, /is a symbolic link/],
    [`${parent}/file`, /already exists and is not a folder/],
    [`${parent}/full`, /already exists and is not empty/],
  ];
  for (const [output, why] of cases) {
    await assert.rejects(exportBundle(home, { output, now }), refusedFolder(output, why), output);
  }
  assert.deepEqual(names(elsewhere), [], "nothing was written through the link");
  assert.equal(await Deno.readTextFile(`${parent}/file`), "mine\n");
  assert.deepEqual(names(`${parent}/full`), ["notes.txt"]);
  assert.deepEqual(names(parent), ["elsewhere", "file", "full", "link"]);
});

Deno.test({
  name:
    "exportBundle refuses a folder holding a FIFO named manifest.json instead of blocking on it",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 2);
    const output = await tempFolder("thoth-export-fifo-");
    const fifo = `${output}/manifest.json`;
    await makeFifo(fifo);
    const outcome = await settlesAtOnce(
      () => exportBundle(home, { output, now }).then(() => "exported", (error) => error),
      fifo,
    );
    assert.ok(refusedFolder(output, /already exists and is not empty/)(outcome), String(outcome));
    assert.deepEqual(names(output), ["manifest.json"]);
  },
});

Deno.test("writeNewFolder() that fails halfway leaves nothing under the name, nor beside it", async () => {
  const parent = await tempFolder("thoth-new-folder-");
  const bytes = new TextEncoder().encode("x\n");
  const files = [
    { path: "records/a.jsonl", bytes },
    { path: "records/a.jsonl", bytes }, // created new: the second one fails
    { path: "manifest.json", bytes },
  ];
  for (const target of [`${parent}/missing`, `${parent}/empty`]) {
    if (target.endsWith("empty")) await Deno.mkdir(target);
    await assert.rejects(
      writeNewFolder(target, files, { flag: "--output" }),
      (error: unknown) =>
        isAppError(error, "audit.export_failed") && error.message.includes(target),
    );
  }
  assert.deepEqual(names(parent), ["empty"], "the empty folder stays empty; no partial folder");
  assert.deepEqual(names(`${parent}/empty`), []);
});
