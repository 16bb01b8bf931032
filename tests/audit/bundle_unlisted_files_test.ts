/**
 * `verify --bundle` reports every file its manifest does not list (besides
 * manifest.json and export.note): an extra checkpoint or note put beside the
 * evidence after the export is tampering, whatever its name.
 */
import assert from "node:assert/strict";
import { sampleLog } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { exportSample } from "./_bundle_helpers.ts";

async function unlisted(home: string, dir: string): Promise<{ code: number; sources: string[] }> {
  const r = await thothAudit(home, "verify", "--json", "--bundle", dir);
  const report = JSON.parse(r.out) as {
    findings: { kind: string; severity: string; source?: string; message: string }[];
  };
  return {
    code: r.code,
    sources: report.findings
      .filter((f) =>
        f.kind === "inserted" && f.severity === "tamper" && /not listed/.test(f.message)
      )
      .map((f) => f.source ?? ""),
  };
}

Deno.test("verify --bundle passes a bundle as exported", async () => {
  const home = await sampleLog(2, 4);
  const dir = await exportSample(home);
  assert.deepEqual(await unlisted(home, dir), { code: 0, sources: [] });
});

for (const extra of ["extra.txt", "checkpoints/zz.txt", "keys/more/notes.md"]) {
  Deno.test(`verify --bundle reports ${extra}, a file its manifest does not list, as tampering`, async () => {
    const home = await sampleLog(2, 4);
    const dir = await exportSample(home);
    await Deno.mkdir(`${dir}/${extra.slice(0, extra.lastIndexOf("/") + 1) || "."}`, {
      recursive: true,
    });
    await Deno.writeTextFile(`${dir}/${extra}`, "size 999: all records verified\n");
    assert.deepEqual(await unlisted(home, dir), { code: 1, sources: [extra] });
    const text = await thothAudit(home, "verify", "--bundle", dir);
    assert.match(text.out, new RegExp(`bundle file ${extra} is not listed in the manifest`));
  });
}

Deno.test("verify --bundle reports a link it does not list, without following it", async () => {
  const home = await sampleLog(2, 4);
  const dir = await exportSample(home);
  await Deno.symlink(`${home}/audit`, `${dir}/more`);
  assert.deepEqual(await unlisted(home, dir), { code: 1, sources: ["more"] });
});
