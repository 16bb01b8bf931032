import assert from "node:assert/strict";
import { formatChecksums, parseChecksums } from "../../src/release/checksums.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { isAppError } from "../../src/errors.ts";

Deno.test('sha256Hex() matches the FIPS 180-2 vector for "abc"', async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("formatChecksums() writes sorted sha256sum lines that sha256sum -c accepts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-sums-" });
  try {
    const files = { "thoth-linux-x86_64": "one\n", "thoth-windows-x86_64.exe": "two\n" };
    const entries = [];
    for (const [name, text] of Object.entries(files).reverse()) {
      const bytes = new TextEncoder().encode(text);
      await Deno.writeFile(`${dir}/${name}`, bytes);
      entries.push({ name, sha256: await sha256Hex(bytes) });
    }
    const text = formatChecksums(entries);
    assert.match(
      text,
      /^[0-9a-f]{64} {2}thoth-linux-x86_64\n[0-9a-f]{64} {2}thoth-windows-x86_64\.exe\n$/,
    );
    await Deno.writeTextFile(`${dir}/checksums.sha256`, text);
    const check = await new Deno.Command("sha256sum", {
      args: ["-c", "checksums.sha256"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
    assert.deepEqual(
      parseChecksums(text),
      new Map(entries.map((e) => [e.name, e.sha256])),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseChecksums() accepts binary markers and CRLF, refuses garbage", () => {
  const d = "A".repeat(64);
  assert.equal(parseChecksums(`${d} *thoth\r\n\n`).get("thoth"), "a".repeat(64));
  assert.throws(
    () => parseChecksums("abc  thoth\n"),
    (e) => isAppError(e, "release.bad_checksums"),
  );
  assert.throws(
    () => parseChecksums(`${"a".repeat(64)}  x\n${"b".repeat(64)}  x\n`),
    (e) => isAppError(e, "release.bad_checksums"),
  );
});
