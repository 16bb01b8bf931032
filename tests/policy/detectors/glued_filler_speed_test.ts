import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";
import { threadCpu } from "../../_thread_cpu.ts";

// Keys glued to filler, to each other or to look-alikes cost the secret detectors a few passes
// over the text, as the expressions with lookbehinds they replace did: each detector on each
// adversarial input (about a MiB) is held to a few passes of a loop that reads every character
// once, measured here on the same machine, not to an absolute bound that a quadratic scan stays
// under. Each is first timed at two small sizes, so a quadratic path fails in seconds rather than
// hang at full size. Keys are built from parts, so no whole credential sits in the source.

const N = 1024 * 1024;
const AWS = "AKIA" + "Q3EGRBPSXLYH7TNU";
const GITHUB = "ghp_" + "l7dXTPyLsxPFkThf4VucSmEHgaKwVJ7faC9q";
const STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc";
const JWT = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVzYWJj";
const SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";

/** Each input, about `n` characters (a MiB at full size). */
const INPUTS: Record<string, (n: number) => string> = {
  "key ids glued to each other": (n) => AWS.repeat(n / 20),
  "key id prefixes glued": (n) => "AKIA".repeat(n / 4),
  "other key id prefixes glued": (n) => "ACCA".repeat(n / 4),
  "key ids glued to a capital": (n) => (AWS + "Q").repeat(n / 21),
  "key ids between dashes": (n) => ("-" + AWS + "Q").repeat(n / 22),
  "filler, then a word": (n) => "A".repeat(n) + AWS + "QZ",
  "tokens glued to one odd character": (n) => ("x" + GITHUB + "_y").repeat(n / 44),
  "classic prefixes glued": (n) => "ghp_".repeat(n / 4),
  "fine-grained prefixes": (n) => "github_pat_".repeat(n / 11),
  "provider keys glued to a word": (n) => ("id" + STRIPE + "_v2").repeat(n / 37),
  "google keys glued": (n) => ("AIza" + "a1".repeat(17) + "Bq").repeat(n / 40),
  "google prefixes glued": (n) => "AIza".repeat(n / 4),
  "periodic runs after keys": (n) => (STRIPE + "ab".repeat(40) + "c").repeat(n / 113),
  "openai prefixes glued": (n) => "sk-".repeat(n / 3),
  "gitlab prefixes glued": (n) => "glpat-".repeat(n / 6),
  "gitlab look-alikes before dots": (n) => ("glpat-" + "x".repeat(27) + ".").repeat(n / 34),
  "jwt prefixes glued": (n) => ("q" + JWT).repeat(n / 62),
  "jwt headers after a capital": (n) => ("Q" + JWT.slice(0, 21)).repeat(n / 22),
  "jwt prefixes, then an alg": (n) => "eyJ".repeat(n / 3) + "JhbGci",
  "jwt look-alikes chained": (n) => "eyJfoofoofoo.".repeat(n / 13) + "JhbGci",
  "filler, then jwt prefixes": (n) => "z".repeat(n / 2) + "eyJ".repeat(n / 6) + "JhbGci",
  "slack prefixes glued": (n) => ("Q" + SLACK).repeat(n / 62),
  "slack look-alikes between dashes": (n) => "xoxb-aaaaaaaaaa-".repeat(n / 16),
  "slack prefixes chained": (n) => "xoxb-".repeat(n / 5),
};

/** How many passes of the reading loop one detector pass may cost, and a few ms for the clock. */
const PASSES = 12;
const SLACK_MS = 10;

/** CPU ms per pass of a loop that reads each of `text`'s characters once. */
function readingLoop(text: string): number {
  let hash = 0;
  const { cpuMs } = threadCpu(() => {
    for (let pass = 0; pass < 20; pass++) {
      for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
    }
  });
  assert.notEqual(hash, 0.5); // keeps the loop from being dropped
  return cpuMs / 20;
}

/** CPU ms `detect` costs, the least of `runs` runs (a shared machine adds time, never takes). */
function leastCpu(detect: () => unknown, runs: number): number {
  let least = Infinity;
  for (let run = 0; run < runs; run++) least = Math.min(least, threadCpu(detect).cpuMs);
  return least;
}

/**
 * Growth is timed first, from `SMALL` characters to `GROWTH` times as many: sizes at which a
 * quadratic path costs seconds, not the minutes it would at full size.
 */
const SMALL = N / 64;
const GROWTH = 4;

Deno.test("keys glued to filler, each other or look-alikes cost a few passes over the text", () => {
  const secrets = DETECTORS.filter((d) => d.kind === "secret");
  // Growth first: work that grows with the square of the input would take minutes at full size,
  // so a detector whose time at 4 times the size grows well past 4 times fails here, in seconds.
  for (const [name, input] of Object.entries(INPUTS)) {
    const small = input(SMALL);
    const larger = input(GROWTH * SMALL);
    for (const d of secrets) {
      const before = leastCpu(() => d.detect(small, undefined), 3);
      const after = leastCpu(() => d.detect(larger, undefined), 1);
      // Twice linear growth and a few ms for the clock; a quadratic path grows 16 times.
      if (after > 2 * GROWTH * before + SLACK_MS) {
        const again = leastCpu(() => d.detect(larger, undefined), 2);
        assert.ok(
          again <= 2 * GROWTH * before + SLACK_MS,
          `${d.type} on ${name}: ${before.toFixed(1)} ms, then ${
            again.toFixed(1)
          } ms at ${GROWTH} times the size`,
        );
      }
    }
  }
  const slow: string[] = [];
  for (const [name, input] of Object.entries(INPUTS)) {
    const text = input(N);
    const budget = PASSES * readingLoop(text) + SLACK_MS;
    for (const d of secrets) {
      let { cpuMs } = threadCpu(() => d.detect(text, undefined));
      // The CPU clock ticks coarsely and the machine is shared: measure an excess over 3 passes.
      if (cpuMs > budget) {
        cpuMs = threadCpu(() => [1, 2, 3].map(() => d.detect(text, undefined))).cpuMs / 3;
      }
      if (cpuMs > budget) {
        slow.push(`${d.type} on ${name}: ${cpuMs.toFixed(0)} ms, budget ${budget.toFixed(0)} ms`);
      }
    }
  }
  assert.deepEqual(slow, []);
});
