import assert from "node:assert/strict";
import { allows, blocks } from "./_path_predicate.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const ETC = { glob: "/etc/**" };

Deno.test("/proc links spelled with . segments, doubled slashes or one after another still reach the root", () => {
  for (
    const value of [
      "/proc/./self/root/../etc/shadow",
      "/proc/self/./root/etc/shadow",
      "/proc//self//root/./../etc/shadow",
      "/proc/self/root/proc/self/root/proc/self/root/etc/shadow",
      "/proc/self/root/proc/self/root/../../etc/shadow",
      "/proc/self/root/tmp/../proc/self/root/../etc/shadow",
      "/proc/4242/task/4243/root/./proc/thread-self/root/etc/shadow",
    ]
  ) {
    assert.equal(blocks(ETC, value), true, value);
    // An allow rule sees the file the link reaches too.
    assert.equal(allows({ glob: "/proc/**" }, value), false, value);
  }
  const secret = { glob: "/x/secret/**" };
  const bases = { bases: ["/x/latest"] };
  for (
    const value of [
      "/proc/self/./cwd/../secret/k",
      "/proc/./self/cwd/../secret/k",
      "/proc/self/root/proc/self/cwd/../secret/k",
    ]
  ) {
    assert.equal(blocks(secret, value, bases), true, value);
    assert.equal(allows({ glob: "/x/latest/**" }, value, bases), false, value);
  }
  // Paths that never pass through such a link keep their one reading.
  assert.equal(blocks(ETC, "/proc/self/status"), false);
  assert.equal(blocks(ETC, "/proc/self/rooted/../etc/x"), false);
  assert.equal(allows({ glob: "/proc/self/**" }, "/proc/self/status"), true);
  // As the policy decides a call.
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{ id: "no-etc", match: { tool: "t", args: { path: ETC } }, decision: "block" }],
    }),
    "t.jsonc",
  ));
  const decide = (path: string) => evaluate(policy, toolCall("s", "t", { path }), {}).decision;
  assert.equal(decide("/proc/./self/root/../etc/shadow"), "block");
  assert.equal(decide("/srv/x"), "allow");
});

Deno.test("a file: URL is read as a local path whatever its host", () => {
  for (
    const value of [
      "file://127.0.0.1/etc/shadow",
      "file://127.1/etc/shadow",
      "file://0x7f.1/etc/shadow",
      `file://${Deno.hostname()}/etc/shadow`,
      "file://fileserver/etc/%73hadow",
    ]
  ) {
    assert.equal(blocks(ETC, value), true, value);
  }
  // An allow rule over URLs needs that path allowed too: it fails closed.
  assert.equal(allows({ glob: "file://fileserver/**" }, "file://fileserver/etc/shadow"), false);
  assert.equal(blocks(ETC, "file://fileserver/srv/x"), false);
});

Deno.test("a URL's path is also read percent-decoded, then with its dot segments resolved", () => {
  const publicApi = { glob: "http://h:1/public/**" };
  assert.equal(allows(publicApi, "http://h:1/public/..%2flatest/meta-data"), false);
  assert.equal(allows(publicApi, "http://h:1/public/..%2F..%2Flatest"), false);
  assert.equal(allows(publicApi, "http://h:1/public/a%20b/c"), true);
  assert.equal(allows(publicApi, "http://h:1/public/%61/..%2fb"), true);
  const metadata = { glob: "http://169.254.169.254/latest/**" };
  assert.equal(blocks(metadata, "http://169.254.169.254/%6catest/meta-data/"), true);
  assert.equal(blocks(metadata, "http://169.254.169.254/x/..%2flatest/meta-data/"), true);
  assert.equal(blocks(metadata, "http://169.254.169.254/%6catestx/meta-data/"), false);
});

Deno.test("on Windows a URL's scheme and port are no NTFS streams", () => {
  const win = { os: "windows" };
  assert.equal(
    allows({ glob: "https://api.example.com/**" }, "https://api.example.com/x", win),
    true,
  );
  assert.equal(
    allows({ glob: "https://api.example.com:8443/**" }, "https://api.example.com:8443/x", win),
    true,
  );
  assert.equal(
    allows({ glob: "https://api.example.com/**" }, "https://evil.example/x", win),
    false,
  );
  // A path's stream is still dropped.
  assert.equal(blocks({ glob: "c:/app/.env" }, "C:\\app\\.env::$DATA", win), true);
});

Deno.test("a URL glob is read as the URL parser reads a value: default port, punycode; a query keeps its ..", () => {
  assert.equal(allows({ glob: "https://example.com:443/**" }, "https://example.com:443/x"), true);
  assert.equal(allows({ glob: "https://example.com:443/**" }, "https://example.com/x"), true);
  assert.equal(allows({ prefix: "http://example.com:80/" }, "http://example.com:80/x"), true);
  assert.equal(allows({ glob: "https://example.com:443/**" }, "https://example.com:8443/x"), false);
  assert.equal(allows({ glob: "https://bücher.example/**" }, "https://bücher.example/x"), true);
  assert.equal(allows({ glob: "https://*.bücher.example/**" }, "https://a.bücher.example/x"), true);
  assert.equal(allows({ glob: "https://bücher.example/**" }, "https://evil.example/x"), false);
  // `..` in a query or a fragment is no path segment.
  assert.equal(allows({ glob: "https://h/api/**" }, "https://h/api/a?next=/../../x"), true);
  assert.equal(allows({ glob: "https://h/api/**" }, "https://h/api/a#/../../x"), true);
  assert.equal(allows({ glob: "https://h/api/**" }, "https://h/api/../x?a=1"), false);
});

Deno.test("a URL with an IPv6 zone id, or a \\ before an @, is read with the host a client connects to", () => {
  const local = { glob: "http://127.0.0.1:18765/**" };
  assert.equal(blocks(local, "http://[::ffff:127.0.0.1%25lo]:18765/x"), true);
  assert.equal(blocks(local, "http://[::ffff:7f00:1%25eth0]:18765/x"), true);
  assert.equal(blocks(local, "http://evil.invalid\\@127.0.0.1:18765/x"), true);
  assert.equal(blocks(local, "http://a\\b@c@127.0.0.1:18765/x?y"), true);
  assert.equal(
    allows({ glob: "http://evil.invalid/**" }, "http://evil.invalid\\@127.0.0.1:18765/x"),
    false,
  );
  assert.equal(blocks(local, "http://evil.invalid/@127.0.0.1:18765/x"), false);
});

Deno.test("a prefix that ends at its default port still ends its host there", () => {
  const prefix = { prefix: "https://api.example.com:443" };
  assert.equal(allows(prefix, "https://api.example.com.attacker.io/steal"), false);
  assert.equal(allows({ prefix: "wss://example.com:443" }, "wss://example.community/x"), false);
  // With a path after it, the port-less spelling is the same place.
  assert.equal(
    allows({ prefix: "https://api.example.com:443/v1/" }, "https://api.example.com/v1/x"),
    true,
  );
  assert.equal(
    allows({ prefix: "https://api.example.com:443/v1/" }, "https://api.example.com.evil/v1/x"),
    false,
  );
});

Deno.test("a glob host with wildcards and capitals is read without case, whole", () => {
  assert.equal(blocks({ glob: "https://INTERNAL-?.CORP/**" }, "https://internal-a.corp/x"), true);
  assert.equal(blocks({ glob: "https://EXAMPL?.COM/**" }, "https://Example.cOm/x"), true);
});

Deno.test("only a special scheme's ? starts a query: another scheme's .. after ? is still a path's", () => {
  assert.equal(
    allows({ glob: "s3://bucket/public/**" }, "s3://bucket/public/x?/../../secret"),
    false,
  );
  assert.equal(
    allows({ glob: "https://example.com/docs/**" }, "https://example.com/docs/x?q=a/../../b"),
    true,
  );
});

Deno.test("a file: URL's /proc links are followed before its .. is resolved, and /proc/net and /dev/fd lead into /proc/self", () => {
  for (
    const value of [
      "file:///proc/self/root/../etc/shadow",
      "file:///proc/self/root/%2e%2e/etc/shadow",
      "/proc/net/../root/etc/shadow",
      "/dev/fd/../root/etc/shadow",
      "file:///dev/fd/../root/etc/shadow",
    ]
  ) {
    assert.equal(blocks(ETC, value), true, value);
  }
  const secret = { glob: "/srv/secret/**" };
  assert.equal(
    blocks(secret, "file:///proc/self/cwd/../secret/k", { bases: ["/srv/app"] }),
    true,
  );
});
