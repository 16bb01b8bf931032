/**
 * A file a file browser leaves in a copied bundle (`.DS_Store`, `._*`,
 * `Thumbs.db`, `desktop.ini`) still fails `verify --bundle` (the signed
 * manifest does not list it), but the report says what happened: a file was
 * added after the export and the records verify, and, for those names, to
 * remove it or copy the bundle again, then verify again. Before, the verdict
 * read "the audit log was changed", with no advice.
 */
import assert from "node:assert/strict";
import { sampleLog } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { exportSample } from "./_bundle_helpers.ts";

for (
  const clutter of [".DS_Store", "records/._seg.jsonl", "Thumbs.db", "checkpoints/desktop.ini"]
) {
  Deno.test(`verify --bundle names ${clutter} as an added file with what to do`, async () => {
    const home = await sampleLog(1, 4);
    const dir = await exportSample(home);
    await Deno.writeFile(`${dir}/${clutter}`, new Uint8Array([0, 0, 0, 1, 66, 117, 100, 49]));
    const r = await thothAudit(home, "verify", "--bundle", dir);
    assert.equal(r.code, 1, r.out);
    const [headline] = r.out.split("\n");
    assert.match(
      headline!,
      /^TAMPERED: a file was added to the bundle after export \(its manifest does not list it\); the records verify; it is file-browser metadata, not thoth's: remove it, or copy the bundle again from the original, then verify again$/,
    );
    assert.doesNotMatch(r.out, /the audit log was changed/);
    assert.match(
      r.out,
      new RegExp(
        `bundle file ${
          clutter.replace(/\./g, "\\.")
        } is not listed in the manifest \\(added after the export\\): its name is one of .*; remove it, or copy the bundle again from the original, then verify again`,
      ),
    );
    await Deno.remove(`${dir}/${clutter}`);
    assert.equal((await thothAudit(home, "verify", "--bundle", dir)).code, 0, "the advice works");
  });
}

Deno.test("verify --bundle: an added file of another name is named, without the clutter advice", async () => {
  const home = await sampleLog(1, 4);
  const dir = await exportSample(home);
  await Deno.writeTextFile(`${dir}/notes.txt`, "all verified\n");
  await Deno.writeTextFile(`${dir}/.DS_Store`, "x");
  const r = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    /^TAMPERED: 2 files were added to the bundle after export \(its manifest does not list them\); the records verify\n/,
  );
  assert.match(
    r.out,
    /bundle file notes\.txt is not listed in the manifest \(added after the export\)\n/,
  );
});

Deno.test("verify --bundle: an added file beside a changed record keeps the plain verdict", async () => {
  const home = await sampleLog(1, 4);
  const dir = await exportSample(home);
  await Deno.writeTextFile(`${dir}/.DS_Store`, "x");
  const name = [...Deno.readDirSync(`${dir}/records`)][0]!.name;
  const path = `${dir}/records/${name}`;
  await Deno.writeTextFile(path, (await Deno.readTextFile(path)).replace('"allow"', '"block"'));
  const r = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /^TAMPERED: the audit log was changed\n/);
});
