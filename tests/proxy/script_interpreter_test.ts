import assert from "node:assert/strict";
import {
  interpreterOf,
  readScriptInterpreter,
  shebangEndsInCr,
} from "../../src/proxy/script_interpreter.ts";
import { badInterpreterError, explainSpawnError } from "../../src/proxy/upstream_spawn.ts";
import { tempDir } from "../e2e/_harness.ts";

const enc = new TextEncoder();

Deno.test("interpreterOf() reads the interpreter of a #! line, without its arguments", () => {
  assert.equal(interpreterOf(enc.encode("#!/usr/bin/env node\nx")), "/usr/bin/env");
  assert.equal(interpreterOf(enc.encode("#! /bin/sh -e\n")), "/bin/sh");
  assert.equal(interpreterOf(enc.encode("#!/bin/bash")), "/bin/bash");
  assert.equal(interpreterOf(enc.encode("\x7fELF\x02\x01")), undefined);
  assert.equal(interpreterOf(enc.encode("#!\n")), undefined);
  assert.equal(interpreterOf(enc.encode("echo hi\n")), undefined);
});

Deno.test("explainSpawnError() tells a missing interpreter from a missing command", async () => {
  await using dir = await tempDir();
  const script = `${dir.path}/server.sh`;
  await Deno.writeTextFile(script, "#!/no/such/interp\necho hi\n", { mode: 0o755 });
  assert.equal(readScriptInterpreter(script), "/no/such/interp");
  assert.equal(readScriptInterpreter(`${dir.path}/missing`), undefined);
  const error = explainSpawnError(script, new Deno.errors.NotFound("No such file or directory"));
  assert.equal(error.code, "upstream.bad_interpreter");
  assert.equal(error.exitCode, 126);
  assert.match(error.message, /interpreter "\/no\/such\/interp" \(named on its first line/);
  assert.equal(
    explainSpawnError(`${dir.path}/missing`, new Deno.errors.NotFound("x")).code,
    "upstream.not_found",
  );
  assert.match(badInterpreterError("s.sh", "/x").hints[0]!, /install "\/x"/);
});

Deno.test("shebangEndsInCr() tells a #! line saved with Windows line breaks", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assert.equal(shebangEndsInCr(bytes("#!/usr/bin/env node\r\nx")), true);
  assert.equal(shebangEndsInCr(bytes("#!/bin/sh -e\r\n")), true);
  assert.equal(shebangEndsInCr(bytes("#!/bin/sh\nx\r\n")), false);
  assert.equal(shebangEndsInCr(bytes("echo hi\r\n")), false);
  assert.equal(interpreterOf(bytes("#!/bin/sh\r\n")), "/bin/sh\r");
  assert.equal(interpreterOf(bytes("#!/bin/sh -e\r\n")), "/bin/sh");
});
