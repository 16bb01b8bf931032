import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { compilePredicate } from "../../src/policy/compile_predicate.ts";

const etc = compilePredicate("path", { glob: "/etc/**" }, "some");
const outsideData = compilePredicate("path", { notGlob: "/data/**" }, "some");
const root = compilePredicate("path", { prefix: "/root" }, "some");

Deno.test("compilePredicate() glob sees through '..', '.' and '//' in absolute paths", () => {
  for (
    const bypass of ["/tmp/../etc/shadow", "/etc/x/../passwd", "//etc/passwd", "/./etc/passwd"]
  ) {
    assert.equal(etc.test([bypass]), true, bypass);
  }
  assert.equal(etc.test(["/etc/../tmp/x"]), false);
  assert.equal(etc.test(["/etcetera/x"]), false);
});

Deno.test("compilePredicate() prefix sees through a '..' that climbs back in", () => {
  assert.equal(root.test(["/root/../root/.ssh/id_rsa"]), true);
  assert.equal(root.test(["//root/.ssh/id_rsa"]), true);
  assert.equal(root.test(["/root/../tmp/x"]), false);
});

Deno.test("compilePredicate() notGlob is the negation of glob on the normalized path", () => {
  assert.equal(outsideData.test(["/data/x/../y"]), false);
  assert.equal(outsideData.test(["/data/./notes//a.txt"]), false);
  assert.equal(outsideData.test(["/data/../etc/passwd"]), true);
  assert.equal(outsideData.test(["/data/x/../../etc/passwd"]), true);
  assert.equal(outsideData.test(["/.."]), true);
  assert.equal(outsideData.test([42]), true);
  const inside = compilePredicate("path", { glob: "/data/**" }, "some");
  for (const v of ["/data/x/../y", "/data/../etc", "/data/", "../data/x", 7]) {
    assert.equal(outsideData.test([v]), !inside.test([v]), String(v));
  }
});

Deno.test("compilePredicate() glob and prefix never match a path that still climbs with '..'", () => {
  const anywhere = compilePredicate("path", { glob: "**" }, "some");
  const dot = compilePredicate("path", { prefix: "." }, "some");
  for (const v of ["../etc/passwd", "a/../../x", "C:\\data\\..\\x", "ab://host/.."]) {
    assert.equal(anywhere.test([v]), false, v);
    assert.equal(dot.test([v]), false, v);
  }
  // A URL with a special scheme is also read as a URL parser reads it: "https://host/".
  assert.equal(anywhere.test(["https://host/.."]), true);
});

Deno.test("compilePredicate() keeps '//' in URLs and resolves their dot segments", () => {
  const host = compilePredicate("url", { glob: "https://host/**" }, "some");
  assert.equal(host.test(["https://host/a"]), true);
  assert.equal(host.test(["https://host/x/../admin"]), true);
  assert.equal(host.test(["https://host/./a"]), true);
  assert.equal(host.test(["https://other/../host/a"]), false);
  const admin = compilePredicate("url", { prefix: "https://host/admin" }, "some");
  assert.equal(admin.test(["https://host/x/../admin/users"]), true);
});

