/**
 * DecisionSpool: a write that fails half-way (the disk full, here a file size
 * limit) leaves no torn part for the next line to be glued to, and readSpool
 * still finds a whole line written after a torn part. Real files under a temp
 * folder; the short write is real, in a child process run under `ulimit -f`.
 */
import assert from "node:assert/strict";
import { DecisionSpool, readSpool } from "../../src/audit/decision_spool.ts";
import { tempDir } from "../e2e/_harness.ts";
import { spoolMacOf } from "./_spool_mac.ts";

const child = `
import { DecisionSpool } from ${
  JSON.stringify(new URL("../../src/audit/decision_spool.ts", import.meta.url).href)
};
import { SpoolMac } from ${
  JSON.stringify(new URL("../../src/audit/spool_mac.ts", import.meta.url).href)
};
import { loadDeviceKeys } from ${
  JSON.stringify(new URL("../../src/audit/device_keys.ts", import.meta.url).href)
};
const { hmacRaw } = await loadDeviceKeys(Deno.args[0], new Date());
const spool = DecisionSpool.open(Deno.args[0], "s-torn", Date.now, new SpoolMac(hmacRaw));
const out = [];
const event = (id, pad) => ({ type: "decision", session: "s-torn", decisionId: id, reasons: [pad] });
for (const [id, pad] of [["d-1", "a"], ["d-2", "b".repeat(6000)], ["d-3", "c"]]) {
  try {
    spool.write(event(id, pad));
    out.push(id + ":ok");
  } catch (error) {
    out.push(id + ":" + (error?.code ?? error?.name));
  }
}
console.log(out.join(" "));
`;

Deno.test("DecisionSpool cuts a line a failed write left half-written, so the next one stays whole", async () => {
  await using dir = await tempDir("thoth-spool-torn-");
  // The device keys are made here: the child, under a file size limit, only reads them.
  const mac = await spoolMacOf(dir.path);
  const script = `${dir.path}/child.mjs`;
  await Deno.writeTextFile(script, child);
  // Past 4 KiB a write is cut short, then refused (EFBIG), as on a full disk.
  const run = await new Deno.Command("bash", {
    args: [
      "-c",
      `trap '' XFSZ; ulimit -f 4; exec "${Deno.execPath()}" run --no-config --allow-read --allow-write "$0" "$1"`,
      script,
      dir.path,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const said = new TextDecoder().decode(run.stdout).trim();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  assert.match(
    said,
    /^d-1:ok d-2:\S+ d-3:ok$/,
    `the big record fails, the next one is written: ${said}`,
  );
  assert.doesNotMatch(said, /d-2:ok/);
  const path = `${DecisionSpool.dir(dir.path)}/s-torn-1.jsonl`;
  const lines = (await Deno.readTextFile(path)).split("\n");
  assert.equal(lines.pop(), "", "the file ends with a whole line");
  assert.match(
    lines.shift()!,
    /^#spool_opened \d+\t[0-9a-f]{64}$/,
    "the file starts with its header",
  );
  assert.deepEqual(
    lines.map((l) => JSON.parse(l.slice(0, l.lastIndexOf("\t"))).decisionId),
    ["d-1", "d-3"],
    "nothing of the failed record is left in the spool",
  );
  assert.deepEqual(readSpool(path, mac).map((e) => (e as { decisionId?: string }).decisionId), [
    "d-1",
    "d-3",
  ]);
});

Deno.test("readSpool keeps a whole record written after a torn part on the same line", async () => {
  await using dir = await tempDir("thoth-spool-torn-");
  const mac = await spoolMacOf(dir.path);
  const lineMac = mac.forSession("s-x");
  // The file's chain: a torn part is signed where it stood, and never moves it on.
  const { line: header, chain } = lineMac.header("s-x-1.jsonl", 1);
  const body = (id: string) =>
    JSON.stringify({
      type: "decision",
      session: "s-x",
      decisionId: id,
      // A nested object that starts as an event does must not be taken for one.
      answer: { type: "form", value: { type: "x" } },
    });
  const whole = (id: string) => lineMac.line(chain, body(id));
  const part = (id: string, bytes: number) =>
    new TextDecoder().decode(lineMac.sign(chain, body(id))).slice(0, bytes);
  const path = `${dir.path}/s-x-1.jsonl`;
  const d1 = whole("d-1");
  const torn = part("d-torn", 90);
  assert.match(torn, /\{"type":"form"/, "the torn part holds a nested start too");
  const d2 = whole("d-2");
  const d3 = whole("d-3");
  await Deno.writeTextFile(
    path,
    `${header}\n${d1}\n${torn}${d2}\n{"type":"decis${d3}\n${part("d-4", 30)}`,
  );
  assert.deepEqual(
    readSpool(path, mac).map((e) => (e as { decisionId?: string }).decisionId),
    ["d-1", "d-2", "d-3"],
    "a torn part is dropped, the record after it kept, a torn last line left out",
  );
});
