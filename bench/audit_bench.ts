// Audit log benchmark (a script, not a test):
//   deno run -P=test --quiet bench/audit_bench.ts [records-for-verify]
// Reports appends/s for one writer (default and "always" sync), for four
// writer processes, and the time `verify` takes over a generated log of one
// million records.
import { openAuditLog } from "../src/audit/audit_log.ts";
import { formatCheckpoint } from "../src/audit/checkpoint.ts";
import { loadDeviceKeys } from "../src/audit/device_keys.ts";
import { toBase64, toHex } from "../src/audit/encoding.ts";
import { leafHash } from "../src/audit/merkle_hash.ts";
import { MerkleFrontier } from "../src/audit/merkle_frontier.ts";
import { auditPaths, checkpointName, segmentName } from "../src/audit/log_paths.ts";
import { listSegments } from "../src/audit/log_files.ts";
import { encodeLogState } from "../src/audit/log_state.ts";
import { scanLogState } from "../src/audit/scan_log_state.ts";
import { type AuditEvent, encodeRecordLine, GENESIS_PREV } from "../src/audit/record.ts";
import { signNote } from "../src/audit/signed_note.ts";
import { verifyLocalLog } from "../src/audit/verify_log.ts";
import { joinParts } from "../src/protocol/byte_parts.ts";

const encoder = new TextEncoder();
const print = (text: string) => Deno.stdout.writeSync(encoder.encode(text + "\n"));

async function oneWriter(count: number, sync: "default" | "always"): Promise<number> {
  const home = await Deno.makeTempDir({ prefix: "thoth-bench-" });
  const log = await openAuditLog({ thothHome: home, sync });
  const args = await log.redact({ path: "/data/a.txt", mode: "w" });
  const start = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    inFlight.push(log.append({
      type: "decision",
      session: "bench",
      server: "fs",
      tool: "write_file",
      decisionId: `d-${i}`,
      verdict: "allow",
      ruleIds: [],
      mode: "block",
      policyHash: "ab".repeat(32),
      intent: null,
      args,
    }));
    if (inFlight.length >= 8) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await log.close();
  const seconds = (performance.now() - start) / 1000;
  await Deno.remove(home, { recursive: true });
  return count / seconds;
}

async function fourWriters(each: number): Promise<number> {
  const home = await Deno.makeTempDir({ prefix: "thoth-bench-" });
  const writer = new URL("../tests/fixtures/audit/writer.ts", import.meta.url).pathname;
  const root = new URL("..", import.meta.url).pathname;
  const start = performance.now();
  const children = ["a", "b", "c", "d"].map((tag) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        `--allow-read=${home},${root}`,
        `--allow-write=${home}`,
        writer,
        home,
        String(each),
        tag,
      ],
      stdout: "null",
    }).spawn()
  );
  await Promise.all(children.map((c) => c.status));
  const seconds = (performance.now() - start) / 1000;
  await Deno.remove(home, { recursive: true });
  return (4 * each) / seconds;
}

/** Records per generated session: its start, 511 calls (a decision and an outcome each), its end. */
const CALLS_PER_SESSION = 511;

/**
 * The events of sessions as a writer records them, one after another without
 * end: a verification meets what a real log holds (every outcome has its
 * decision, every session its start and end), so a clean log reads clean.
 */
function* sessionEvents(): Generator<AuditEvent, never> {
  for (let s = 0;; s++) {
    const session = `s-${s}`;
    yield {
      type: "session_start",
      session,
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: ["HOME", "PATH"],
    };
    for (let c = 0; c < CALLS_PER_SESSION; c++) {
      const decisionId = `d-${s}-${c}`;
      yield {
        type: "decision",
        session,
        server: "fs",
        tool: "read_file",
        decisionId,
        verdict: "allow",
        effect: "forwarded",
        ruleIds: [],
        mode: "block",
        policyHash: "cd".repeat(32),
        intent: null,
        args: {
          digest: "ef".repeat(32),
          shape: { t: "object", keys: { path: { t: "string", n: 11 } } },
        },
      };
      yield {
        type: "outcome",
        session,
        decisionId,
        isError: false,
        durationMs: c % 97,
        result: {
          digest: "cd".repeat(32),
          shape: { t: "object", keys: { content: { t: "array", n: 1 } } },
        },
      };
    }
    yield { type: "session_end", session, exitCode: 0, signal: null };
  }
}