Deno.test("compilePredicate() reads percent-encoded dot segments both as written and as a URL parser does", () => {
  // new URL("https://host/public/%2e%2e/admin").pathname is "/admin".
  const admin = compilePredicate("url", { glob: "https://host/admin/**" }, "some");
  for (
    const v of [
      "https://host/public/%2e%2e/admin/users",
      "https://host/public/%2E%2E/admin/users",
      "https://host/public/.%2e/admin/users",
      "https://host/public/%2e./admin/users",
      "https://host/%2e/admin/users",
    ]
  ) {
    assert.equal(admin.test([v]), true, v);
  }
  assert.equal(admin.test(["https://host/public/a%2e%2e/admin/x"]), false, "inside a name");
  assert.equal(admin.test(["https://host/public/%2e%2e%2e/admin/x"]), false, "three dots");
  // A blocking rule still matches the value as written (a file server opens it literally).
  const secret = compilePredicate("path", { glob: "/secret/**" }, "some");
  assert.equal(secret.test(["/secret/%2e%2e/public"]), true);
  // An allow rule holds only when both readings stay inside.
  const publicOnly = compilePredicate("url", { glob: "https://host/public/**" }, "every");
  assert.equal(publicOnly.test(["https://host/public/%2e%2e/admin"]), false);
  assert.equal(publicOnly.test(["https://host/public/a/%2e%2e/b"]), true);
  assert.equal(publicOnly.test(["https://host/public/%2e%2e"]), false);
  const data = compilePredicate("path", { glob: "/data/**" }, "every");
  assert.equal(data.test(["/data/%2e%2e/etc/passwd"]), false);
  assert.equal(data.test(["/data/%2e%2e/%2e%2e"]), false, "climbs above the root");
  // A deny-outside rule sees where the parser lands.
  const outside = compilePredicate("path", { notGlob: "/data/**" }, "some");
  assert.equal(outside.test(["/data/%2e%2e/etc/passwd"]), true);
  assert.equal(outside.test(["/data/x/%2e%2e/y"]), false);
  // Relative values are decoded, then resolved against the bases.
  const based = compilePredicate("path", { glob: "/srv/secret/**" }, "some", {
    bases: ["/srv/app"],
  });
  assert.equal(based.test(["%2e%2e/secret/key"]), true);
  // Windows reads \ as a separator around an encoded segment too.
  const win = compilePredicate("path", { glob: "c:/secret/**" }, "some", { os: "windows" });
  assert.equal(win.test(["C:\\public\\%2e%2e\\secret\\k"]), true);
  const posix = compilePredicate("path", { glob: "/secret/**" }, "some");
  assert.equal(posix.test(["/public\\%2e%2e/secret/k"]), false, "\\ is a name on POSIX");
});

Deno.test("compilePredicate() resolves a leading './' in relative paths", () => {
  const secrets = compilePredicate("path", { glob: "secrets/**" }, "some");
  assert.equal(secrets.test(["./secrets/key"]), true);
  assert.equal(secrets.test(["public/../secrets/key"]), true);
});

Deno.test("compilePredicate() 'some' holds when one selected value matches", () => {
  const p = compilePredicate("paths[*]", { notGlob: "/data/**" }, "some");
  assert.equal(p.test(["/data/a", "/etc/shadow"]), true);
  assert.equal(p.test(["/data/a", "/data/b"]), false);
  assert.equal(p.test([]), false);
});

Deno.test("compilePredicate() 'every' holds only when every selected value matches", () => {
  const p = compilePredicate("paths[*]", { glob: "/data/**" }, "every");
  assert.equal(p.test(["/data/a", "/data/b/../c"]), true);
  assert.equal(p.test(["/data/a", "/etc/shadow"]), false);
  assert.equal(p.test(["/etc/shadow", "/data/a"]), false);
  assert.equal(p.test(["/data/a", 5]), false);
  assert.equal(p.test([]), false);
});

Deno.test("compilePredicate() exists alone behaves the same under both quantifiers", () => {
  for (const q of ["some", "every"] as const) {
    const absent = compilePredicate("x", { exists: false }, q);
    const present = compilePredicate("x", { exists: true }, q);
    assert.equal(absent.test([]), true, q);
    assert.equal(absent.test([1]), false, q);
    assert.equal(present.test([1, 2]), true, q);
    assert.equal(compilePredicate("x", { exists: false, min: 1 }, q).test([]), false, q);
  }
});

Deno.test("compilePredicate() globs and prefixes see a path composed to NFC, as servers resolve it", () => {
  const decomposed = "/home/ana/pru\u0308fung/a.txt";
  const composed = "/home/ana/pr\u00fcfung/**";
  assert.equal(compilePredicate("path", { glob: composed }, "some").test([decomposed]), true);
  assert.equal(
    compilePredicate("path", { prefix: "/home/ana/pru\u0308fung/" }, "some").test([
      "/home/ana/pr\u00fcfung/a.txt",
    ]),
    true,
    "a decomposed prefix in the policy too",
  );
  assert.equal(compilePredicate("path", { notGlob: composed }, "some").test([decomposed]), false);
});

