/**
 * The manifest and compile checks a reviewer found missing: a set that
 * grants every kind unscoped is `-A`; every set is pinned to its ceiling;
 * a compiled binary must not prompt.
 */
import assert from "node:assert/strict";
import { checkPermissions } from "../../src/release/permission_check.ts";
import { checkCeilings, PERMISSION_CEILINGS } from "../../src/release/permission_ceiling.ts";
import { planBuild, RELEASE_BINARIES } from "../../src/release/build_plan.ts";

const EVERY = { read: true, write: true, net: true, env: true, sys: true, run: true, ffi: true };

Deno.test("checkPermissions() reports a set granting every kind unscoped as allow-all", () => {
  const found = checkPermissions({ permissions: { wide: EVERY } }, []);
  assert.deepEqual(found.map((f) => `${f.code} ${f.where}`), ['allow_all permission set "wide"']);
  assert.match(found[0]?.message ?? "", /same as -A/);
  // One kind scoped, or one denied in part, is not every permission.
  for (
    const set of [
      { ...EVERY, net: ["127.0.0.1"] },
      { ...EVERY, read: { allow: true, deny: ["/etc"] } },
    ]
  ) {
    assert.deepEqual(checkPermissions({ permissions: { s: set } }, []), []);
  }
});

Deno.test("checkCeilings() pins each set to its ceiling, by kind and by value", () => {
  assert.deepEqual(checkCeilings(PERMISSION_CEILINGS), [], "a ceiling is within itself");
  const codes = (sets: Record<string, unknown>) =>
    checkCeilings(sets).map((f) => `${f.where}: ${f.message.split(" beyond")[0]}`);
  assert.deepEqual(codes({ thothctl: { read: true, run: ["git"] } }), [
    'permission set "thothctl": grants run',
  ]);
  assert.deepEqual(codes({ thoth: { sys: ["hostname", "cpus"], ffi: ["/x.so"] } }), [
    'permission set "thoth": grants ffi, sys',
  ]);
  assert.deepEqual(codes({ build: { write: ["./dist", "./src"] } }), [
    'permission set "build": grants write',
  ]);
  assert.deepEqual(codes({ check_permissions: { all: true } }), [
    'permission set "check_permissions": grants all',
  ]);
  assert.deepEqual(codes({ test: { net: ["localhost"], sys: true, read: { allow: true } } }), []);
  const unknown = checkCeilings({ wide: { read: true } });
  assert.equal(unknown[0]?.code, "above_ceiling");
  assert.match(unknown[0]?.message ?? "", /^has no ceiling in src\/release\/permission_ceiling/);
  // A name like a property of every object is no ceiling either.
  assert.equal(checkCeilings({ constructor: { read: true } })[0]?.code, "above_ceiling");
});

Deno.test("checkPermissions() reports a compile command without --no-prompt", () => {
  const sets = { thoth: { read: true }, thothctl: { read: true } };
  const plan = planBuild({
    root: "/r",
    outDir: "/r/dist",
    deno: "deno",
    importMap: "/r/dist/.stamp/im.json",
    binaries: RELEASE_BINARIES,
    targets: ["x86_64-unknown-linux-gnu"],
    permissionSets: sets,
  });
  const compiles = plan.compiles.map((c) => ({ label: c.asset, set: c.set, argv: c.argv }));
  assert.deepEqual(checkPermissions({ permissions: sets }, compiles), []);
  const prompting = compiles.map((c) => ({
    ...c,
    argv: c.argv.filter((a) => a !== "--no-prompt"),
  }));
  assert.deepEqual(
    checkPermissions({ permissions: sets }, prompting).map((f) => `${f.code} ${f.where}`),
    ["no_prompt compile thoth-linux-x86_64", "no_prompt compile thothctl-linux-x86_64"],
  );
  // As the program's own argument, after the entry, it does not count (and is baked in).
  const after = compiles.map((c) => ({
    ...c,
    argv: [...c.argv.filter((a) => a !== "--no-prompt"), "--no-prompt"],
  }));
  assert.deepEqual(
    checkPermissions({ permissions: sets }, after).map((f) => `${f.code} ${f.where}`),
    [
      "compile_mismatch compile thoth-linux-x86_64",
      "no_prompt compile thoth-linux-x86_64",
      "compile_mismatch compile thothctl-linux-x86_64",
      "no_prompt compile thothctl-linux-x86_64",
    ],
  );
});
