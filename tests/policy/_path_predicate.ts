// How the path tests ask one predicate about one value: as a rule that blocks
// (any reading may match) or as one that allows (every reading must).
import { compilePredicate, type PathOptions } from "../../src/policy/compile_predicate.ts";

/** A predicate as a rule's `args` entry holds it. */
export type Predicate = Parameters<typeof compilePredicate>[1];

/** Whether a rule that blocks with `predicate` on `path` matches `value`. */
export function blocks(predicate: Predicate, value: string, options: PathOptions = {}): boolean {
  return compilePredicate("path", predicate, "some", options).test([value]);
}

/** Whether a rule that allows with `predicate` on `path` matches `value`. */
export function allows(predicate: Predicate, value: string, options: PathOptions = {}): boolean {
  return compilePredicate("path", predicate, "every", options).test([value]);
}
