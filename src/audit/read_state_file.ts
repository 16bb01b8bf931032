/**
 * What the writer's state file says, for `thoth audit verify`: the witness
 * it holds, or that there is none ("missing"), that it is empty, or that it
 * cannot be read (with why), and its text as read. Thin I/O.
 *
 * @example
 * ```ts
 * const { state, text } = await readStateFile(auditPaths(thothHome).state);
 * ```
 */
import { readStateSettled } from "./read_state_settled.ts";
import { readStateWitness } from "./state_witness.ts";
import type { LocalTraces } from "./local_traces.ts";

/** The state file as `verify` read it. */
export type StateRead = Pick<LocalTraces, "state"> & { stateProblem?: string; text?: string };

/**
 * Reads the state file at `path`. A writer rewrites it in place, so a read
 * that lands mid-write is tried again before the file counts as unreadable.
 * One that is not a regular file (a FIFO would block the read) is never
 * opened, and it, like one that cannot be read, is the warning `state_lost`:
 * the state file is a witness that can only add findings, never a reason not
 * to verify.
 */
export async function readStateFile(path: string): Promise<StateRead> {
  for (let attempt = 1;; attempt++) {
    let text: string;
    try {
      text = await readStateSettled(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return { state: "missing" };
      return { state: "unreadable", stateProblem: readProblem(error) };
    }
    if (text.trim() === "") return { state: "empty" };
    const witness = readStateWitness(text);
    if (witness !== undefined) return { state: witness, text };
    if (attempt === 3) return { state: "unreadable", stateProblem: "it is not a state file" };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Why a file could not be read, as a message says it. */
function readProblem(error: unknown): string {
  if (error instanceof Deno.errors.InvalidData) return "it is not a regular file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
