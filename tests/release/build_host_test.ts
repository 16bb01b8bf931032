import assert from "node:assert/strict";
import { baseRefusal, inspectBase, resolveBase } from "../../src/release/runtime_base.ts";
import { findZipEntry, unpackBase } from "../../src/release/zip_entry.ts";
import { fakeElf, writeZip } from "./_zip.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-build-host-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const LINUX_X64 = "x86_64-unknown-linux-gnu";
/** What every denort carries: the runtime's JavaScript, and the user agent of its Deno. */
const DENORT_TEXT = ` Deno.build.standalone \0Deno/${Deno.version.deno}\0 `;

Deno.test("inspectBase() tells the full deno CLI from a denort", async () => {
  const file = await Deno.open(Deno.execPath());
  const deno = await inspectBase(file.readable);
  assert.equal(deno.fullDeno, true, "the running deno is the full CLI");
  assert.equal(
    baseRefusal({ ...deno, target: { os: "linux", arch: "x86_64" } }, LINUX_X64)?.startsWith(
      "is the full deno CLI, not a denort",
    ),
    true,
  );

  const plain = fakeElf("x86_64", `a runtime that only runs what is embedded in it${DENORT_TEXT}`);
  const facts = await inspectBase(chunked(plain, 7));
  assert.deepEqual(facts.target, { os: "linux", arch: "x86_64" });
  assert.equal(facts.fullDeno, false);
  assert.equal(facts.size, plain.length);
  assert.equal(baseRefusal(facts, LINUX_X64), undefined);

  // A marker split across two chunks is still found.
  const patched = fakeElf("aarch64", "xx Could not find denort at yy");
  const found = await inspectBase(chunked(patched, 80));
  assert.equal(found.fullDeno, true);
  assert.equal(
    baseRefusal(found, LINUX_X64),
    "is a linux/aarch64 executable, not one for x86_64-unknown-linux-gnu",
  );
  assert.equal(
    baseRefusal(await inspectBase(chunked(new Uint8Array([1, 2, 3]), 2)), LINUX_X64),
    "is not an executable",
  );
});

Deno.test("findZipEntry() and unpackBase() read stored and deflated archives, checking CRC-32", async () => {
  await withTempDir(async (dir) => {
    const data = fakeElf("x86_64", "denort ".repeat(5000));
    for (const deflate of [false, true]) {
      const zip = `${dir}/d-${deflate}.zip`;
      await writeZip(zip, "denort", data, { deflate });
      const entry = await findZipEntry(zip, ["denort"]);
      assert.equal(entry.method, deflate ? 8 : 0);
      assert.equal(entry.size, data.length);
      const file = await unpackBase(
        { source: "cache", path: zip, entry },
        dir,
        LINUX_X64,
      );
      assert.equal(file, `${dir}/denort-${LINUX_X64}`);
      assert.deepEqual(await Deno.readFile(file), data);
      await Deno.remove(file);
    }
    await writeZip(`${dir}/bad.zip`, "denort", data, { crc: 1 });
    const bad = await findZipEntry(`${dir}/bad.zip`, ["denort"]);
    await assert.rejects(
      unpackBase({ source: "cache", path: `${dir}/bad.zip`, entry: bad }, dir, LINUX_X64),
      /changed after it was checked/,
    );
    assert.equal(
      await Deno.stat(`${dir}/denort-${LINUX_X64}`).then(() => true, () => false),
      false,
    );
    await assert.rejects(findZipEntry(`${dir}/bad.zip`, ["denort.exe"]), /holds no "denort.exe"/);
    await Deno.writeTextFile(`${dir}/not.zip`, "hello");
    await assert.rejects(findZipEntry(`${dir}/not.zip`, ["denort"]), /not a zip archive/);
  });
});

Deno.test("resolveBase() passes over a DENORT_BIN or cached base that is no denort for the target, saying why", async () => {
  await withTempDir(async (dir) => {
    const version = Deno.version.deno;
    await Deno.mkdir(`${dir}/dl/release/v${version}`, { recursive: true });
    const good = fakeElf("x86_64", `runtime${DENORT_TEXT}`);
    const fullDeno = fakeElf("x86_64", "... Start the language server ...");
    await Deno.writeFile(`${dir}/good`, good);
    await Deno.writeFile(`${dir}/deno`, fullDeno);

    const fromBin = await resolveBase(LINUX_X64, `${dir}/good`, undefined);
    assert.deepEqual(fromBin, {
      base: { source: "DENORT_BIN", path: `${dir}/good` },
      passedOver: [],
    });

    const arm = await resolveBase("aarch64-unknown-linux-gnu", `${dir}/good`, undefined);
    assert.equal(arm.base, undefined);
    assert.deepEqual(arm.passedOver, [
      `DENORT_BIN is set to "${dir}/good", which is a linux/x86_64 executable, not one for ` +
      "aarch64-unknown-linux-gnu; it is not used for aarch64-unknown-linux-gnu",
    ]);

    // The full deno is passed over, and the cache is used instead when it holds a denort.
    await writeZip(`${dir}/dl/release/v${version}/denort-${LINUX_X64}.zip`, "denort", good, {
      deflate: true,
    });
    const fromCache = await resolveBase(LINUX_X64, `${dir}/deno`, `${dir}/dl`);
    assert.equal(fromCache.base?.source, "cache");
    assert.equal(fromCache.base?.entry?.name, "denort");
    assert.equal(fromCache.passedOver.length, 1);
    assert.match(
      fromCache.passedOver[0] ?? "",
      /^DENORT_BIN is set to ".*\/deno", which is the full deno CLI, not a denort/,
    );

    // A cached full deno is passed over too.
    await writeZip(`${dir}/dl/release/v${version}/denort-${LINUX_X64}.zip`, "denort", fullDeno);
    const none = await resolveBase(LINUX_X64, undefined, `${dir}/dl`);
    assert.equal(none.base, undefined);
    assert.match(none.passedOver[0] ?? "", /holds a "denort" that is the full deno CLI/);

    const missing = await resolveBase(LINUX_X64, `${dir}/nope`, undefined);
    assert.match(
      missing.passedOver[0] ?? "",
      /^DENORT_BIN is set to ".*nope", which cannot be read/,
    );
  });
});
