import assert from "node:assert/strict";
import { recordedUri, requestEvent } from "../../src/proxy/client_request_records.ts";

Deno.test("recordedUri() keeps a URI without user info, query or fragment, cut to 512 characters", () => {
  assert.equal(recordedUri("file:///home/ana/notes.md"), "file:///home/ana/notes.md");
  assert.equal(recordedUri("https://ana:pw@example.org/a/b?token=x#f"), "https://example.org/a/b");
  assert.equal(recordedUri("demo://resource/7#top"), "demo://resource/7");
  // An `@` after the host is part of the path.
  assert.equal(recordedUri("https://example.org/@ana/x"), "https://example.org/@ana/x");
  const long = recordedUri(`file:///${"a".repeat(600)}`);
  assert.equal(long.length, 512);
  assert.ok(long.endsWith("…"));
  // Never cut inside a surrogate pair.
  const pairs = recordedUri(`x:${"\u{1F600}".repeat(300)}`);
  assert.ok(!/[\ud800-\udbff]…$/.test(pairs), pairs.slice(-4));
});

Deno.test("requestEvent() names the resource or prompt a request asks for, and what thoth did", () => {
  const base = { session: "s-1", server: "fs" };
  const event = (facts: Parameters<typeof requestEvent>[2]) =>
    requestEvent(base.session, base.server, facts);
  assert.deepEqual(
    event({
      method: "resources/read",
      requestId: 3,
      params: { uri: "file:///a?x" },
      forwarded: true,
    }),
    {
      type: "request",
      session: "s-1",
      server: "fs",
      method: "resources/read",
      requestId: 3,
      uri: "file:///a",
      effect: "forwarded",
    },
  );
  assert.equal(
    event({ method: "prompts/get", requestId: "p", params: { name: "greet" }, forwarded: true })
      .prompt,
    "greet",
  );
  assert.equal(
    event({
      method: "completion/complete",
      requestId: 1,
      params: { ref: { type: "ref/resource", uri: "demo://t/{id}" } },
      forwarded: true,
    }).uri,
    "demo://t/{id}",
  );
  // A variant names what the governed method would: the URI of a "Resources/Read".
  const variant = event({
    method: "Resources/Read",
    requestId: undefined,
    params: { uri: "file:///k" },
    forwarded: false,
    refusal: { ruleId: "thoth.method_variant", reason: "why" },
  });
  assert.equal(variant.uri, "file:///k");
  assert.equal(variant.requestId, undefined);
  assert.equal(variant.effect, "refused");
  assert.deepEqual(variant.ruleIds, ["thoth.method_variant"]);
  assert.deepEqual(variant.reasons, ["why"]);
  // A method name is cut to 256 characters.
  assert.equal(
    event({ method: "x".repeat(300), requestId: 1, forwarded: false }).method.length,
    256,
  );
});
