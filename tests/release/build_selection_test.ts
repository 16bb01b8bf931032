import assert from "node:assert/strict";
import { selectBinaries, selectTargets } from "../../src/release/build_selection.ts";
import { leftoverAssets, releaseAssetNames } from "../../src/release/leftover_assets.ts";
import { unusedPins } from "../../src/release/base_pin.ts";
import { RELEASE_BINARIES } from "../../src/release/build_plan.ts";
import { RELEASE_TARGETS } from "../../src/release/targets.ts";
import { isAppError } from "../../src/errors.ts";

const LINUX = "x86_64-unknown-linux-gnu";

Deno.test("selectBinaries() keeps each binary once, in the order first named", () => {
  assert.deepEqual(selectBinaries("thoth,thoth,thothctl").map((b) => b.name), [
    "thoth",
    "thothctl",
  ]);
  assert.deepEqual(selectBinaries(" thothctl , thoth,thothctl").map((b) => b.name), [
    "thothctl",
    "thoth",
  ]);
  assert.deepEqual(selectBinaries(undefined), [...RELEASE_BINARIES]);
  assert.throws(
    () => selectBinaries("thoth,thot"),
    (e) => isAppError(e, "usage.bad_flag") && e.exitCode === 2 && /"thot"/.test(e.message),
  );
  assert.throws(() => selectBinaries(","), (e) => isAppError(e, "usage.empty_list"));
});

Deno.test("selectTargets() keeps each target once, however it is named", () => {
  assert.deepEqual(selectTargets("host,linux-x86_64,x86_64-unknown-linux-gnu", LINUX), [LINUX]);
  assert.deepEqual(selectTargets(undefined, LINUX), RELEASE_TARGETS.map((t) => t.triple));
  assert.equal(selectTargets("linux-arm64,all", LINUX).length, RELEASE_TARGETS.length);
  assert.throws(() => selectTargets("linux-mips", LINUX), (e) => e instanceof Error);
});

Deno.test("leftoverAssets() names the release assets present that the plan does not make", () => {
  const present = [
    "thoth-linux-x86_64",
    "thothctl-linux-arm64",
    "thoth-macos-universal",
    "thoth-windows-x86_64.exe",
    "thoth-linux-x86_64.bak",
    "thoth-notes.txt",
    "checksums.sha256",
    "README",
  ];
  assert.deepEqual(leftoverAssets(present, new Set(["thoth-linux-x86_64"])), [
    "thoth-macos-universal",
    "thoth-windows-x86_64.exe",
    "thothctl-linux-arm64",
  ]);
  assert.deepEqual(leftoverAssets(["thoth-linux-x86_64"], new Set(["thoth-linux-x86_64"])), []);
  // Every binary for every target, and each universal merge.
  assert.equal(
    releaseAssetNames().size,
    RELEASE_BINARIES.length * (RELEASE_TARGETS.length + 1),
  );
});

Deno.test("unusedPins() names each pin for a target the build does not build", () => {
  const pins = new Map(
    [
      ["x86_64-pc-windows-msvc", "ab".repeat(32)],
      [LINUX, "cd".repeat(32)],
    ] as const,
  );
  const unused = unusedPins(pins, [LINUX]);
  assert.deepEqual(unused.map((u) => u.target), ["x86_64-pc-windows-msvc"]);
  assert.match(
    unused[0]?.note ?? "",
    new RegExp(`^--base-sha256 pins x86_64-pc-windows-msvc \\(${"ab".repeat(32)}\\), .*unused`),
  );
  assert.deepEqual(unusedPins(pins, [LINUX, "x86_64-pc-windows-msvc"]), []);
});
