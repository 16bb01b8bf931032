import assert from "node:assert/strict";
import { allows, blocks } from "./_path_predicate.ts";

Deno.test("a glob naming a file also matches it written with a trailing /", () => {
  const bases = { bases: ["/srv"] };
  assert.equal(blocks({ glob: "**/.env" }, "/srv/app/.env/"), true);
  assert.equal(blocks({ glob: "**/.env" }, "/srv/app/.env//"), true);
  assert.equal(blocks({ glob: "**/.env" }, "app/.env/"), true);
  assert.equal(blocks({ glob: "/srv/app/.env" }, "app/.env/", bases), true);
  assert.equal(blocks({ glob: "/etc/shadow" }, "/etc/shadow/"), true);
  assert.equal(blocks({ glob: "**/*.pem" }, "key.pem/"), true);
  assert.equal(blocks({ prefix: "/etc/shadow" }, "/etc/shadow/"), true);
  // An allow rule needs both readings inside.
  assert.equal(allows({ glob: "/data/**" }, "/data/reports/"), true);
  assert.equal(allows({ glob: "/data/*/" }, "/data/reports/"), false);
  // A deny-outside rule keeps a folder written with its "/" inside.
  assert.equal(blocks({ notGlob: "/data/**" }, "/data/"), false);
  assert.equal(blocks({ notGlob: "/data/**" }, "/data/reports/"), false);
});

Deno.test("notGlob over names and URLs does not match the values it lists, wherever a base puts them", () => {
  const listed = { notGlob: ["hello *", "https://api.github.com/**", "feature/**"] };
  const bases = { bases: ["/srv/app", "/data"] };
  for (const value of ["hello world", "https://api.github.com/repos/o/r", "feature/login"]) {
    assert.equal(blocks(listed, value, bases), false, value);
    assert.equal(blocks(listed, value), false, value);
  }
  for (const value of ["goodbye", "https://evil.example.net/x", "main", "../feature/x"]) {
    assert.equal(blocks(listed, value, bases), true, value);
  }
  // Readings that name another target still count: a URL parser's, a decoded dot segment.
  assert.equal(blocks(listed, "https://api.github.com/a/%2e%2e/b", bases), false);
  assert.equal(blocks(listed, "feature/%2e%2e/%2e%2e/x", bases), true);
  assert.equal(blocks({ notGlob: "/data/**" }, "/data/%2e%2e/etc/passwd"), true);
  assert.equal(
    blocks({ notGlob: "https://api.github.com/**" }, "https://api.github.com.evil.net/"),
    true,
  );
  // A relative path outside every base-relative glob is still refused, as before.
  assert.equal(blocks({ notGlob: "/data/**" }, "a.txt", { bases: ["/data"] }), true);
  // And inside a combined predicate a resolved path still sees its own exceptions.
  const writable = { glob: "/data/**", notGlob: "/data/public/**" };
  assert.equal(blocks(writable, "public/x", { bases: ["/data"] }), false);
  assert.equal(blocks(writable, "secret/x", { bases: ["/data"] }), true);
});

Deno.test("a URL glob also sees the value as a URL parser reads it", () => {
  const metadata = { glob: "http://169.254.169.254/**" };
  for (
    const value of [
      "HTTP://169.254.169.254/latest/meta-data/",
      "http://169.254.169.254:80/latest/meta-data/",
      "http://x@169.254.169.254/latest/meta-data/",
      "http:\\\\169.254.169.254\\latest\\meta-data",
      "http://169.254.169.254\\latest/meta-data",
      "http:169.254.169.254/latest/meta-data",
      "http:/169.254.169.254/latest/meta-data",
      "http://0xa9fea9fe/latest/meta-data",
      " http://169.254.169.254/latest",
    ]
  ) {
    assert.equal(blocks(metadata, value), true, value);
  }
  const admin = { glob: "https://internal.example.com/admin/**" };
  assert.equal(blocks(admin, "https://Internal.example.com/admin/users"), true);
  assert.equal(blocks(admin, "https://internal.example.com:443/admin/users"), true);
  assert.equal(blocks(admin, "https://internal.example.com/public/../admin/users"), true);
  assert.equal(blocks(admin, "https://internal.example.com/public/users"), false);
  assert.equal(blocks(admin, "https://internal.example.com:8443/admin/users"), false);
  // A glob written with capitals in its host matches the parser's lower case too.
  assert.equal(
    blocks(
      { prefix: "https://Internal.Example.com/admin" },
      "https://internal.example.com/admin/x",
    ),
    true,
  );
  // An allow rule needs every reading inside.
  assert.equal(allows({ glob: "https://api.github.com/**" }, "https://api.github.com/repos"), true);
  assert.equal(allows({ glob: "https://api.github.com/**" }, "HTTPS://api.github.com/x"), false);
  assert.equal(allows({ glob: "http://a.example/**" }, "http://a.example@b.example/"), false);
});

