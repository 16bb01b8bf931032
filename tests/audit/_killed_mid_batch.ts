/**
 * A writer process killed between writing a batch's records and counting
 * them (`_killed_mid_batch_writer.ts`), what it leaves, and the next writer
 * after it, for the tests of records past the count. Everything writes
 * under the THOTH_HOME a test passes (a temp folder).
 *
 * @example
 * ```ts
 * await killedMidBatch(home, 3, 4);
 * const counted = await stateSize(home); // (await allRecords(home)).length - 4
 * await nextWriterSession(home, "after");
 * ```
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { readLines } from "./_log_helpers.ts";

/** A record of the log, as parsed from its line. */
export type Rec = Record<string, unknown>;

const killedWriter = new URL("./_killed_mid_batch_writer.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;

/**
 * Runs a writer process that counts `counted` records, writes `uncounted`
 * more in one batch, and is killed before counting them (its intent left in
 * .pending); the checkpoints folder it replaced by a file is back after.
 */
export async function killedMidBatch(
  home: string,
  counted: number,
  uncounted: number,
): Promise<void> {
  const status = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${config}`,
      `--allow-read=${home},${root}`,
      `--allow-write=${home}`,
      killedWriter,
      home,
      String(counted),
      String(uncounted),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(status.signal, "SIGKILL", new TextDecoder().decode(status.stderr));
  await Deno.remove(`${home}/audit/checkpoints`);
  await Deno.mkdir(`${home}/audit/checkpoints`);
}

/** Every record of every segment under `home`, oldest first. */
export async function allRecords(home: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for (const name of await listSegments(`${home}/audit`)) {
    for (const line of await readLines(`${home}/audit/${name}`)) out.push(JSON.parse(line));
  }
  return out;
}

/**
 * Keeps the first `size` records of the log: what a kill during the write of
 * the records after them leaves. Cuts the last segment; returns its first seq.
 */
export async function cutTo(home: string, size: number): Promise<number> {
  const [name] = (await listSegments(`${home}/audit`)).slice(-1);
  const path = `${home}/audit/${name}`;
  const lines = await readLines(path);
  const first = JSON.parse(lines[0]!).seq as number;
  await Deno.writeTextFile(path, lines.slice(0, size - first).join("\n") + "\n");
  return first;
}

/** The `tail_taken_in` records among `records`. */
export const tails = (records: Rec[]): Rec[] =>
  records.filter((r) => r["type"] === "tail_taken_in");

/** How many records the writer's state file counts. */
export const stateSize = async (home: string): Promise<number> =>
  JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)).size as number;

/**
 * Opens the log as the next writer (on `now`, the real clock by default, as
 * the killed writer's) and writes one short session named `name`.
 */
export async function nextWriterSession(
  home: string,
  name: string,
  now?: () => Date,
): Promise<void> {
  const log = await openAuditLog({ thothHome: home, ...(now === undefined ? {} : { now }) });
  try {
    await log.append({
      type: "session_start",
      session: name,
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.append({ type: "session_end", session: name, exitCode: 0, signal: null });
  } finally {
    await log.close();
  }
}
