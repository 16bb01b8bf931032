/**
 * thoth.approval_command reads a long adversarial text in work linear in its
 * length: each shape the review found slow (a redirection after each word,
 * `1 1>`, here-strings, `\x61` escapes, comments, substitutions, calls in
 * code) is read at 100 KB within a fixed number of character visits per
 * character (a number that does not grow with the length for a linear
 * reading). The work is counted, not timed: the string and regular
 * expression methods the reading calls are wrapped for the length of one
 * call, and each call counts the characters it had to look at (a regular
 * expression's backtracking inside one search is not seen: the reading
 * keeps its expressions anchored or reads backwards by hand). So each shape
 * is timed too, at sixteen times a small length against that length, from
 * small sizes up: a square path (such backtracking) takes 256 times as long
 * and fails there, in seconds.
 */
import assert from "node:assert/strict";
import { runsApprovalCommand } from "../../src/policy/approval_commands.ts";
import { FULL_LENGTH, repeated, setShapeLength, SHAPES } from "./_approval_work_shapes.ts";

/**
 * The characters the string and regular expression methods looked at while
 * `read` ran: a search counts what it passed over (the whole rest of the
 * text when it found nothing), a slice its length, a `charCodeAt` one.
 */
function workOf(read: () => void): number {
  const proto = String.prototype;
  const exec = RegExp.prototype.exec;
  const { indexOf, slice, charCodeAt } = proto;
  let work = 0;
  RegExp.prototype.exec = function (this: RegExp, input: string) {
    const from = this.global || this.sticky ? this.lastIndex : 0;
    const found = exec.call(this, input);
    // A sticky search that fails looks at its start only.
    if (found === null) work += this.sticky ? 1 : input.length - from;
    else work += found.index + found[0].length - from;
    return found;
  };
  proto.indexOf = function (this: string, needle: string, from = 0) {
    const at = indexOf.call(this, needle, from);
    work += at === -1 ? this.length - from : at - from + needle.length;
    return at;
  };
  proto.slice = function (this: string, start?: number, end?: number) {
    const part = slice.call(this, start, end);
    work += part.length;
    return part;
  };
  proto.charCodeAt = function (this: string, at: number) {
    work++;
    return charCodeAt.call(this, at);
  };
  try {
    read();
  } finally {
    RegExp.prototype.exec = exec;
    proto.indexOf = indexOf;
    proto.slice = slice;
    proto.charCodeAt = charCodeAt;
  }
  return work;
}

/** Character visits allowed per character of the arguments: generous, but no square. */
const WORK_PER_CHARACTER = 400;

Deno.test("runsApprovalCommand() reads each adversarial 100 KB shape in linear work", () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    const args = shape();
    const length = JSON.stringify(args).length;
    const work = workOf(() => runsApprovalCommand(args, "code_execution"));
    assert.ok(
      work <= WORK_PER_CHARACTER * length,
      `${name}: ${work} character visits for ${length} characters`,
    );
  }
});

Deno.test("runsApprovalCommand() reads a mosh in a mosh's command in the work of an ssh in ssh's", () => {
  // mosh's words are read both ways (as POSIXLY_CORRECT leaves them too): read again both ways at
  // each depth, each depth would double the work; ssh's one reading is the measure.
  const perCharacter = (args: unknown) =>
    workOf(() => runsApprovalCommand(args, "code_execution")) / JSON.stringify(args).length;
  const length = 20_000;
  const tail = " thoth approvals lisst";
  const mosh = perCharacter({ command: "mosh h " + repeated("mosh -a h ", length) + tail });
  const ssh = perCharacter({ command: "ssh h " + repeated("ssh -a h ", length) + tail });
  assert.ok(mosh <= 1.5 * ssh, `${mosh.toFixed(1)} visits per character, ssh's ${ssh.toFixed(1)}`);
});

/**
 * The timed ladder: each shape at `n` and at `GROWTH * n` characters, `n` from
 * small up, so that a path that is quadratic in the length (a regular
 * expression that backtracks, which {@linkcode workOf} cannot see) fails
 * at a size where it still takes seconds, not minutes. A rung below 4,000
 * characters judges almost no shape (it reads them in under
 * {@linkcode MIN_JUDGED_MS}).
 */
const LADDER = [4_000, 16_000];

/** How many times longer the second text of a rung is. */
const GROWTH = 16;

/**
 * Sixteen times the length may take this many times as long at most: linear
 * is 16 (more on a loaded machine, caches and the collector at work), square
 * 256; the gap between them keeps a busy CI runner from failing linear code.
 */
const MAX_TIME_RATIO = 64;

/**
 * Below this many milliseconds at `n` a ratio is noise (the timer, the JIT,
 * caches that hold a small text whole): the next rung decides, and the
 * longer text is not timed.
 */
const MIN_JUDGED_MS = 3;

/** How many times a rung is measured before a ratio too high fails: a pause is not a square. */
const ATTEMPTS = 3;

/** The least wall time of `runs` runs of `runsApprovalCommand` on `args`, in milliseconds. */
function leastTime(args: unknown, runs: number): number {
  let least = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    runsApprovalCommand(args, "code_execution");
    least = Math.min(least, performance.now() - start);
  }
  return least;
}

/**
 * The wall time ratio of `shape` at `GROWTH * n` to that at `n`, judged or
 * too fast to judge (then the longer text is not timed). The shorter text
 * is timed three times (its least time, which a pause cannot inflate); the
 * longer `largeRuns` times: once first, since a pause only makes the ratio
 * higher, and a ratio too high is measured again.
 */
function timeRatio(
  shape: () => unknown,
  n: number,
  largeRuns: number,
): { ratio: number; judged: boolean; text: string } {
  setShapeLength(n);
  const small = leastTime(shape(), 3);
  if (small < MIN_JUDGED_MS) {
    return { ratio: 0, judged: false, text: `${small.toFixed(1)} ms at ${n} characters` };
  }
  setShapeLength(GROWTH * n);
  const large = leastTime(shape(), largeRuns);
  const text = `${large.toFixed(1)} ms at ${GROWTH * n} characters, ${small.toFixed(1)} ms at ${n}`;
  return { ratio: large / small, judged: true, text };
}

Deno.test("runsApprovalCommand() takes time linear in each adversarial shape's length", () => {
  try {
    for (const [name, shape] of Object.entries(SHAPES)) {
      for (const n of LADDER) {
        let measured = timeRatio(shape, n, 1);
        for (let attempt = 1; attempt < ATTEMPTS && measured.ratio >= MAX_TIME_RATIO; attempt++) {
          measured = timeRatio(shape, n, 3);
        }
        assert.ok(measured.ratio < MAX_TIME_RATIO, `${name}: ${measured.text}`);
        // One rung judged settles the shape: no higher one is timed.
        if (measured.judged) break;
      }
    }
  } finally {
    setShapeLength(FULL_LENGTH);
  }
});
