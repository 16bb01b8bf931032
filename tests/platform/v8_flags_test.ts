import assert from "node:assert/strict";
import { THOTH_V8_FLAGS } from "../../src/platform/v8_flags.ts";
import { COMPILE_FIXED_FLAGS } from "../../src/release/build_plan.ts";
import { selfCommandFor } from "../../src/cli/cli_io.ts";

Deno.test("every way of starting thoth passes the same V8 flags", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  for (const task of ["thoth", "thothctl"]) {
    assert.ok(
      (config.tasks[task] as string).split(" ").includes(THOTH_V8_FLAGS),
      `deno task ${task} must run with ${THOTH_V8_FLAGS}`,
    );
  }
  assert.ok(COMPILE_FIXED_FLAGS.includes(THOTH_V8_FLAGS), "compiled binaries");
  assert.ok(
    selfCommandFor("/usr/bin/deno", "file:///src/cli/thoth.ts", "/src/deno.json")
      .includes(THOTH_V8_FLAGS),
    "thoth starting itself from source",
  );
});