/** Writes `count` records or a few more straight into segment files, as the appender would. */
async function generate(home: string, count: number): Promise<number> {
  const dir = `${home}/audit`;
  await Deno.mkdir(`${dir}/checkpoints`, { recursive: true });
  const keys = await loadDeviceKeys(home, new Date());
  const tree = new MerkleFrontier();
  let prev = GENESIS_PREV;
  let file: Deno.FsFile | undefined;
  let buffer: Uint8Array[] = [];
  const t0 = Date.parse("2026-03-01T00:00:00Z");
  const sessions = sessionEvents();
  // At least `count` records, ending with a session's end (a log with no session still running).
  let ended = false;
  for (let seq = 0; seq < count || !ended; seq++) {
    if (seq % 250_000 === 0) {
      if (file) {
        const rest = joinParts(buffer);
        let written = 0;
        while (written < rest.length) written += await file.write(rest.subarray(written));
        file.close();
      }
      buffer = [];
      file = await Deno.open(
        `${dir}/${segmentName(seq, new Date(t0 + seq * 10).toISOString().slice(0, 10))}`,
        {
          create: true,
          write: true,
          append: true,
        },
      );
    }
    const ts = new Date(t0 + seq * 10).toISOString();
    let line: string;
    if (seq > 0 && seq % 1000 === 0) {
      const root = await tree.root();
      const note = await signNote(
        formatCheckpoint({ origin: keys.signer.name, size: seq, root }),
        keys.signer,
      );
      await Deno.writeTextFile(`${dir}/checkpoints/${checkpointName(seq)}`, note);
      line = encodeRecordLine({ v: 1, seq, ts, prev }, {
        type: "checkpoint",
        size: seq,
        root: toBase64(root),
        note,
      });
    } else {
      const event = sessions.next().value;
      ended = event.type === "session_end";
      line = encodeRecordLine({ v: 1, seq, ts, prev }, event);
    }
    const bytes = encoder.encode(line);
    const leaf = await leafHash(bytes);
    await tree.append(leaf);
    prev = toHex(leaf);
    buffer.push(encoder.encode(line + "\n"));
    if (buffer.length >= 4096) {
      const joined = joinParts(buffer);
      let offset = 0;
      while (offset < joined.length) offset += await file!.write(joined.subarray(offset));
      buffer = [];
    }
  }
  const rest = joinParts(buffer);
  let written = 0;
  while (written < rest.length) written += await file!.write(rest.subarray(written));
  file?.close();
  // The writer's state file, as a writer leaves it: verify reads it as a witness.
  const { state } = await scanLogState(dir, await listSegments(dir));
  await Deno.writeFile(auditPaths(home).state, encodeLogState(state));
  return state.size;
}

const verifyCount = Number(Deno.args[0] ?? 1_000_000);
print(`one writer, default sync: ${(await oneWriter(20_000, "default")).toFixed(0)} appends/s`);
print(`one writer, sync always:  ${(await oneWriter(5_000, "always")).toFixed(0)} appends/s`);
print(`four writer processes:    ${(await fourWriters(5_000)).toFixed(0)} appends/s in total`);
const home = await Deno.makeTempDir({ prefix: "thoth-bench-" });
let t = performance.now();
const generated = await generate(home, verifyCount);
print(`generated ${generated} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
const report = await verifyLocalLog(home);
print(
  `verify over ${report.records} records: ${((performance.now() - t) / 1000).toFixed(1)} s ` +
    `(status ${report.status}, ${report.checkpoints.verified} checkpoints)`,
);
// A generated log is a clean one: anything verify finds is the generator's fault or the verifier's.
for (const finding of report.findings.filter((f) => f.severity !== "info")) {
  print(
    `  ${finding.severity} ${finding.kind} seq ${finding.seq}: ${finding.message.slice(0, 160)}`,
  );
}
await Deno.remove(home, { recursive: true });
