/**
 * How deno reads thoth's source launch flags (`launchFlagInEffect`, as deno
 * 2.9.6 was seen to read them), and `launchDrift`, which `thoth status` shows
 * for an entry whose `deno run … thoth.ts` line differs from the one
 * `wrap-config` writes: a flag missing or turned off, a word it does not
 * write (`-A`, an `--allow-*`, `--frozen=false`), the words reordered.
 */
import assert from "node:assert/strict";
import { selfCommandFor } from "../../src/cli/cli_io.ts";
import { launchDrift } from "../../src/config/wrap_entry.ts";
import {
  launchFlagCancels,
  launchFlagInEffect,
  launchFlagsOff,
  SOURCE_LAUNCH_FLAGS,
} from "../../src/platform/source_launch_flags.ts";

const FROZEN = "--frozen-lockfile";

Deno.test("launchFlagInEffect() reads --frozen-lockfile as deno does: the last value written decides", () => {
  const cases: [string[], boolean][] = [
    [[], false],
    [[FROZEN], true],
    [["--frozen"], true],
    [["--frozen=true"], true],
    [[`${FROZEN}=true`], true],
    [[FROZEN, FROZEN], true],
    [[`${FROZEN}=true`, FROZEN], true],
    [["--frozen=false", "--frozen=true"], true],
    [[`${FROZEN}=false`, FROZEN, `${FROZEN}=true`], true],
    // Any value written wins over a bare flag, before or after it.
    [[FROZEN, "--frozen=false"], false],
    [["--frozen=false", FROZEN], false],
    [[FROZEN, `${FROZEN}=false`], false],
    [[`${FROZEN}=false`, FROZEN], false],
    [["--frozen=false", "--frozen"], false],
    [[`${FROZEN}=true`, "--frozen=false"], false],
    [[`${FROZEN}=true`, `${FROZEN}=false`, FROZEN], false],
    // deno refuses these values and starts nothing; no lock at all reads any cached package.
    [[`${FROZEN}=1`], false],
    [[`${FROZEN}=TRUE`], false],
    [[FROZEN, "--no-lock"], false],
    [["--no-lock", FROZEN], false],
    // Another flag's name is not it.
    [["--frozen-lockfiles"], false],
  ];
  for (const [words, on] of cases) {
    assert.equal(launchFlagInEffect(words, FROZEN), on, words.join(" "));
  }
});

Deno.test("launchFlagInEffect() counts --no-remote and --cached-only only when no value other than true is written", () => {
  for (const flag of ["--no-remote", "--cached-only", "--no-prompt"]) {
    assert.equal(launchFlagInEffect([flag], flag), true, flag);
    assert.equal(launchFlagInEffect([`${flag}=true`], flag), true, flag);
    assert.equal(launchFlagInEffect([], flag), false, flag);
    // deno 2.9.6 ignores the value; a later deno may not: counted off.
    assert.equal(launchFlagInEffect([flag, `${flag}=false`], flag), false, flag);
    assert.equal(launchFlagInEffect([`${flag}=false`, flag], flag), false, flag);
    assert.deepEqual(launchFlagCancels([flag, `${flag}=0`, "--quiet"], flag), [`${flag}=0`]);
  }
  assert.deepEqual(launchFlagCancels([FROZEN, "--no-lock", "--frozen=false"], FROZEN), [
    "--no-lock",
    "--frozen=false",
  ]);
  assert.deepEqual(launchFlagCancels([FROZEN, "--frozen=true"], FROZEN), []);
  assert.deepEqual(launchFlagsOff([...SOURCE_LAUNCH_FLAGS]), []);
  assert.deepEqual(launchFlagsOff([...SOURCE_LAUNCH_FLAGS, "--frozen=false"]), [FROZEN]);
});

const LINE = selfCommandFor(
  "/usr/bin/deno",
  "file:///src/thoth/src/cli/thoth.ts",
  "/src/thoth/deno.json",
);
/** The line with `words` before the script. */
const plus = (...words: string[]) => [...LINE.slice(0, -1), ...words, LINE.at(-1)!];
const EXTRA = "deno runs thoth with words wrap-config does not write";

Deno.test("launchDrift() reports a flag the line has turned off by a word wrap-config does not write", () => {
  assert.equal(launchDrift(LINE), undefined);
  assert.equal(
    launchDrift(plus("--frozen=false")),
    `${EXTRA}: --frozen=false (so thoth cannot count on --frozen-lockfile)`,
  );
  assert.equal(
    launchDrift(["/usr/bin/deno", "run", "--frozen=false", ...LINE.slice(2)]),
    `${EXTRA}: --frozen=false (so thoth cannot count on --frozen-lockfile)`,
  );
  assert.equal(
    launchDrift(plus("--frozen-lockfile=false", "--no-remote=false")),
    `${EXTRA}: --frozen-lockfile=false, --no-remote=false ` +
      "(so thoth cannot count on --no-remote, --frozen-lockfile)",
  );
  assert.equal(
    launchDrift(plus("--no-lock")),
    `${EXTRA}: --no-lock (so thoth cannot count on --frozen-lockfile)`,
  );
  // In effect, yet not what wrap-config writes: wrap-config rewrites it, so it is drift.
  assert.equal(launchDrift(plus("--frozen-lockfile=true")), `${EXTRA}: --frozen-lockfile=true`);
});

Deno.test("launchDrift() reports -A, an extra --allow-*, a missing flag and a reordered line", () => {
  assert.equal(
    launchDrift(LINE.map((word) => word === "-P=thoth" ? "-A" : word)),
    `older flag set: deno runs thoth without -P=thoth; ${EXTRA}: -A`,
  );
  assert.equal(launchDrift(plus("--allow-net")), `${EXTRA}: --allow-net`);
  assert.equal(
    launchDrift(LINE.filter((word) => word !== "--no-prompt")),
    "older flag set: deno runs thoth without --no-prompt",
  );
  assert.equal(
    launchDrift(LINE.filter((word) => !word.startsWith("--config="))),
    "older flag set: deno runs thoth without --config=<deno.json>",
  );
  const swapped = [...LINE];
  [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
  assert.match(launchDrift(swapped) ?? "", /repeated or in another order/);
  assert.match(launchDrift(plus("--quiet")) ?? "", /repeated or in another order/);
  // Another deno.json or script path is not a launch word: no drift here.
  assert.equal(launchDrift(LINE.map((w) => w.replace("/src/thoth", "/home/x/thoth"))), undefined);
  assert.equal(launchDrift(["/opt/thoth/bin/thoth"]), undefined);
});
