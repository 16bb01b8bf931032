/**
 * Set-ups the `thoth audit checkpoint --export FILE` tests share: a sample
 * log whose first checkpoint is already exported as an anchor, and an export
 * aimed at a FIFO (which must settle at once, never hang).
 *
 * @example
 * ```ts
 * const { home, file } = await exportedAnchor();
 * const r = await thothAudit(home, "checkpoint", "--export", file);
 * ```
 */
import assert from "node:assert/strict";
import { sampleLog } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { makeFifo, settlesAtOnce } from "../platform/_fifo.ts";

/** A sample log (1 writer, 4 records) and `anchor.note` in its home, written by `checkpoint --export`. */
export async function exportedAnchor(): Promise<{ home: string; file: string }> {
  const home = await sampleLog(1, 4);
  const file = `${home}/anchor.note`;
  assert.equal((await thothAudit(home, "checkpoint", "--export", file)).code, 0);
  return { home, file };
}

/** `checkpoint --export` at a FIFO in a sample log's home: what it settles with (it fails the test if it hangs). */
export async function exportToFifo(): Promise<{ code: number; out: string; err: string }> {
  const home = await sampleLog(1, 2);
  const fifo = `${home}/anchor.fifo`;
  await makeFifo(fifo);
  return await settlesAtOnce(() => thothAudit(home, "checkpoint", "--export", fifo), fifo);
}