Deno.test("compilePredicate() equals and oneOf in a blocking rule also match what lax servers coerce", () => {
  const recursive = compilePredicate("recursive", { equals: true }, "some");
  for (const v of [true, "true", "True", " yes ", "on", "1", "t", "y", 1]) {
    assert.equal(recursive.test([v]), true, JSON.stringify(v));
  }
  for (const v of [false, "false", "no", 0, 2, "maybe", null]) {
    assert.equal(recursive.test([v]), false, JSON.stringify(v));
  }
  const root = compilePredicate("uid", { oneOf: [0] }, "some");
  for (const v of [0, "0", " 0 ", "0.0", "-0", "00", "0_0", "\u0085 0", false]) {
    assert.equal(root.test([v]), true, JSON.stringify(v));
  }
  assert.equal(root.test(["1"]), false);
  assert.equal(compilePredicate("off", { equals: false }, "some").test(["off"]), true);
  // An allow rule ("every") matches only the value itself: a strict server reads "yes" as text.
  assert.equal(compilePredicate("recursive", { equals: true }, "every").test(["yes"]), false);
  assert.equal(compilePredicate("uid", { oneOf: [0] }, "every").test(["0"]), false);
  // The negative checks stay exact in either kind of rule.
  assert.equal(compilePredicate("uid", { notEquals: 0 }, "some").test(["0"]), true);
});

Deno.test("compilePredicate() reads a leading ~ as the home folder it is given", () => {
  const ssh = { glob: "/home/ana/.ssh/**" };
  const home = { home: "/home/ana" };
  assert.equal(compilePredicate("path", ssh, "some", home).test(["~/.ssh/id_rsa"]), true);
  assert.equal(compilePredicate("path", ssh, "some", home).test(["~/x/../.ssh/id_rsa"]), true);
  assert.equal(
    compilePredicate("path", ssh, "some").test(["~/.ssh/id_rsa"]),
    false,
    "no home given",
  );
  assert.equal(compilePredicate("path", ssh, "some", home).test(["~bob/.ssh/x"]), false);
  assert.equal(
    compilePredicate("path", { notGlob: "/home/ana/data/**" }, "every", home).test(["~/data/a"]),
    false,
    "an allow list sees the resolved path too",
  );
});

Deno.test("compilePredicate() resolves a relative path against each base in rules that block or step up", () => {
  const bases = ["/srv/app", "/data"];
  const secret = compilePredicate("path", { glob: "/data/secret/**" }, "some", { bases });
  assert.equal(secret.test(["secret/plan.txt"]), true, "resolved against /data");
  assert.equal(secret.test(["./secret/../secret/plan.txt"]), true);
  assert.equal(secret.test(["../data/secret/x"]), true, "climbs out of /srv/app");
  assert.equal(secret.test(["public/x.txt"]), false);
  assert.equal(secret.test(["/data/public/secret/x"]), false, "an absolute path is not resolved");
  assert.equal(
    compilePredicate("path", { glob: "/data/secret/**" }, "some").test(["secret/plan.txt"]),
    false,
    "no bases given",
  );
  const etcPrefix = compilePredicate("path", { prefix: "/etc/" }, "some", { bases });
  assert.equal(etcPrefix.test(["../../etc/shadow"]), true);
  assert.equal(etcPrefix.test(["../../../../../etc/shadow"]), true, "stops at the root");
  assert.equal(etcPrefix.test(["s3:../../etc/shadow"]), false, "a URL is not resolved");
  assert.equal(
    etcPrefix.test(["file:../../etc/shadow"]),
    true,
    "a file: URL is the path the URL parser gives it (file:///etc/shadow)",
  );
  // Every check of the predicate must hold for the same reading.
  const both = compilePredicate("path", { glob: "/data/**", regex: "secret/.*" }, "some", {
    bases,
  });
  assert.equal(both.test(["secret/x"]), true);
  assert.equal(both.test(["/data/secret/x"]), false, "the regex sees the value as sent");
  // One element resolving into the blocked folder is enough.
  const paths = compilePredicate("paths[*]", { glob: "/data/secret/**" }, "some", { bases });
  assert.equal(paths.test(["/tmp/a", "secret/b"]), true);
});

Deno.test("compilePredicate() keeps allow rules to a relative path as written", () => {
  const bases = ["/data"];
  assert.equal(
    compilePredicate("path", { glob: "/data/**" }, "every", { bases }).test(["a.txt"]),
    false,
    "an allow rule never learns where the server resolves it",
  );
  assert.equal(
    compilePredicate("path", { glob: "docs/**" }, "every", { bases }).test(["docs/a.txt"]),
    true,
  );
  // A deny-outside rule still refuses the relative spelling, whatever the bases.
  assert.equal(
    compilePredicate("path", { notGlob: "/data/**" }, "some", { bases }).test(["a.txt"]),
    true,
  );
});

