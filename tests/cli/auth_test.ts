import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { authCommand } from "../../src/cli/auth.ts";
import { fakeIo } from "../doctor/_helpers.ts";

Deno.test("thoth auth login explains it needs the control plane and exits 1 with hints", async () => {
  const io = fakeIo("/tmp/thoth-auth-test", { THOTH_APEX_DOMAIN: "example.com" });
  const program = new Command("thoth").addCommand(authCommand(io));
  const code = await runProgram(
    "thoth",
    program,
    ["auth", "login", "--tenant-id", "acme", "--admin-email", "ana@acme.example.com"],
    io,
  );
  const stderr = io.stderr.join("");
  assert.equal(code, 1);
  assert.match(stderr, /would sign you in at https:\/\/acme\.example\.com/);
  assert.match(stderr, /sessions\/acme--acme\.example\.com--admin-token\.jwt/);
  assert.match(stderr, /^thoth: error: thoth auth login needs the Thoth control plane/m);
  assert.match(stderr, /^thoth: hint: export THOTH_RUNTIME_BEARER_TOKEN/m);
  assert.match(
    stderr,
    /^thoth: hint: or save a break-glass API key: thoth set-api-key --api-key -$/m,
  );
  assert.deepEqual(io.stdout, []);
});
