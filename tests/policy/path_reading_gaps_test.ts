/**
 * Readings of a path that a server may open and that a rule must see: percent
 * escapes in any segment, `~user`, macOS `/private` both ways, a Windows
 * `file:` URL's host as a share, and `\\?\GLOBALROOT` device paths.
 */
import assert from "node:assert/strict";
import { allows, blocks } from "./_path_predicate.ts";

const linux = { os: "linux", home: "/home/ana" };
const win = { os: "windows", home: "C:\\Users\\ana" };

Deno.test("percent escapes in any segment are read decoded, %2f as a separator", () => {
  const deny = { glob: ["/proc/self/**", "/etc/shadow", "/home/ana/.ssh/**"] };
  for (
    const value of [
      "/proc/%73elf/root/etc/shadow",
      "/proc/%73elf/environ",
      "/etc/%73hadow",
      "/etc%2fshadow",
      "/etc%2Fshadow",
      "%2fetc%2fshadow",
      "~/%2essh/id_rsa",
      "%7e/.ssh/id_rsa",
      "/home/ana/%2Essh/id_ed25519",
      // Encoded twice: a server that decodes until nothing is left.
      "/etc/%2573hadow",
      "file:///proc/%73elf/root/etc/shadow",
    ]
  ) {
    assert.equal(blocks(deny, value, linux), true, value);
  }
  // Nothing to decode, or a decoded name elsewhere: no match.
  assert.equal(blocks(deny, "/etc/%73hadow.bak", linux), false);
  assert.equal(blocks(deny, "/srv/100%.txt", linux), false);
  // A relative path decoded, then resolved against a base.
  assert.equal(
    blocks({ glob: "/etc/shadow" }, "..%2f..%2fetc%2fshadow", { ...linux, bases: ["/srv/app"] }),
    true,
  );
  // An allow rule needs every reading inside: the decoded one climbs out of /data.
  assert.equal(allows({ glob: "/data/**" }, "/data/..%2f..%2fetc/passwd", linux), false);
  assert.equal(allows({ glob: "/data/**" }, "/data/report%20q1.md", linux), true);
  assert.equal(blocks({ notGlob: "/data/**" }, "/data/..%2fetc%2fpasswd", linux), true);
  // Windows: %5c is a separator too.
  assert.equal(
    blocks({ glob: "C:/Users/*/.ssh/**" }, "C:%5cUsers%5cana%5c.ssh%5cid_rsa", win),
    true,
  );
});

Deno.test("~user is read as that user's home folder as well as a relative name", () => {
  const ssh = { glob: ["/root/.ssh/**", "/home/*/.ssh/**", "/Users/*/.ssh/**"] };
  for (const value of ["~root/.ssh/id_rsa", "~alice/.ssh/id_ed25519", "~bob_2/.ssh/config"]) {
    assert.equal(blocks(ssh, value, { os: "linux" }), true, value);
    assert.equal(blocks(ssh, value, { os: "darwin" }), true, value);
  }
  // `~name` alone is the folder itself.
  assert.equal(blocks({ glob: "/home/alice" }, "~alice", { os: "linux" }), true);
  assert.equal(blocks({ glob: "/root" }, "~root", { os: "linux" }), true);
  // Beside the given home folder: C:\Users\bob on Windows.
  assert.equal(blocks({ glob: "C:/Users/*/.ssh/**" }, "~bob\\.ssh\\id_rsa", win), true);
  // `..` after it resolves from that home.
  assert.equal(blocks(ssh, "~alice/../bob/.ssh/id_rsa", { os: "linux" }), true);
  // Still read as a relative name against a base, as before.
  assert.equal(
    blocks({ glob: "/srv/app/~alice/**" }, "~alice/x", { os: "linux", bases: ["/srv/app"] }),
    true,
  );
  // No user name: `~$lock.docx` and `~~` are names, not homes.
  assert.equal(blocks({ glob: "/home/**" }, "~$report.docx", { os: "linux" }), false);
  assert.equal(blocks({ glob: "/home/**" }, "~~/x", { os: "linux" }), false);
  // An allow rule needs the home reading inside too.
  assert.equal(allows({ glob: "~alice/**" }, "~alice/notes.txt", { os: "linux" }), false);
});

