/**
 * What the real `thoth audit verify` says of an anchor, in words that agree
 * with its findings: an anchor the log ends before proved the cut (the
 * summary, the finding and the closing note say so, none says it was not
 * verified or that records could be removed undetected); another log's
 * anchor leads the report with the origin mismatch; a bundle's own
 * checkpoint given as its anchor is named as proving nothing beyond the
 * bundle. Logs by the real writer under temp THOTH_HOMEs.
 */
import assert from "node:assert/strict";
import { runThoth } from "../cli/_thoth_process.ts";
import { forgeState, readLines, sampleLog, segmentPath, writeLines } from "./_log_helpers.ts";
import { checkpointName } from "../../src/audit/log_paths.ts";

function thoth(home: string, ...args: string[]) {
  return runThoth(args, { env: { THOTH_HOME: home, HOME: home }, cwd: home });
}

/** Exports the newest checkpoint of `home` with the real CLI; returns the anchor's path. */
async function anchorOf(home: string): Promise<string> {
  const file = `${home}-anchor.note`;
  const r = await thoth(home, "audit", "checkpoint", "--export", file);
  assert.equal(r.code, 0, r.out + r.err);
  return file;
}

/**
 * Removes the newest `n` records of the log under `home`, from whichever
 * segments hold them; returns how many records are left.
 */
async function cutNewest(home: string, n: number): Promise<number> {
  while (n > 0) {
    // The newest segment: one emptied by the cut is removed, and the one before is next.
    const segment = await segmentPath(home, -1);
    const lines = await readLines(segment);
    const cut = Math.min(n, lines.length);
    if (cut === lines.length) await Deno.remove(segment);
    else await writeLines(segment, lines.slice(0, lines.length - cut));
    n -= cut;
  }
  const last = JSON.parse((await readLines(await segmentPath(home, -1))).at(-1)!);
  return last.seq + 1;
}

Deno.test("verify --anchor: an anchor the log ends before proved the cut, and every line says so", async () => {
  const home = await sampleLog(3, 8);
  const anchor = await anchorOf(home);
  const size = Number((await Deno.readTextFile(anchor)).split("\n")[1]);
  // The newest records cut, the checkpoint notes past the cut deleted, the state file rewritten.
  const left = await cutNewest(home, 3);
  for (const entry of Deno.readDirSync(`${home}/audit/checkpoints`)) {
    if (entry.name > checkpointName(left)) {
      await Deno.remove(`${home}/audit/checkpoints/${entry.name}`);
    }
  }
  await forgeState(home, { macOf: "device" });

  const r = await thoth(home, "audit", "verify", "--anchor", anchor);
  assert.equal(r.code, 1, r.out + r.err);
  const out = r.out.trimEnd().split("\n");
  assert.match(
    out[1]!,
    new RegExp(
      `; anchor at size ${size} signed by a trusted key, and the log ends before it: records were removed \\(see below\\)$`,
    ),
  );
  const truncated = out.find((l) => l.startsWith("  tamper  truncated"));
  assert.match(
    truncated ?? "",
    new RegExp(
      `the log ends before seq \\d+ but the anchor given \\(a checkpoint kept off the device\\) covers ${size} records`,
    ),
  );
  const notice = out.at(-1)!;
  assert.match(notice, /The anchor given proves that records were cut from the end of this log/);
  assert.doesNotMatch(r.out, /NOT verified|not verified against|could be removed undetected/);
});

Deno.test("verify --anchor: another log's anchor leads with the origin mismatch", async () => {
  const home = await sampleLog(2, 4);
  const other = await sampleLog(3, 8);
  const anchor = await anchorOf(other);
  const r = await thoth(home, "audit", "verify", "--anchor", anchor);
  assert.equal(r.code, 1, r.out + r.err);
  const lines = r.out.trimEnd().split("\n");
  assert.match(lines[0]!, /^TAMPERED: this log and its keys are not the anchor's/);
  assert.match(lines[1]!, /; anchor at size \d+ NOT verified: it is not this log's/);
  const findings = lines.filter((l) => /^ {2}(tamper|warning|info|unverified) /.test(l));
  assert.match(
    findings[0]!,
    /^ {2}tamper {2}unknown_key seq \d+: this log and its keys are not the anchor's/,
  );
  assert.match(lines.at(-1)!, /The anchor given is not this log's/);
  assert.doesNotMatch(lines.at(-1)!, /could be removed undetected/);
});

Deno.test("verify --bundle --anchor: the bundle's own checkpoint as the anchor is named as proving nothing beyond it", async () => {
  const home = await sampleLog(2, 4);
  const bundle = `${home}-bundle`;
  const exported = await thoth(home, "audit", "export", "--output", bundle);
  assert.equal(exported.code, 0, exported.out + exported.err);
  const own = [...Deno.readDirSync(`${bundle}/checkpoints`)].map((e) => e.name).sort().at(-1)!;
  const r = await thoth(
    home,
    "audit",
    "verify",
    "--bundle",
    bundle,
    "--anchor",
    `${bundle}/checkpoints/${own}`,
  );
  assert.equal(r.code, 0, r.out + r.err);
  const lines = r.out.split("\n");
  assert.match(
    lines[1]!,
    new RegExp(
      `verified, but it is this bundle's own checkpoints/${own}: it proves nothing beyond the bundle`,
    ),
  );
  assert.ok(
    lines.some((l) =>
      l.startsWith(`  info    anchor_in_bundle`) && l.includes(`checkpoints/${own}`)
    ),
    r.out,
  );
  // An anchor exported off the device (it carries its key) is no copy of any of them.
  const apart = await anchorOf(home);
  const checked = await thoth(home, "audit", "verify", "--bundle", bundle, "--anchor", apart);
  assert.doesNotMatch(checked.out, /anchor_in_bundle|proves nothing beyond/);
});
