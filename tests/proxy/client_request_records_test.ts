import assert from "node:assert/strict";
import {
  recordedUri as recordedUriWith,
  requestEvent,
} from "../../src/proxy/client_request_records.ts";

/** A stand-in digest: these URIs and names hold nothing the detectors flag. */
const digest = (piece: string) => `digest of ${piece}`;
const recordedUri = (uri: string) => recordedUriWith(uri, digest);

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
    requestEvent(base.session, base.server, facts, digest);
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

Deno.test("requestEvent() keeps a URI piece or prompt name the secret detectors flag as its digest", () => {
  const token = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
  const hex = (piece: string) => (piece === token ? "0123456789abcdef" : "fedcba9876543210");
  const event = (method: string, params: unknown) =>
    requestEvent("s-1", "fs", { method, requestId: 1, params, forwarded: true }, hex);
  assert.equal(
    event("resources/read", { uri: `https://ana:pw@example.org/k/${token}/a.md?x=1` }).uri,
    "https://example.org/k/#k:01234567(40)/a.md",
  );
  assert.equal(
    event("resources/subscribe", { uri: `file:///tmp/${token}` }).uri,
    "file:///tmp/#k:01234567(40)",
  );
  assert.equal(event("prompts/get", { name: token }).prompt, "#k:01234567(40)");
  assert.equal(
    event("completion/complete", { ref: { type: "ref/prompt", name: token } }).prompt,
    "#k:01234567(40)",
  );
  assert.equal(
    event("completion/complete", { ref: { type: "ref/resource", uri: `demo://${token}/{id}` } })
      .uri,
    "demo://#k:01234567(40)/{id}",
  );
  // A variant of a governed method is read as the method it stands for.
  assert.equal(event("Prompts/Get", { name: token }).prompt, "#k:01234567(40)");
  // Ordinary ones are kept.
  assert.equal(
    event("resources/read", { uri: "file:///tmp/notes.txt" }).uri,
    "file:///tmp/notes.txt",
  );
  assert.equal(event("prompts/get", { name: "simple-prompt" }).prompt, "simple-prompt");
});
