/** `thoth health` (text and --help) says this build does not register and does not use the enforcer. */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { healthCommand } from "../../src/cli/health.ts";
import { fakeIo, testContext, withTempDir } from "../doctor/_helpers.ts";

async function health(home: string, args: string[], env: Record<string, string>) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(
    healthCommand(io, {
      context: (cliIo, plugins) =>
        testContext(cliIo.thothHome, {
          env: { ...cliIo.env },
          plugins,
          host: {
            resolveHost: () => Promise.resolve(["127.0.0.1"]),
            probeUrl: () => Promise.resolve({ reachable: true, detail: "HTTP 404" }),
          },
        }),
    }),
  );
  const code = await runProgram("thoth", program, ["health", ...args], io);
  return { code, stdout: io.stdout.join("") };
}

const TENANT = {
  THOTH_TENANT_ID: "acme",
  THOTH_USER_ID: "ana@acme.example.com",
  THOTH_APEX_DOMAIN: "example.com",
  THOTH_FLEET_ID: "fleet-eu",
};

Deno.test("thoth health's summary says no fleet registration and an enforcer not used", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await health(home, ["--probe"], TENANT);
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, /last check-in +never/);
    assert.match(
      stdout,
      /^fleet +not registered: this build does not register with the fleet or check in \(fleet id fleet-eu, would register at https:\/\/grid\.acme\.example\.com\/v1\/endpoints\/register\)$/m,
    );
    assert.match(
      stdout,
      /^enforcer +https:\/\/enforce\.acme\.example\.com \(reachable\); not used: every call is decided by the local policy$/m,
    );
  }));

Deno.test("thoth health --help says the fleet and enforcer fields mean no registration, local decisions", () =>
  withTempDir(async (home) => {
    const { stdout } = await health(home, ["--help"], {});
    assert.match(stdout, /does not register with the fleet or check in/);
    assert.match(stdout, /enforcer\.in_use is false/);
  }));
