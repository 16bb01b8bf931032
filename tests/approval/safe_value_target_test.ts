/**
 * A safe value must not hide where it points. A URL shows where `new URL()`
 * takes it (percent-encoded dots and backslashes resolve there); a path
 * resolves with `\` as a separator and `%2e` as a dot; a value too long to
 * show whole that holds either shows its shape only (its cut middle could
 * move it anywhere); `..` never climbs out of an unknown home folder; a
 * character drawn as nothing (default-ignorable) hides the value; and the
 * 100-character budget counts the value, not its quotes.
 */
import assert from "node:assert/strict";
import { argumentShape } from "../../src/approval/argument_shape.ts";
import { displayable } from "../../src/approval/display_text.ts";
import { GovernedPeer, toolCall } from "./_governed_peer.ts";

const PAD = "x/%2e%2e/".repeat(12);
/** Starts in public/reports, ends in reports/q3.pdf, and goes to private/hr in between. */
const ENCODED = "https://files.example.com/public/reports/" + PAD + "%2e%2e/%2e%2e/private/hr/" +
  PAD + "reports/q3.pdf";
const BACKSLASHED = "https://files.example.com/public/reports/" + "x\\..\\".repeat(12) +
  "..\\..\\private\\hr\\" + "x\\..\\".repeat(12) + "reports/q3.pdf";
const WINDOWS = "C:\\Users\\ana\\Documents\\" + "x\\..\\".repeat(15) + "..\\..\\bob\\Documents\\" +
  "x\\..\\".repeat(10) + "report.docx";

const shape = (value: string) => argumentShape({ p: value }, ["p"])[0]!;

Deno.test("argumentShape() shows where a long URL resolves, not a cut that hides it", () => {
  for (const url of [ENCODED, BACKSLASHED]) {
    assert.equal(new URL(url).pathname, "/private/hr/reports/q3.pdf");
    const line = shape(url);
    assert.match(line, /^p: string \(\d+ chars\), value not shown: too long to show whole/);
    assert.match(
      line,
      /resolves to "https:\/\/files\.example\.com\/private\/hr\/reports\/q3\.pdf"$/,
    );
    assert.doesNotMatch(line, /middle cut/);
  }
  // A long Windows path with backslashes: its shape only.
  assert.match(shape(WINDOWS), /^p: string \(179 chars\), value not shown: too long/);
  assert.doesNotMatch(shape(WINDOWS), /Documents/);
});

Deno.test("argumentShape() resolves backslashes and encoded dots in a path it shows whole", () => {
  assert.equal(
    shape("C:\\Users\\ana\\..\\bob\\x.docx"),
    'p: "C:\\\\Users\\\\ana\\\\..\\\\bob\\\\x.docx", resolves to "C:\\\\Users\\\\bob\\\\x.docx"',
  );
  assert.equal(
    shape("/srv/www/%2e%2e/%2E%2e/etc/passwd"),
    'p: "/srv/www/%2e%2e/%2E%2e/etc/passwd", resolves to "/etc/passwd"',
  );
  assert.match(
    shape("\\\\srv\\share\\a\\..\\..\\..\\x"),
    /resolves to "\\\\\\\\srv\\\\share\\\\x"$/,
  );
  assert.equal(shape("C:/Users/.."), 'p: "C:/Users/..", resolves to "C:/"');
  assert.equal(shape("https://example.com"), 'p: "https://example.com"', "an origin and its href");
});

