// A bundle's format label says what verify checks: "thoth-audit-bundle/2"
// carries a signed export statement that must verify, "/1" (an older thoth)
// none. Relabelling a /2 bundle as /1, or dropping its label, must not drop
// that check: the traces a /2 export leaves (export.note, a README that
// describes it) make the relabel a failure, and the bundle is checked as /2.
import assert from "node:assert/strict";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { readmeFormat } from "../../src/audit/bundle_readme.ts";
import { sampleLog } from "./_log_helpers.ts";
import { asOlderBundle, exportSample, rewriteManifest } from "./_bundle_helpers.ts";
import { asOlderLog } from "./_older_log.ts";

const relabels: [string, (m: Record<string, unknown>) => void][] = [
  ['"thoth-audit-bundle/1"', (m) => {
    m["format"] = "thoth-audit-bundle/1";
  }],
  ["no format", (m) => {
    delete m["format"];
  }],
];

for (const [label, relabel] of relabels) {
  Deno.test(`verify --bundle: a /2 bundle relabelled with ${label} and its export statement removed fails`, async () => {
    const dir = await exportSample(await sampleLog(2, 4));
    await Deno.remove(`${dir}/export.note`);
    await rewriteManifest(dir, relabel);
    const report = await verifyBundle(dir);
    assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
    assert.equal(report.status, "tampered");
    const modified = report.findings.find((f) =>
      f.kind === "modified" && f.source === "manifest.json"
    );
    assert.match(modified?.message ?? "", /its format label was changed/);
    assert.ok(
      report.findings.some((f) => f.kind === "deleted" && f.source === "export.note"),
      "checked as /2: the statement is missing",
    );
    assert.ok(!report.findings.some((f) => f.kind === "period_unproven"));
  });

  Deno.test(`verify --bundle: a /2 bundle relabelled with ${label}, its export statement kept, fails naming the relabel`, async () => {
    const dir = await exportSample(await sampleLog(2, 4));
    await rewriteManifest(dir, relabel);
    const report = await verifyBundle(dir);
    assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
    assert.ok(
      report.findings.some((f) =>
        f.kind === "modified" &&
        /it carries export\.note, which only a "thoth-audit-bundle\/2" export writes/.test(
          f.message,
        )
      ),
      JSON.stringify(report.findings),
    );
  });
}

Deno.test("verify --bundle: a bundle as an older thoth wrote it, without traces of /2, only warns", async () => {
  // Records as an older thoth wrote them: its checkpoint records carried no frontier.
  const home = await sampleLog(2, 4);
  await asOlderLog(home);
  const dir = await exportSample(home);
  await asOlderBundle(dir);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
  assert.equal(report.status, "warnings");
});

Deno.test("a bundle README states its format", async () => {
  const dir = await exportSample(await sampleLog(1, 2));
  assert.equal(readmeFormat(await Deno.readTextFile(`${dir}/README.md`)), "thoth-audit-bundle/2");
  assert.equal(readmeFormat("# thoth audit evidence bundle\n"), undefined);
});
