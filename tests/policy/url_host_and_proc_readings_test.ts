import assert from "node:assert/strict";
import { allows, blocks } from "./_path_predicate.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const METADATA = { glob: "http://169.254.169.254/**" };

Deno.test("a URL with control characters in or before its scheme is read as the URL parser reads it", () => {
  const path = "169.254.169.254/latest/meta-data/";
  for (
    const value of [
      `ht\ttp://${path}`,
      `\u0001http://${path}`,
      `h\nttp://${path}`,
      `http\r://${path}`,
      `\u0000http://${path}`,
      `\fhttp://${path}`,
      `\u001fhttp://${path}`,
      `HTTP\t://${path}`,
      `http://${path}\u0000`,
    ]
  ) {
    assert.equal(blocks(METADATA, value), true, JSON.stringify(value));
    // The parser's reading is the one that counts: it is not where an allow rule allows.
    assert.equal(allows({ glob: "http://example.org/**" }, value), false, JSON.stringify(value));
  }
  // As the policy decides a fetch.
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{
        id: "no-metadata",
        match: { tool: "fetch", args: { url: METADATA } },
        decision: "block",
      }],
    }),
    "t.jsonc",
  ));
  const decide = (url: string) => evaluate(policy, toolCall("web", "fetch", { url }), {}).decision;
  assert.equal(decide(`ht\ttp://${path}`), "block");
  assert.equal(decide("https://example.org/ht\ttp"), "allow");
  // Other schemes and text that is no URL stay as they were.
  assert.equal(blocks(METADATA, `wss://${path}`), false);
  assert.equal(blocks(METADATA, `x\thttp://${path}`), false);
});

Deno.test("an IPv6 host holding an IPv4 address, and a host with a trailing dot, are read as the host a server connects to", () => {
  for (
    const value of [
      "http://[::ffff:169.254.169.254]/latest",
      "http://[::ffff:a9fe:a9fe]/latest",
      "http://[0:0:0:0:0:ffff:169.254.169.254]/latest",
      "http://[::169.254.169.254]/latest",
      "http://[::ffff:0:169.254.169.254]/latest",
    ]
  ) {
    assert.equal(blocks(METADATA, value), true, value);
  }
  assert.equal(
    blocks({ glob: "http://169.254.169.254:8080/**" }, "http://[::ffff:a9fe:a9fe]:8080/x"),
    true,
  );
  const internal = { glob: "https://internal.example.com/**" };
  assert.equal(blocks(internal, "https://internal.example.com./admin"), true);
  assert.equal(
    blocks(internal, "https://internal.example.com..:8443/admin"),
    false,
    "another port",
  );
  assert.equal(
    blocks(
      { glob: "https://internal.example.com:8443/**" },
      "https://internal.example.com.:8443/a",
    ),
    true,
  );
  // Other IPv6 hosts are no IPv4 address.
  assert.equal(blocks({ glob: "http://0.0.0.1/**" }, "http://[::1]/x"), false);
  assert.equal(blocks(METADATA, "http://[2001:db8::a9fe:a9fe]/latest"), false);
  // An allow rule needs every reading inside: the IPv4 one too.
  assert.equal(
    allows({ glob: "http://[::ffff:a9fe:a9fe]/**" }, "http://[::ffff:a9fe:a9fe]/x"),
    false,
  );
  assert.equal(allows({ glob: "https://example.org/**" }, "https://example.org/a"), true);
});

Deno.test("a file: URL is read as the path it opens", () => {
  const etc = { glob: "/etc/**" };
  for (
    const value of [
      "file:///etc/shadow",
      "file:///proc/self/root/etc/shadow",
      "file://localhost/etc/shadow",
      "FILE:///etc/shadow",
      "file:/etc/shadow",
      "file:///etc/%73hadow",
      "file:///tmp/..%2Fetc/shadow",
      "file:///tmp/%2e%2e/etc/shadow",
      "\u0000file:///etc/shadow",
    ]
  ) {
    assert.equal(blocks(etc, value), true, JSON.stringify(value));
  }
  // Any host: Python's urllib opens file://127.1/x and file://<this machine>/x locally.
  assert.equal(blocks(etc, "file://fileserver/etc/shadow"), true, "any host's path is local");
  assert.equal(blocks(etc, "file:///srv/etc/x"), false);
  assert.equal(
    blocks({ glob: "c:/users/ana/.ssh/**" }, "file:///C:/Users/ana/.ssh/id_rsa", { os: "windows" }),
    true,
  );
  // An allow rule over paths: the URL's own reading is outside, so it does not allow.
  assert.equal(allows({ glob: "/srv/**" }, "file:///srv/x"), false);
});

Deno.test("/proc/self/cwd followed by .. is resolved from the server's working folder", () => {
  const bases = { bases: ["/srv/app"] };
  const secret = { glob: "/srv/secret/**" };
  for (
    const value of [
      "../secret/x",
      "/proc/self/cwd/../secret/x",
      "/proc/self/cwd/x/../../secret/x",
      "/proc/self/cwd/./../secret/x",
      "/proc/self/cwd//../secret/x",
      "/proc/1234/cwd/../secret/x",
      "/proc/self/task/7/cwd/../secret/x",
      "/proc/self/cwd/%2e%2e/secret/x",
    ]
  ) {
    assert.equal(blocks(secret, value, bases), true, value);
  }
  assert.equal(blocks(secret, "/proc/self/cwd/../public/x", bases), false);
  assert.equal(blocks(secret, "/proc/self/cwd/../secret/x"), false, "no base known");
  // An allow rule requires the working folder's reading as well.
  const notSecret = { notGlob: "/srv/app/secret/**" };
  assert.equal(allows(notSecret, "/proc/self/cwd/secret/x", bases), false);
  assert.equal(allows(notSecret, "/proc/self/cwd/x/../secret/y", bases), false);
  assert.equal(allows(notSecret, "/proc/self/cwd/public/x", bases), true);
  assert.equal(allows({ notGlob: "/srv/secret/**" }, "/proc/self/cwd/../secret/x", bases), false);
});

Deno.test("a notGlob counts a value as inside as written only when its decoded reading is too", () => {
  const options = { bases: ["/srv/app", "/"] };
  const outside = { notGlob: ["/srv/app/public/**", "public/**"] };
  assert.equal(blocks(outside, "public/..%2f..%2fetc/passwd", options), true);
  assert.equal(blocks(outside, "public/..%252f..%252fetc/passwd", options), true);
  assert.equal(blocks(outside, "public/x%2f..%2f..%2f..%2fetc/passwd", options), true);
  // Still inside: written inside, and decoded inside too.
  assert.equal(blocks(outside, "public/a.txt", options), false);
  assert.equal(blocks(outside, "public/a%20b.txt", options), false);
  assert.equal(blocks(outside, "public/x%2fy.txt", options), false);
  assert.equal(blocks({ notGlob: "feature/**" }, "feature/x", options), false);
});