Deno.test("compilePredicate() sees bases added after it was compiled", () => {
  const bases: string[] = [];
  const secret = compilePredicate("path", { glob: "/roots/b/secret/**" }, "some", { bases });
  assert.equal(secret.test(["secret/x"]), false);
  bases.push("/roots/a");
  assert.equal(secret.test(["secret/x"]), false);
  bases.push("/roots/b/");
  assert.equal(secret.test(["secret/x"]), true);
  assert.equal(secret.test(["secret/x"]), true, "and from the memo");
  const options: { bases: readonly string[] } = { bases: ["/roots/b"] };
  const replaced = compilePredicate("path", { glob: "/roots/b/secret/**" }, "some", options);
  assert.equal(replaced.test(["secret/x"]), true);
  options.bases = ["/roots/c"];
  assert.equal(replaced.test(["secret/x"]), false, "a new list of the same length is read");
});

Deno.test("compilePredicate() resolves what a POSIX server resolves: anything not starting with /", () => {
  const secret = compilePredicate("path", { glob: "/data/secret/**" }, "some", {
    bases: ["/data/"],
    home: "/home/ana",
  });
  for (
    const spelled of [
      "C:x/../secret/plan.txt",
      "ab:x/../secret/plan.txt",
      "http://x/../../secret/plan.txt",
      "~\\/../secret/plan.txt",
      "./secret//plan.txt",
    ]
  ) {
    assert.equal(secret.test([spelled]), true, spelled);
  }
  assert.equal(secret.test(["~/secret/plan.txt"]), false, "~/ is the home folder");
  assert.equal(
    compilePredicate("path", { glob: "/home/ana/.ssh/**" }, "some", { home: "/home/ana" }).test([
      "~\\.ssh\\id_rsa",
    ]),
    false,
    "~\\ is no home folder on POSIX",
  );
});

Deno.test("compilePredicate() resolves Windows paths against the drive and folders of the bases", () => {
  const win = { os: "windows", bases: ["C:\\proj", "C:\\Users\\ana\\"] };
  const ssh = compilePredicate("path", { glob: "C:/Users/ana/.ssh/**" }, "some", win);
  assert.equal(ssh.test(["..\\..\\..\\Users\\ana\\.ssh\\id_rsa"]), true, "stops at C:\\");
  assert.equal(ssh.test(["C:\\..\\Users\\ana\\.ssh\\id_rsa"]), true, "as written, too");
  assert.equal(ssh.test(["\\Users\\ana\\.ssh\\id_rsa"]), true, "the root of the base's drive");
  assert.equal(ssh.test(["C:.ssh\\id_rsa"]), true, "relative to a folder on drive C:");
  assert.equal(ssh.test(["D:.ssh\\id_rsa"]), false);
  const data = compilePredicate("path", { prefix: "C:/data/secret" }, "some", {
    os: "windows",
    bases: ["C:\\data"],
  });
  assert.equal(data.test(["C:secret\\plan.txt"]), true);
});

Deno.test("compilePredicate() reads bases as it reads paths on Windows and macOS", () => {
  const win = { os: "windows", bases: ["C:\\Users\\me\\Projects"] };
  assert.equal(
    compilePredicate("path", { glob: "C:/Users/*/.ssh/**" }, "some", win).test([
      "..\\.SSH\\id_rsa",
    ]),
    true,
  );
  const mac = { os: "darwin", bases: ["/Users/Me/Work"] };
  assert.equal(
    compilePredicate("path", { prefix: "/Users/me/work/Secret/" }, "some", mac).test(["secret/x"]),
    true,
  );
});

Deno.test("compilePredicate() compares paths without case where the file system does, and reads \\ on Windows", () => {
  const ssh = { glob: "/Users/*/.ssh/**" };
  const mac = { os: "darwin" };
  assert.equal(compilePredicate("path", ssh, "some", mac).test(["/Users/me/.SSH/id_rsa"]), true);
  assert.equal(
    compilePredicate("path", ssh, "some", { os: "linux" }).test(["/Users/me/.SSH/id_rsa"]),
    false,
  );
  assert.equal(
    compilePredicate("path", { prefix: "/Users/me/Private/" }, "some", mac).test([
      "/users/ME/private/x",
    ]),
    true,
  );
  const win = { os: "windows", home: "C:\\Users\\me" };
  const winSsh = { glob: "C:/Users/*/.ssh/**" };
  assert.equal(
    compilePredicate("path", winSsh, "some", win).test(["c:\\users\\me\\.SSH\\id_rsa"]),
    true,
  );
  assert.equal(compilePredicate("path", winSsh, "some", win).test(["~\\.ssh\\id_rsa"]), true);
  assert.equal(
    compilePredicate("path", winSsh, "some", win).test(["C:\\Users\\me\\x\\..\\.ssh\\k"]),
    true,
  );
});

