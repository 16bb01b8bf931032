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
