import assert from "node:assert/strict";
import { compareVersions } from "../../src/release/semver.ts";
import { checkUpdateUrl, isLoopbackHost, signatureUrl } from "../../src/release/update_url.ts";
import { parseReleaseManifest, pickAsset } from "../../src/release/release_manifest.ts";
import { executableTarget } from "../../src/release/binary_target.ts";
import { isAppError } from "../../src/errors.ts";

Deno.test("compareVersions() follows semver precedence", () => {
  const ordered = [
    "0.1.0",
    "0.2.0-alpha",
    "0.2.0-alpha.1",
    "0.2.0-alpha.beta",
    "0.2.0-beta.2",
    "0.2.0-beta.11",
    "0.2.0-rc.1",
    "0.2.0",
    "0.10.0",
    "1.0.0",
  ];
  for (let i = 0; i + 1 < ordered.length; i++) {
    assert.equal(
      compareVersions(ordered[i] as string, ordered[i + 1] as string),
      -1,
      `${ordered[i]} < ${ordered[i + 1]}`,
    );
    assert.equal(compareVersions(ordered[i + 1] as string, ordered[i] as string), 1);
  }
  assert.equal(compareVersions("v1.2.3+build.7", "1.2.3"), 0);
  assert.throws(() => compareVersions("1.2", "1.2.0"), (e) => isAppError(e, "release.bad_version"));
});

Deno.test("checkUpdateUrl() allows https and loopback http only", () => {
  assert.equal(checkUpdateUrl("https://example.com/m.json").host, "example.com");
  assert.equal(checkUpdateUrl("http://127.0.0.1:8080/m.json").port, "8080");
  assert.equal(checkUpdateUrl("http://localhost/m.json").hostname, "localhost");
  assert.equal(checkUpdateUrl("http://[::1]:9/m").hostname, "[::1]");
  assert.equal(
    checkUpdateUrl("thoth-linux-x86_64", "https://r.example/v1/m.json").href,
    "https://r.example/v1/thoth-linux-x86_64",
  );
  for (
    const bad of [
      "http://example.com/m.json",
      "http://127.0.0.1.example.com/m",
      "file:///etc/passwd",
      "ftp://x/y",
      "http://10.0.0.1/m",
    ]
  ) {
    assert.throws(() => checkUpdateUrl(bad), (e) => isAppError(e, "release.insecure_url"), bad);
  }
  assert.throws(
    () => checkUpdateUrl("https://u:p@example.com/"),
    (e) => isAppError(e, "release.bad_url"),
  );
  assert.equal(isLoopbackHost("127.255.0.1"), true);
  assert.equal(isLoopbackHost("128.0.0.1"), false);
});

Deno.test("parseReleaseManifest() and pickAsset() read the v1 format", () => {
  const manifest = parseReleaseManifest(JSON.stringify({
    schema: "thoth.release-manifest/v1",
    version: "0.2.0",
    checksums: "checksums.sha256",
    assets: {
      "thoth-linux-x86_64": "thoth-linux-x86_64",
      "thoth-macos-arm64": "a",
      "thoth-macos-universal": "u",
    },
  }));
  assert.equal(pickAsset(manifest, "thoth", "linux", "x86_64"), "thoth-linux-x86_64");
  assert.equal(pickAsset(manifest, "thoth", "darwin", "aarch64"), "thoth-macos-universal");
  assert.throws(
    () => pickAsset(manifest, "thoth", "windows", "x86_64"),
    (e) => isAppError(e, "release.no_asset"),
  );
  for (
    const bad of [
      "{",
      JSON.stringify({ schema: "x", version: "0.2.0", checksums: "c", assets: {} }),
      JSON.stringify({
        schema: "thoth.release-manifest/v1",
        version: "latest",
        checksums: "c",
        assets: {},
      }),
      JSON.stringify({
        schema: "thoth.release-manifest/v1",
        version: "1.0.0",
        checksums: "c",
        assets: { "../x": "y" },
      }),
      JSON.stringify({
        schema: "thoth.release-manifest/v1",
        version: "1.0.0",
        checksums: "c",
        assets: {},
        extra: 1,
      }),
    ]
  ) {
    assert.throws(
      () => parseReleaseManifest(bad),
      (e) => isAppError(e, "release.bad_manifest"),
      bad,
    );
  }
});

Deno.test("parseReleaseManifest() shows no query of a URL the JSON parser quotes", () => {
  assert.throws(
    () => parseReleaseManifest(`{"a":x://?t=SECRET}`),
    (e) =>
      isAppError(e, "release.bad_manifest") && e.message.includes("x://?…") &&
      !e.message.includes("SEC"),
  );
});

Deno.test("executableTarget() reads ELF, Mach-O, fat and PE headers", async () => {
  const host = executableTarget((await Deno.readFile(Deno.execPath())).subarray(0, 4096));
  const want = { linux: "linux", darwin: "darwin", windows: "windows" }[Deno.build.os as string];
  assert.equal(host?.os, want);
  assert.equal(host?.arch, Deno.build.arch);

  const elfArm = new Uint8Array(64);
  elfArm.set([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
  elfArm[18] = 183;
  assert.deepEqual(executableTarget(elfArm), { os: "linux", arch: "aarch64" });
  const macho = new Uint8Array([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 0x01]);
  assert.deepEqual(executableTarget(macho), { os: "darwin", arch: "aarch64" });
  const fat = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]);
  assert.deepEqual(executableTarget(fat), { os: "darwin", arch: "universal" });
  const pe = new Uint8Array(256);
  pe.set([0x4d, 0x5a]);
  pe[0x3c] = 0x80;
  pe.set([0x50, 0x45, 0, 0, 0x64, 0x86], 0x80);
  assert.deepEqual(executableTarget(pe), { os: "windows", arch: "x86_64" });
  assert.equal(executableTarget(new TextEncoder().encode("#!/bin/sh\n")), undefined);
});

Deno.test("signatureUrl() appends .sig to the path and keeps the query", () => {
  const cases: [string, string][] = [
    ["https://r.example/v1/checksums.sha256", "https://r.example/v1/checksums.sha256.sig"],
    [
      "https://bucket.s3.example/checksums.sha256?X-Amz-Signature=abc&X-Amz-Expires=60",
      "https://bucket.s3.example/checksums.sha256.sig?X-Amz-Signature=abc&X-Amz-Expires=60",
    ],
    ["https://r.example/checksums.sha256?t=1#frag", "https://r.example/checksums.sha256.sig?t=1"],
    ["http://127.0.0.1:8080/a%20b/sums", "http://127.0.0.1:8080/a%20b/sums.sig"],
  ];
  for (const [checksums, signature] of cases) {
    assert.equal(signatureUrl(new URL(checksums)).href, signature);
  }
});
