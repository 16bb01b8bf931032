// A session as a thoth of a release from before state MACs writes it: chained
// records, a checkpoint signed at its end without the `thoth-state-mac v1`
// line, and the state file written back with the fields it knows changed and
// every other field kept as it read it (that release's state reader keeps
// unknown fields), so a `mac` a later release wrote stays as it was.
import { formatCheckpoint } from "../../src/audit/checkpoint.ts";
import { toBase64, toHex } from "../../src/audit/encoding.ts";
import { encodeLogStateText } from "../../src/audit/log_state.ts";
import { leafHash } from "../../src/audit/merkle_hash.ts";
import { MerkleLevels } from "../../src/audit/merkle_levels.ts";
import { checkpointName } from "../../src/audit/log_paths.ts";
import { signNote } from "../../src/audit/signed_note.ts";
import { deviceSigner } from "./_bundle_helpers.ts";
import { readLines, segmentPath, stateAsLogGives, writeLines } from "./_log_helpers.ts";

const encoder = new TextEncoder();

/**
 * One session of `calls` decisions under `home` (one segment), written at
 * `clock` as an earlier release's writer writes it; returns the seq of its
 * first record.
 */
export async function earlierReleaseSession(
  home: string,
  name: string,
  calls: number,
  clock: string,
): Promise<number> {
  const dir = `${home}/audit`;
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const first = lines.length;
  const leaves = await Promise.all(lines.map((line) => leafHash(encoder.encode(line))));
  let t = Date.parse(clock);
  const add = async (event: Record<string, unknown>) => {
    const prev = leaves.length === 0 ? "0".repeat(64) : toHex(leaves[leaves.length - 1]!);
    const line = JSON.stringify({
      v: 1,
      seq: lines.length,
      ts: new Date(t += 1000).toISOString(),
      prev,
      ...event,
    });
    lines.push(line);
    leaves.push(await leafHash(encoder.encode(line)));
  };
  await add({
    type: "session_start",
    session: name,
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  for (let c = 0; c < calls; c++) {
    await add({
      type: "decision",
      session: name,
      server: "fs",
      tool: "read_file",
      decisionId: `${name}-d-${c}`,
      verdict: "allow",
      ruleIds: [],
      mode: "block",
      policyHash: "cd".repeat(32),
      intent: null,
    });
  }
  await add({ type: "session_end", session: name, exitCode: 0, signal: null });
  // The checkpoint its close signs: no extension line.
  const size = lines.length;
  const tree = await MerkleLevels.build(leaves);
  const root = await tree.root(size);
  const signer = await deviceSigner(home);
  const note = await signNote(formatCheckpoint({ origin: signer.name, size, root }), signer);
  await Deno.writeTextFile(`${dir}/checkpoints/${checkpointName(size)}`, note);
  const offset = lines.reduce((sum, line) => sum + encoder.encode(line).length + 1, 0);
  await add({
    type: "checkpoint",
    size,
    root: toBase64(root),
    note,
    frontier: tree.frontier(size).map(toHex),
  });
  const checkpointAt = t;
  await writeLines(path, lines);
  // Its state: the fields it knows as the log now gives them, the rest as it read them.
  const { scanned: state, read } = await stateAsLogGives(home);
  const segment = path.slice(path.lastIndexOf("/") + 1);
  const written = {
    ...read,
    size: state.size,
    last: state.last,
    segment: state.segment,
    segmentBytes: state.segmentBytes,
    segmentDay: state.segmentDay,
    frontier: state.frontier,
    checkpointSize: size,
    checkpointAt,
    checkpointRecord: { segment, offset },
  };
  await Deno.writeTextFile(`${dir}/.state.json`, encodeLogStateText(written));
  return first;
}