Deno.test("/proc links to the root and the working folder are read as the paths they reach", () => {
  const etc = { glob: "/etc/**" };
  assert.equal(blocks(etc, "/proc/self/root/etc/hostname"), true);
  assert.equal(blocks(etc, "/proc/4242/root/etc/shadow"), true);
  assert.equal(blocks(etc, "/proc/thread-self/root/etc/shadow"), true);
  assert.equal(blocks(etc, "/proc/self/task/4243/root/etc/shadow"), true);
  assert.equal(blocks(etc, "//proc/self/root/../../etc/shadow"), true);
  assert.equal(
    blocks({ glob: "/srv/app/secret/**" }, "/proc/self/cwd/secret/plan.txt", {
      bases: ["/srv/app"],
    }),
    true,
  );
  assert.equal(blocks({ glob: "/proc/self/**" }, "/proc/self/status"), true);
  assert.equal(allows({ glob: "/proc/self/root/data/**" }, "/proc/self/root/data/x"), false);
  assert.equal(blocks(etc, "/proc/self/status"), false);
});

Deno.test("macOS paths under /private and the data volume are the same files as /etc, /var, /tmp", () => {
  const mac = { os: "darwin" };
  const system = { glob: ["/etc/**", "/var/db/**", "/tmp/secret/**", "/Users/*/.ssh/**"] };
  for (
    const value of [
      "/private/etc/sudoers",
      "/private/var/db/dslocal/x",
      "/PRIVATE/tmp/secret/a",
      "/System/Volumes/Data/Users/ana/.ssh/id_ed25519",
      "/System/Volumes/Data/private/etc/hosts",
    ]
  ) {
    assert.equal(blocks(system, value, mac), true, value);
  }
  assert.equal(blocks(system, "/private/etc/sudoers", { os: "linux" }), false, "only on macOS");
});

Deno.test("Windows device, long-path and administrative-share spellings, streams and trailing dots", () => {
  const win = { os: "windows" };
  const ssh = { glob: "C:/Users/*/.ssh/**" };
  for (
    const value of [
      "\\\\?\\C:\\Users\\ana\\.ssh\\id_rsa",
      "\\\\.\\C:\\Users\\ana\\.ssh\\id_rsa",
      "//?/c:/Users/ana/.ssh/id_rsa",
      "\\\\localhost\\C$\\Users\\ana\\.ssh\\id_rsa",
      "\\\\127.0.0.1\\c$\\Users\\ana\\.ssh\\id_rsa",
      "C:\\Users\\ana\\.ssh. \\id_rsa",
      "C:\\Users\\ana\\.ssh::$INDEX_ALLOCATION\\id_rsa",
    ]
  ) {
    assert.equal(blocks(ssh, value, win), true, value);
  }
  const env = { glob: "**/.env" };
  assert.equal(blocks(env, "C:\\app\\.env::$DATA", win), true);
  assert.equal(blocks(env, "C:\\app\\.env:stream", win), true);
  assert.equal(blocks(env, "C:\\app\\.env.", win), true);
  assert.equal(blocks(env, "C:\\app\\.env . .", win), true);
  assert.equal(blocks(env, "C:\\app\\.env\\", win), true);
  assert.equal(blocks({ glob: "C:/data/**" }, "\\\\?\\UNC\\server\\share\\x", win), false);
  assert.equal(blocks(env, "C:\\app\\.env.example", win), false);
});
