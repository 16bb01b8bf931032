// A FIFO, a link or a folder named like a segment or a checkpoint note is
// no file the writer makes, and verify never opens it: it names it
// (not_regular_file) instead of passing over it. Beside records that are all
// there it is a warning; a segment's name on one where the log holds none of
// the records that name says it held (a segment swapped for a link) is
// tampering, named beside the records lost.
import assert from "node:assert/strict";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog, segmentPath } from "./_log_helpers.ts";
import { bundleRecords, exportSample } from "./_bundle_helpers.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** `thoth audit verify [args]` with its --json findings too. */
async function verify(home: string, ...args: string[]) {
  const text = await thothAudit(home, "verify", ...args);
  const json = JSON.parse((await thothAudit(home, "verify", "--json", ...args)).out);
  return {
    code: text.code,
    out: text.out,
    findings: json.findings as { kind: string; severity: string; seq?: number; source?: string }[],
  };
}

/** The log's first segment name with its day moved on by one: a name no segment has. */
function nextDay(name: string): string {
  return name.replace(
    /-(\d{4}-\d{2})-(\d{2})\.jsonl$/,
    (_, ym, d) => `-${ym}-${String(Number(d) + 1).padStart(2, "0")}.jsonl`,
  );
}

Deno.test({
  name:
    "verify: a FIFO named like a segment or a checkpoint note beside an intact log is named, never opened",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const segment = await segmentPath(home);
    const name = nextDay(segment.slice(segment.lastIndexOf("/") + 1));
    const fifo = `${home}/audit/${name}`;
    await makeFifo(fifo);
    const note = `${home}/audit/checkpoints/cp-000000000999.note`;
    await makeFifo(note);
    const r = await settlesAtOnce(() => verify(home), fifo);
    assert.equal(r.code, 2, r.out);
    const odd = r.findings.filter((f) => f.kind === "not_regular_file");
    assert.deepEqual(
      odd.map((f) => [f.source, f.severity]),
      [[name, "warning"], ["cp-000000000999.note", "warning"]],
    );
    assert.match(r.out, new RegExp(`${name} is named as a segment of the log but is a FIFO`));
    assert.match(r.out, /cp-000000000999\.note is named as a checkpoint note but is a FIFO/);
  },
});

Deno.test("verify: links named like a segment (to a real segment) or a checkpoint note (to /dev/zero) are named", async () => {
  const home = await sampleLog(1, 4);
  const segment = await segmentPath(home);
  const name = nextDay(segment.slice(segment.lastIndexOf("/") + 1));
  await Deno.symlink(segment, `${home}/audit/${name}`);
  await Deno.symlink("/dev/zero", `${home}/audit/checkpoints/cp-000000000999.note`);
  const r = await verify(home);
  assert.equal(r.code, 2, r.out);
  assert.deepEqual(
    r.findings.filter((f) => f.kind === "not_regular_file").map((f) => [f.source, f.severity]),
    [[name, "warning"], ["cp-000000000999.note", "warning"]],
  );
  assert.ok(
    r.out.includes(
      `${name} is named as a segment of the log but is a symbolic link to "${segment}"`,
    ),
    r.out,
  );
  assert.match(
    r.out,
    /cp-000000000999\.note is named as a checkpoint note but is a symbolic link to "\/dev\/zero"/,
  );
});

Deno.test("verify: a segment swapped for a link to its copy is records lost, naming the link", async () => {
  const home = await sampleLog(1, 4);
  const segment = await segmentPath(home);
  const name = segment.slice(segment.lastIndexOf("/") + 1);
  const away = `${await tempFolder("thoth-elsewhere-")}/${name}`;
  await Deno.rename(segment, away);
  await Deno.symlink(away, segment);
  const r = await verify(home);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^RECORDS LOST: /);
  assert.doesNotMatch(r.out.split("\n")[0]!, /changed too/);
  const odd = r.findings.filter((f) => f.kind === "not_regular_file");
  assert.deepEqual(odd.map((f) => [f.source, f.severity, f.seq]), [[name, "tamper", 0]]);
  assert.ok(
    r.out.includes(`${name} is named as a segment of the log but is a symbolic link to "${away}"`),
    r.out,
  );
});

Deno.test({
  name: "verify --bundle: a FIFO named like a records file in a bundle is named, never opened",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const dir = await exportSample(home);
    const records = bundleRecords(dir);
    const name = nextDay(records.slice(records.lastIndexOf("/") + 1));
    const fifo = `${dir}/records/${name}`;
    await makeFifo(fifo);
    const r = await settlesAtOnce(() => verify(home, "--bundle", dir), fifo);
    assert.equal(r.code, 1, r.out);
    assert.ok(
      r.findings.some((f) => f.kind === "not_regular_file" && f.source === `records/${name}`),
      r.out,
    );
  },
});
