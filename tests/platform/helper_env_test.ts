/**
 * thoth's own helper programs (`ps`, `readlink`, `cat`, `ioreg`/`reg`) run
 * with `PATH` and nothing else of thoth's environment: fake helpers first on
 * `PATH` write the environment they were given to a file, which must hold
 * no credential.
 */
import assert from "node:assert/strict";
import { psField } from "../../src/platform/ps_field.ts";
import { probeHostIdentity } from "../../src/approval/host_identity.ts";
import { denoMachineIdAccess } from "../../src/platform/machine_id.ts";
import { helperEnv } from "../../src/platform/helper_env.ts";
import { tempFolder } from "../_temp_dirs.ts";

const SECRETS = {
  THOTH_API_KEY: "k-helper-env-test-1",
  THOTH_AUTH_TOKEN: "t-helper-env-test-2",
  THOTH_RUNTIME_BEARER_TOKEN: "b-helper-env-test-3",
  THOTH_ENFORCER_URL: "https://user:pw@example.com/",
  SOME_OTHER_SECRET: "s-helper-env-test-4",
};

/** A folder of fake helpers, each writing its environment to `<dump>.<name>` and printing `out`. */
async function fakeHelpers(names: Record<string, string>): Promise<{ bin: string; dump: string }> {
  const bin = await tempFolder("thoth-helper-env-");
  const dump = `${bin}/dump`;
  for (const [name, out] of Object.entries(names)) {
    await Deno.writeTextFile(
      `${bin}/${name}`,
      `#!/bin/sh\nenv > '${dump}.${name}'\nprintf '%s\\n' '${out}'\n`,
    );
    await Deno.chmod(`${bin}/${name}`, 0o755);
  }
  return { bin, dump };
}

/** Runs `body` with `bin` first on PATH and thoth's credentials set, then puts both back. */
async function withEnv(bin: string, body: () => Promise<void>): Promise<void> {
  const before = new Map(
    ["PATH", ...Object.keys(SECRETS)].map((name) => [name, Deno.env.get(name)]),
  );
  Deno.env.set("PATH", `${bin}:${before.get("PATH") ?? "/usr/bin:/bin"}`);
  for (const [name, value] of Object.entries(SECRETS)) Deno.env.set(name, value);
  try {
    await body();
  } finally {
    for (const [name, value] of before) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

function assertNoSecrets(text: string, helper: string): void {
  assert.match(text, /^PATH=/m, `${helper} got PATH`);
  for (const [name, value] of Object.entries(SECRETS)) {
    assert.ok(!text.includes(name), `${helper} got ${name}:\n${text}`);
    assert.ok(!text.includes(value), `${helper} got the value of ${name}`);
  }
}

Deno.test({
  name: "psField() runs the ps found on PATH with PATH alone, no credential",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { bin, dump } = await fakeHelpers({ ps: "4242" });
    await withEnv(bin, async () => {
      assert.equal(await psField(Deno.pid, "ppid"), "4242");
    });
    assertNoSecrets(await Deno.readTextFile(`${dump}.ps`), "ps");
  },
});

Deno.test({
  name: "probeHostIdentity() runs readlink and cat with PATH alone, no credential",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { bin, dump } = await fakeHelpers({
      readlink: "pid:[4026531836]",
      cat: "7757a212-0000-4000-8000-000000000001",
    });
    await withEnv(bin, async () => {
      // The tests' permissions are not all granted, so /proc is closed to Deno: the helpers answer.
      const identity = await probeHostIdentity("linux");
      assert.deepEqual(identity, {
        pidNamespace: "pid:[4026531836]",
        bootId: "7757a212-0000-4000-8000-000000000001",
      });
    });
    assertNoSecrets(await Deno.readTextFile(`${dump}.readlink`), "readlink");
    assertNoSecrets(await Deno.readTextFile(`${dump}.cat`), "cat");
  },
});

Deno.test({
  name: "the machine id's command (ioreg, reg) runs with PATH alone, no credential",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { bin, dump } = await fakeHelpers({ ioreg: "answer" });
    await withEnv(bin, async () => {
      const out = await denoMachineIdAccess.runCommand(
        `${bin}/ioreg`,
        [],
        new AbortController().signal,
      );
      assert.equal(out, "answer\n");
    });
    assertNoSecrets(await Deno.readTextFile(`${dump}.ioreg`), "ioreg");
  },
});

Deno.test("helperEnv() keeps PATH (and SystemRoot on Windows) only", () => {
  const path = Deno.env.get("PATH");
  assert.deepEqual(helperEnv("linux"), path === undefined ? {} : { PATH: path });
  const root = Deno.env.get("SystemRoot");
  assert.deepEqual(helperEnv("windows"), {
    ...(path === undefined ? {} : { PATH: path }),
    ...(root === undefined ? {} : { SystemRoot: root }),
  });
});
