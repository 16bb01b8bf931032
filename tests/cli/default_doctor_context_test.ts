import assert from "node:assert/strict";
import { defaultDoctorContext } from "../../src/cli/doctor.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

Deno.test("defaultDoctorContext() checks this host for the io's environment, profile and launch", () => {
  const env = { THOTH_ENV: "dev" };
  const io = { ...fakeCliIo("/nonexistent/home/.thoth", env), selfCommand: ["thoth", "-P"] };
  const validatePolicy: DoctorPlugins["validatePolicy"] = () => ({ ok: true }) as never;
  const context = defaultDoctorContext(io, { validatePolicy });
  assert.equal(context.env, env);
  assert.equal(context.thothHome, "/nonexistent/home/.thoth");
  assert.equal(context.os, Deno.build.os);
  assert.equal(context.plugins.validatePolicy, validatePolicy);
  assert.deepEqual(context.host.sandbox?.launch, ["thoth", "-P"]);
});
