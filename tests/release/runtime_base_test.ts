/**
 * A runtime base must be a denort of the Deno that compiles with it: any other
 * executable with the right header (a reviewer used `/bin/true` patched for
 * arm64) is refused, saying what was expected.
 */
import assert from "node:assert/strict";
import { baseRefusal, inspectBase, resolveBase } from "../../src/release/runtime_base.ts";
import { fakeElf } from "./_zip.ts";

const ARM64 = "aarch64-unknown-linux-gnu";
const V = Deno.version.deno;

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function refusal(body: string, chunk = 4096, version = V): Promise<string | undefined> {
  const facts = await inspectBase(chunked(fakeElf("aarch64", body), chunk), version);
  return baseRefusal(facts, ARM64, version);
}

Deno.test("baseRefusal() refuses an executable that carries no Deno runtime", async () => {
  const why = await refusal("just a program that exits 0");
  assert.equal(
    why,
    'is not a denort: it carries no Deno runtime (no "Deno.build.standalone"); expected the ' +
      `denort of Deno ${V} for ${ARM64} (denort-${ARM64}.zip of the v${V} release)`,
  );
  // The version alone is not enough, nor the runtime alone.
  assert.match(await refusal(`Deno/${V}`) ?? "", /^is not a denort: it carries no Deno runtime/);
  assert.match(
    await refusal("Deno.build.standalone") ?? "",
    new RegExp(`^is not a denort of Deno ${V.replaceAll(".", "\\.")}, which compiles with it`),
  );
});

Deno.test("baseRefusal() refuses a denort of another Deno version", async () => {
  const runtime = "x Deno.build.standalone x";
  assert.match(await refusal(`${runtime} Deno/1.46.3\0`, 4096, "2.9.6") ?? "", /not a denort of/);
  assert.match(await refusal(`${runtime} Deno/2.9.60\0`, 4096, "2.9.6") ?? "", /Deno 2\.9\.6/);
  assert.match(await refusal(`${runtime} Deno/2.9.6-rc.1`, 4096, "2.9.6") ?? "", /Deno 2\.9\.6/);
  assert.equal(await refusal(`${runtime} Deno/2.9.6Deno/2.9.6+e518fbd`, 4096, "2.9.6"), undefined);
  assert.equal(await refusal(`${runtime} Deno/2.9.6`, 4096, "2.9.6"), undefined, "at the end");
});

Deno.test("inspectBase() finds the marks across chunk boundaries", async () => {
  const body = `${"a".repeat(50)}Deno.build.standalone${"b".repeat(33)}Deno/2.9.6${"c".repeat(9)}`;
  for (const size of [1, 2, 7, 13, 64, 70, 75, 4096]) {
    assert.equal(await refusal(body, size, "2.9.6"), undefined, `chunks of ${size}`);
    const wrong = body.replace("Deno/2.9.6c", "Deno/2.9.61");
    assert.match(await refusal(wrong, size, "2.9.6") ?? "", /not a denort of Deno/, `${size}`);
  }
});

Deno.test("resolveBase() passes over a DENORT_BIN that is no denort, naming it and what was expected", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-runtime-base-" });
  try {
    const fake = fakeElf("aarch64", "/bin/true with its header patched for arm64");
    await Deno.writeFile(`${dir}/fake`, fake);
    const { base, passedOver } = await resolveBase(ARM64, `${dir}/fake`, undefined);
    assert.equal(base, undefined);
    assert.equal(
      passedOver[0],
      `DENORT_BIN is set to "${dir}/fake", which is not a denort: it carries no Deno runtime ` +
        `(no "Deno.build.standalone"); expected the denort of Deno ${V} for ${ARM64} ` +
        `(denort-${ARM64}.zip of the v${V} release); it is not used for ${ARM64}`,
    );
    await Deno.writeFile(
      `${dir}/denort`,
      fakeElf("aarch64", `Deno.build.standalone\0Deno/${V}\0`),
    );
    const real = await resolveBase(ARM64, `${dir}/denort`, undefined);
    assert.deepEqual(real, {
      base: { source: "DENORT_BIN", path: `${dir}/denort` },
      passedOver: [],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
