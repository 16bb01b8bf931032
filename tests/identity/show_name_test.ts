import assert from "node:assert/strict";
import { looksLikeKey, looksLikeSecret, showName } from "../../src/identity/shown_env_value.ts";

Deno.test("showName() shows long names of words as they are, though the value rule hides them", () => {
  for (
    const name of ["calendar_management", "records_review_2024", "server-filesystem-prod-east", "x"]
  ) {
    assert.equal(looksLikeKey(name), false, name);
    assert.equal(showName(name), JSON.stringify(name));
  }
  assert.equal(looksLikeSecret("calendar_management"), true, "the broader rule for values");
});

Deno.test("showName() hides a key pasted where a name goes", () => {
  for (
    const key of [
      "AKIAIOSFODNN7EXAMPLE",
      "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
      "9f86d081884c7d659a2feaa0c55ad015",
      "xK9mP2vL7qR4tZw8Yb3N",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
    ]
  ) {
    assert.equal(looksLikeKey(key), true, key);
    assert.match(showName(key), /^\(value hidden: it looks like a key or token, fingerprint /);
    assert.ok(!showName(key).includes(key));
  }
});

Deno.test("showName() shows names of separated parts: dates, versions and UUIDs", () => {
  for (
    const name of [
      "audit_2026_12_05",
      "2026-12-05T10:30:00",
      "release-1.24.3-rc.2",
      "v2026.12.05",
      "3f2b8c1e-4a5d-4e6f-9a7b-1c2d3e4f5a6b",
      "tenant:3F2B8C1E-4A5D-4E6F-9A7B-1C2D3E4F5A6B",
    ]
  ) {
    assert.equal(looksLikeKey(name), false, name);
    assert.equal(showName(name), JSON.stringify(name));
  }
});

Deno.test("showName() still hides keys by prefix, by shape and by a long random part", () => {
  for (
    const key of [
      "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
      "sk_live_51HqLyjWDarjtT1zdp7dc",
      "AKIAIOSFODNN7EXAMPLE",
      "d41d8cd98f00b204e9800998ecf8427e",
      "intent_d41d8cd98f00b204e9800998ecf8427e",
      "Qz7xW2pLm9KbT4vRn8Ys",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]
  ) {
    assert.equal(looksLikeKey(key), true, key);
    assert.ok(!showName(key).includes(key), key);
  }
});