Deno.test("compilePredicate() min and max read numbers sent as strings the way lenient servers do", () => {
  const big = compilePredicate("amount", { min: 1000 }, "some");
  const small = compilePredicate("amount", { max: 10 }, "some");
  const asBig = [
    5000,
    "5000",
    "5e3",
    "5E+3",
    "1000",
    "1000.0",
    "05000",
    "1e300",
    " 5000",
    "5000 ",
    "+5000",
    "5_000",
    "0x1388",
    "0o11610",
    "0b1001110001000",
    "1e400",
    "inf",
    "Infinity",
    Infinity,
    // Python strips U+0085 and U+001C-U+001F too, and int() reads any script's digits.
    "\u0085 5000",
    "5000\x1f",
    "\u0665\u0660\u0660\u0660",
    "\uff15\uff10\uff10\uff10",
    "\u{1d7d3}\u{1d7ce}\u{1d7ce}\u{1d7ce}",
    "\u{1d7fb}\u{1d7f6}\u{1d7f6}\u{1d7f6}",
  ];
  for (const v of asBig) assert.equal(big.test([v]), true, String(v));
  for (const v of ["999.99", "-5000", "9.99e2", "1e-3", "-inf", ".5"]) {
    assert.equal(big.test([v]), false, v);
  }
  for (const v of ["-5", "10", "1e1", "-1e400", " -0x10 ", "-Infinity"]) {
    assert.equal(small.test([v]), true, v);
  }
});

Deno.test("compilePredicate() min and max reject what no server reads as a number", () => {
  const big = compilePredicate("amount", { min: 1000 }, "some");
  const notNumbers = [
    "5,000",
    "5000abc",
    "_5000",
    "5000_",
    "5__000",
    "0x",
    "++5000",
    "NaN",
    "1e",
    // Number() joins an array: more than one element, or a boolean in it, is no number.
    [5000, 5000],
    [true],
    ["5,000"],
    { n: 5000 },
    NaN,
  ];
  for (const v of notNumbers) assert.equal(big.test([v]), false, JSON.stringify(v));
});

Deno.test("compilePredicate() reaches array elements for min only through [*]", () => {
  const each = compilePredicate("amounts[*]", { min: 1000 }, "some");
  assert.equal(each.test([10, "5000"]), true);
});

Deno.test("compilePredicate() rejects a quoted path with a bad escape as policy.invalid", () => {
  assert.throws(
    () => compilePredicate('a["\\x"]', { equals: 1 }, "some"),
    (e: unknown) =>
      isAppError(e, "policy.invalid") && e.message.includes('a["\\x"]') &&
      e.hints.some((h) => h.includes("JSON escapes")),
  );
  assert.deepEqual(compilePredicate('a["x\\"y"]', { equals: 1 }, "some").path, [
    { key: "a" },
    { key: 'x"y' },
  ]);
});

Deno.test("compilePredicate() keeps no resolved copies of long relative values", async () => {
  // In its own process, with the collector run before each reading.
  const probe = new URL("../fixtures/policy/resolved_forms_probe.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", "--allow-read", "--v8-flags=--expose-gc", probe],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(
    text,
    /^matched 0 short true /,
    "long values match nothing; short ones still resolve",
  );
  const grown = Number(/growth (\S+) MiB/.exec(text)?.[1]);
  assert.ok(grown < 40, `the heap grew by ${grown} MiB`);
});

Deno.test("compilePredicate() never lets '..' climb out of a home folder it does not know", () => {
  // Without a home, "~/../docs/x" is not "docs/x": the server reads ~ as its user's home.
  const docs = compilePredicate("path", { glob: "docs/**" }, "every");
  assert.equal(docs.test(["~/../docs/x"]), false);
  assert.equal(docs.test(["docs/x"]), true);
  const home = compilePredicate("path", { glob: "/etc/**" }, "some", { home: "/home/u" });
  assert.equal(home.test(["~/../../etc/passwd"]), true, "a known home resolves");
});
