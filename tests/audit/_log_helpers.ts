// Shared helpers for the audit tests: a clock, a sample log, and the edits an
// attacker would make to the stored files.
import { openAuditLog, type OpenAuditLogOptions } from "../../src/audit/audit_log.ts";
import { formatCheckpoint } from "../../src/audit/checkpoint.ts";
import { fromBase64, toBase64, toHex } from "../../src/audit/encoding.ts";
import type { Finding } from "../../src/audit/finding.ts";
import { leafHash } from "../../src/audit/merkle_hash.ts";
import { MerkleLevels } from "../../src/audit/merkle_levels.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths, checkpointName } from "../../src/audit/log_paths.ts";
import { stateMac, stateMacKey } from "../../src/audit/state_mac.ts";
import { encodeLogState, type LogState } from "../../src/audit/log_state.ts";
import { scanLogState } from "../../src/audit/scan_log_state.ts";
import { GENESIS_PREV } from "../../src/audit/record.ts";
import { type NoteSigner, signNote } from "../../src/audit/signed_note.ts";
import { removeOnUnload, tempFolder } from "../_temp_dirs.ts";

/** A clock that starts at `start` and moves 1 s per reading. */
export function steppingClock(start = "2026-03-01T10:00:00.000Z", stepMs = 1000): () => Date {
  let t = Date.parse(start);
  return () => new Date(t += stepMs);
}

/** Writes a log with `sessions` sessions of `calls` decisions each; returns the home. */
export async function sampleLog(
  sessions = 3,
  calls = 8,
  options: Partial<OpenAuditLogOptions> = {},
): Promise<string> {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({
    thothHome: home,
    now: steppingClock(),
    checkpointEvery: 10,
    ...options,
  });
  for (let s = 0; s < sessions; s++) {
    const session = `s-${s}`;
    await log.append({
      type: "session_start",
      session,
      server: s % 2 === 0 ? "fs" : "memory",
      commandDigest: "ab".repeat(32),
      envKeys: ["HOME", "PATH"],
    });
    for (let c = 0; c < calls; c++) {
      const decisionId = `d-${s}-${c}`;
      const verdict = c % 4 === 3 ? "block" : c % 4 === 2 ? "step_up" : "allow";
      await log.append({
        type: "decision",
        session,
        server: s % 2 === 0 ? "fs" : "memory",
        tool: c % 2 === 0 ? "read_file" : "write_file",
        decisionId,
        verdict,
        ruleIds: verdict === "allow" ? [] : ["fs-outside-data"],
        mode: "step_up",
        policyHash: "cd".repeat(32),
        intent: null,
        args: await log.redact({ path: `/data/file-${c}.txt` }),
      });
      if (verdict === "step_up") {
        await log.append({
          type: "approval",
          session,
          decisionId,
          channel: "terminal",
          approver: "ana",
          outcome: "approved",
        });
      }
    }
    await log.append({ type: "session_end", session, exitCode: 0, signal: null });
  }
  await log.close();
  return home;
}

/** The path of segment `index` (negative counts from the end). */
export async function segmentPath(home: string, index = 0): Promise<string> {
  const segments = await listSegments(`${home}/audit`);
  const name = segments.at(index);
  if (name === undefined) throw new Error(`no segment ${index}`);
  return `${home}/audit/${name}`;
}

/** The lines of a file, without the final empty one. */
export async function readLines(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").slice(0, -1);
}

/** Writes lines back, each with a newline. */
export async function writeLines(path: string, lines: readonly string[]): Promise<void> {
  await Deno.writeTextFile(path, lines.map((l) => l + "\n").join(""));
}

/**
 * Recomputes `prev` (and optionally `seq`) of every line from `from` on, as an
 * attacker without the signing key would; `resign` also re-signs checkpoint
 * records with the given key and rewrites the checkpoint files.
 */
export async function rechain(
  lines: string[],
  from: number,
  options: { renumber?: boolean; resign?: NoteSigner; home?: string } = {},
): Promise<string[]> {
  const out = [...lines];
  const leaves: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < out.length; i++) {
    if (i >= from) {
      const record = JSON.parse(out[i]!);
      if (options.renumber) record.seq = i;
      record.prev = i === 0 ? GENESIS_PREV : toHex(leaves[i - 1]!);
      if (options.resign && record.type === "checkpoint") {
        const tree = await MerkleLevels.build(leaves.slice(0, record.size));
        const root = await tree.root(record.size);
        record.root = toBase64(root);
        record.note = await signNote(
          formatCheckpoint({ origin: options.resign.name, size: record.size, root }),
          options.resign,
        );
        if (options.home) {
          await Deno.writeTextFile(
            `${options.home}/audit/checkpoints/${checkpointName(record.size)}`,
            record.note,
          );
        }
      }
      out[i] = JSON.stringify(record);
    }
    leaves.push(await leafHash(enc.encode(out[i]!)));
  }
  return out;
}

