import assert from "node:assert/strict";
import { displayUrl, redactUrls } from "../../src/release/display_url.ts";

Deno.test("displayUrl() keeps scheme, host, port and path, and hides userinfo, query and fragment", () => {
  const cases: [string, string][] = [
    ["https://releases.example/thoth/latest.json", "https://releases.example/thoth/latest.json"],
    ["https://r.example/m.json?token=s3cret", "https://r.example/m.json?…"],
    ["https://r.example/m.json#part", "https://r.example/m.json#…"],
    ["https://r.example/m.json?a=1&b=2#x", "https://r.example/m.json?…#…"],
    ["https://ana:pa55@r.example:8443/m.json", "https://…@r.example:8443/m.json"],
    ["https://ana@r.example/m.json", "https://…@r.example/m.json"],
    ["https://:pa55@r.example/", "https://…@r.example/"],
    ["http://u:p@127.0.0.1:9/a/b?x=y#z", "http://…@127.0.0.1:9/a/b?…#…"],
    ["http://[::1]:9/m?k", "http://[::1]:9/m?…"],
    ["https://r.example/m.json?", "https://r.example/m.json"],
    ["https://r.example", "https://r.example/"],
    ["file:///etc/passwd?x", "file:///etc/passwd?…"],
  ];
  for (const [input, shown] of cases) {
    assert.equal(displayUrl(input), shown, input);
    assert.equal(displayUrl(new URL(input)), shown, `URL ${input}`);
  }
});

Deno.test("displayUrl() hides the same parts of text that is not a URL", () => {
  assert.equal(displayUrl("ht tp://ana:pw@x.example/m?token=s3cret"), "ht tp://…@x.example/m?…");
  assert.equal(displayUrl("//ana:pw@x.example/m#frag"), "//…@x.example/m#…");
  assert.equal(displayUrl("ana:pw@x.example/m"), "ana:…", "parses with the scheme ana:");
  assert.equal(displayUrl("data:text/plain,s3cret"), "data:…");
  assert.equal(displayUrl("ana@x.example/m?k=v"), "…@x.example/m?…");
  assert.equal(displayUrl("a/b@c"), "a/b@c", "an @ in the path is not userinfo");
  assert.equal(displayUrl("not a url"), "not a url");
  assert.equal(displayUrl(`https://x.example/${"a".repeat(300)}`).length, 201);
  assert.ok(displayUrl(`${"a".repeat(300)}?token=s3cret`).endsWith("…"));
  assert.ok(!displayUrl(`${"a".repeat(300)}?token=s3cret`).includes("s3cret"));
});

Deno.test("redactUrls() shows every URL in a message the way displayUrl() does", () => {
  assert.equal(
    redactUrls(
      "error sending request for url (https://ana:pw@r.example/m.json?token=s3cret): connection refused",
    ),
    "error sending request for url (https://…@r.example/m.json?…): connection refused",
  );
  assert.equal(
    redactUrls('a "http://127.0.0.1:9/x?sig=1" and https://r.example/y#f, then text'),
    'a "http://127.0.0.1:9/x?…" and https://r.example/y#…, then text',
  );
  assert.equal(
    redactUrls('fetch "https://r.example/m?t=a"b\'c(d": failed'),
    'fetch "https://r.example/m?…": failed',
    "a quote or bracket inside the query shows none of it",
  );
  assert.equal(redactUrls("no address here"), "no address here");
});
