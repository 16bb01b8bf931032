/**
 * The `policy.invalid` error `parsePolicy` throws, with every problem it
 * found as data (line, column, key path, message) beside the text of its
 * message and hints, so `thoth policy check` can list them all (and
 * `--json` as data, for a script), past the few hints `thoth run` prints.
 *
 * @example
 * ```ts
 * const error = new InvalidPolicyError('policy "p.jsonc" line 1 column 28: default: …', [], [
 *   { line: 1, column: 28, key: "default", message: 'expected "allow", "step_up" or "block"' },
 * ]);
 * error.problems[0]?.key; // "default"
 * ```
 */
import { AppError } from "../errors.ts";

/** One problem of a policy file, where it stands and what is wrong. */
export interface PolicyProblem {
  /** 1-based line of the file. */
  line: number;
  /** 1-based column (UTF-16 code units) on that line. */
  column: number;
  /** The key path (`rules[0].decision`), `syntax` for a JSONC syntax error, `(policy)` for the whole. */
  key: string;
  /** What is wrong there, without the file, line and column. */
  message: string;
}

/** `policy.invalid`, with every problem found. */
export class InvalidPolicyError extends AppError {
  /** Every problem, in file order. */
  readonly problems: readonly PolicyProblem[];
  /** The hints with every problem after the first listed, where `hints` may count the rest. */
  readonly everyHint: readonly string[];

  constructor(
    message: string,
    hints: readonly string[],
    problems: readonly PolicyProblem[],
    everyHint: readonly string[] = hints,
  ) {
    super("policy.invalid", message, { hints });
    this.problems = problems;
    this.everyHint = everyHint;
  }

  /** The same error, its hints listing every problem (`thoth policy check`'s). */
  listingEveryProblem(): InvalidPolicyError {
    return new InvalidPolicyError(this.message, this.everyHint, this.problems);
  }
}