/**
 * Appends `event` to the newest segment as a correctly chained record that
 * no checkpoint covers (as a writer killed before its next checkpoint leaves
 * it); returns the segment's lines before the append.
 */
export async function appendUncovered(
  home: string,
  event: Record<string, unknown>,
): Promise<string[]> {
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const newest = lines[lines.length - 1]!;
  const record = JSON.stringify({
    v: 1,
    seq: JSON.parse(newest).seq + 1,
    ts: "2026-03-01T11:00:00.000Z",
    prev: toHex(await leafHash(new TextEncoder().encode(newest))),
    ...event,
  });
  await writeLines(path, [...lines, record]);
  return lines;
}

/** Opens the log as the next writer and appends one session start; returns its seq. */
export async function appendAsNextWriter(home: string): Promise<number> {
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  try {
    const receipt = await log.append({
      type: "session_start",
      session: "after",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    return receipt.seq;
  } finally {
    await log.close();
  }
}

/** The kinds of the tamper and warning findings, sorted and unique. */
export function kinds(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.severity !== "info").map((f) => f.kind))].sort();
}

/** A fresh Ed25519 signer under `name`. */
export async function otherSigner(name: string): Promise<NoteSigner> {
  const pair = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { name, privateKey: pair.privateKey, publicKey };
}

/** The kinds of the tamper findings only, sorted and unique. */
export function tamperKinds(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.severity === "tamper").map((f) => f.kind))].sort();
}

/** Signs the newest state and writes it as an anchor file kept off the device; returns its path. */
export async function exportAnchor(home: string, clock: string): Promise<string> {
  const log = await openAuditLog({ thothHome: home, now: steppingClock(clock) });
  const receipt = await log.checkpoint();
  await log.close();
  const path = await Deno.makeTempFile({ prefix: "thoth-anchor-", suffix: ".note" });
  removeOnUnload(path);
  await Deno.writeTextFile(path, receipt!.note);
  return path;
}

/**
 * Rewrites the writer's state file to match the segments as they are now, as
 * an attacker who edits the log and knows the format would: the state file
 * then witnesses nothing, and only signatures and anchors can tell, but it
 * carries no MAC, which `verify` names (`state_mac_removed`) beside a log
 * this release checkpointed. With `macOf: "device"` it carries the MAC a
 * writer holding the device's audit key gives it: a state a writer wrote,
 * for a test of records a writer (of any release) left, not of an attacker.
 */
export async function forgeState(
  home: string,
  options: { macOf?: "device" } = {},
): Promise<void> {
  const dir = `${home}/audit`;
  const { scanned: state, read: old } = await stateAsLogGives(home);
  state.checkpointSize = Math.min(old.checkpointSize, state.size);
  state.checkpointAt = old.checkpointAt;
  if (options.macOf === "device") {
    const raw = fromBase64((await Deno.readTextFile(auditPaths(home).hmacKey)).trim())!;
    state.mac = stateMac(stateMacKey(raw), state);
  }
  await Deno.writeFile(`${dir}/.state.json`, encodeLogState(state));
}

/**
 * The state the segments under `home` give now, as a writer's rebuild scans
 * it, and the writer's state file as it reads (taken to be one a writer
 * wrote, unchecked): what a rewrite of the state file starts from.
 */
export async function stateAsLogGives(
  home: string,
): Promise<{ scanned: LogState; read: LogState & Record<string, unknown> }> {
  const dir = `${home}/audit`;
  const { state } = await scanLogState(dir, await listSegments(dir));
  return { scanned: state, read: JSON.parse(await Deno.readTextFile(`${dir}/.state.json`)) };
}

/** Rotates the device's signing key at `clock` and writes one short session after it. */
export async function rotate(home: string, clock: string): Promise<void> {
  const log = await openAuditLog({ thothHome: home, now: steppingClock(clock) });
  await log.rotateSigningKey();
  await log.append({
    type: "session_start",
    session: "s-after",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  await log.append({ type: "session_end", session: "s-after", exitCode: 0, signal: null });
  await log.close();
}