Deno.test("argumentShape() shows no single target where parsers read a value differently", () => {
  // WHATWG (new URL, Node) reads host good.com; curl and Python's urlsplit read evil.com.
  for (
    const url of [
      "https://good.com\\@evil.com/x",
      "https://good.com@evil.com/",
      "http://a%40good.com@evil.com/",
    ]
  ) {
    const line = shape(url);
    assert.match(
      line,
      /^p: string \(\d+ chars\), value not shown: URL parsers disagree on its host/,
    );
    assert.doesNotMatch(line, /good\.com|evil\.com/);
  }
  // Special schemes without their two slashes: WHATWG and curl read host evil.com.
  for (
    const url of [
      "https:/evil.com/../good.com/x",
      "https:evil.com/../good.com/x",
      "HTTPS:\\evil.com\\..\\good.com",
    ]
  ) {
    assert.match(shape(url), /value not shown: a web or file URL without the two slashes/);
  }
  assert.equal(shape("//server/share/x"), 'p: "//server/share/x"', "no single reading shown");
  // An empty authority: WHATWG takes evil.com for the host, Python's urlsplit none.
  assert.match(shape("https:///evil.com/a/../b"), /value not shown: URL parsers disagree/);
  // `/\\` and `\\/` start a network share to Windows, not a path under the root.
  assert.match(
    shape("/\\srv\\share\\a\\..\\..\\..\\etc"),
    /value not shown: it starts with two slashes/,
  );
  assert.match(shape("file:///srv/a/../b"), /resolves to "file:\/\/\/srv\/b"$/);
  // A network share to Windows, the root to POSIX.
  assert.match(shape("//srv/share/../x"), /value not shown: it starts with two slashes/);
  // No doubt: a plain host, and a path that starts with one separator.
  assert.equal(
    shape("https://files.example.com/a/../b"),
    'p: "https://files.example.com/a/../b", resolves to "https://files.example.com/b"',
  );
  assert.equal(shape("/srv/a/../b"), 'p: "/srv/a/../b", resolves to "/srv/b"');
  // A long value with an encoded slash is cut nowhere: its middle could move it anywhere.
  assert.match(
    shape("/srv/pub/" + "a".repeat(100) + "/..%2f..%2fetc/passwd"),
    /value not shown: too long/,
  );
});

Deno.test("argumentShape() never resolves `..` out of a home folder it cannot know", () => {
  assert.equal(shape("~/../../etc/passwd"), 'p: "~/../../etc/passwd"');
  assert.equal(
    shape("~/a/../../../etc/passwd"),
    'p: "~/a/../../../etc/passwd", resolves to "~/../../etc/passwd"',
  );
});

Deno.test("argumentShape() hides a value with a character drawn as nothing", () => {
  for (const invisible of ["\u034f", "\u3164", "\u115f", "\u1160", "\uffa0", "\ufe0f"]) {
    assert.equal(displayable(`a${invisible}b`), false, invisible.codePointAt(0)!.toString(16));
  }
  assert.match(shape("/home/ana/notes\u034f.txt"), /value not shown: it holds invisible/);
  assert.match(shape("/home/ana/\u3164/../.ssh/id_rsa"), /value not shown: it holds invisible/);
});

Deno.test("argumentShape() shows a value of exactly 100 characters whole: quotes do not count", () => {
  const value = "/" + "a".repeat(97) + "/b";
  assert.equal(value.length, 100);
  assert.equal(shape(value), `p: ${JSON.stringify(value)}`);
  assert.match(shape(value + "c"), /\(101 chars, middle cut\)$/);
});

Deno.test("the approval form shows where a long URL resolves, not its cut", async () => {
  const policy = {
    version: 1,
    default: "allow",
    rules: [{ id: "ask-fetch", match: { tool: "echo" }, decision: "step_up" }],
    audit: { safeToLog: ["url"] },
  };
  const peer = await GovernedPeer.start(policy, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "30"],
    capabilities: { elicitation: {} },
  });
  try {
    await peer.send(toolCall(1, "echo", { url: ENCODED }));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    const message: string = form.params.message;
    assert.match(
      message,
      /resolves to "https:\/\/files\.example\.com\/private\/hr\/reports\/q3\.pdf"/,
    );
    assert.doesNotMatch(message, /middle cut/);
    await peer.send({ jsonrpc: "2.0", id: form.id, result: { action: "decline" } });
    await peer.wait((m) => m.id === 1);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), []);
});