Deno.test("macOS: /etc, /var and /tmp are also read as /private/etc, /private/var, /private/tmp", () => {
  const mac = { os: "darwin" };
  const priv = { glob: ["/private/etc/**", "/private/var/db/**", "/private/tmp/secret/**"] };
  for (const value of ["/etc/sudoers", "/var/db/dslocal/x", "/TMP/secret/a", "/etc"]) {
    assert.equal(blocks(priv, value, mac), true, value);
  }
  assert.equal(blocks(priv, "/usr/local/etc/x", mac), false);
  assert.equal(blocks(priv, "/etc/sudoers", { os: "linux" }), false, "only on macOS");
  // Through /proc-like and URL readings too.
  assert.equal(blocks(priv, "file:///etc/sudoers", mac), true);
});

Deno.test("Windows: a file: URL with a host is also the UNC share it names", () => {
  const share = { glob: "//fileserver/**" };
  assert.equal(blocks(share, "file://fileserver/share/x.txt", win), true);
  assert.equal(blocks(share, "FILE://FileServer/share/a%20b.txt", win), true);
  // A glob written with escaped backslashes names the same share.
  assert.equal(blocks({ glob: "\\\\\\\\fileserver\\\\**" }, "\\\\fileserver\\share\\x", win), true);
  assert.equal(
    blocks({ glob: "\\\\\\\\fileserver\\\\**" }, "file://fileserver/share/x", win),
    true,
  );
  // The local machine's administrative share is the drive.
  assert.equal(
    blocks({ glob: "C:/Users/*/.ssh/**" }, "file://localhost/C$/Users/ana/.ssh/id_rsa", win),
    true,
  );
  assert.equal(blocks(share, "file://otherserver/share/x.txt", win), false);
  // Only on Windows: POSIX reads the host's path as a local file, as before.
  assert.equal(blocks(share, "file://fileserver/share/x.txt", { os: "linux" }), false);
});

Deno.test("Windows: GLOBALROOT and volume device paths do not slip past a rule on what they name", () => {
  const ssh = { glob: "C:/Users/*/.ssh/**" };
  for (
    const value of [
      "\\\\?\\GLOBALROOT\\??\\C:\\Users\\ana\\.ssh\\id_rsa",
      "\\\\.\\GLOBALROOT\\DosDevices\\C:\\Users\\ana\\.ssh\\id_rsa",
      "\\\\?\\GLOBALROOT\\GLOBAL??\\C:\\Users\\ana\\.ssh\\id_rsa",
      "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\Users\\ana\\.ssh\\id_rsa",
      "\\\\.\\GLOBALROOT\\Device\\HarddiskVolume12\\Users\\ana\\.ssh\\id_rsa",
      "\\\\?\\Volume{0b3f9d2a-1c2d-4e5f-8a9b-0c1d2e3f4a5b}\\Users\\ana\\.ssh\\id_rsa",
      "\\??\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\Users\\ana\\.ssh\\id_rsa",
    ]
  ) {
    assert.equal(blocks(ssh, value, win), true, value);
  }
  assert.equal(
    blocks(
      { glob: "//fileserver/**" },
      "\\\\?\\GLOBALROOT\\Device\\Mup\\fileserver\\share\\x",
      win,
    ),
    true,
  );
  // A volume whose drive is unknown is inside no allowed folder, and outside every one.
  const device = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\data\\x.txt";
  assert.equal(allows({ glob: "C:/data/**" }, device, win), false);
  assert.equal(blocks({ notGlob: "C:/data/**" }, device, win), true);
  // An ordinary drive path is not affected.
  assert.equal(allows({ glob: "C:/data/**" }, "C:\\data\\x.txt", win), true);
});
