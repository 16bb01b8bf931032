import assert from "node:assert/strict";
import { permissionFlags } from "../../src/release/permission_flags.ts";
import { isAppError } from "../../src/errors.ts";

const vectors: { name: string; set: unknown; flags: string[] }[] = [
  { name: "empty set grants nothing", set: {}, flags: [] },
  { name: "false grants nothing", set: { read: false, net: false, ffi: false }, flags: [] },
  { name: "true grants the kind", set: { read: true }, flags: ["--allow-read"] },
  { name: "empty list grants nothing", set: { env: [] }, flags: [] },
  {
    name: "lists join with commas",
    set: { sys: ["hostname", "osRelease"] },
    flags: ["--allow-sys=hostname,osRelease"],
  },
  {
    name: "flags come in a fixed kind order",
    set: { run: true, env: ["HOME"], read: true, write: ["/tmp/x"], net: ["127.0.0.1:8080"] },
    flags: [
      "--allow-read",
      "--allow-write=/tmp/x",
      "--allow-net=127.0.0.1:8080",
      "--allow-env=HOME",
      "--allow-run",
    ],
  },
  {
    name: "the thoth set of deno.json",
    set: {
      read: true,
      write: true,
      env: true,
      run: true,
      sys: ["hostname", "osRelease", "uid", "gid"],
      net: false,
      ffi: false,
    },
    flags: [
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys=hostname,osRelease,uid,gid",
      "--allow-run",
    ],
  },
  {
    name: "allow/deny/ignore rule",
    set: { read: { allow: true, deny: ["/etc/shadow"], ignore: ["/proc"] } },
    flags: ["--allow-read", "--deny-read=/etc/shadow", "--ignore-read=/proc"],
  },
  { name: "all: true is --allow-all", set: { all: true }, flags: ["--allow-all"] },
  {
    name: "import kind",
    set: { import: ["registry.npmjs.org:443"] },
    flags: [
      "--allow-import=registry.npmjs.org:443",
    ],
  },
  {
    name: "windows absolute path",
    set: { write: ["C:\\thoth"] },
    flags: ["--allow-write=C:\\thoth"],
  },
];

for (const v of vectors) {
  Deno.test(`permissionFlags() ${v.name}`, () => {
    assert.deepEqual(permissionFlags(v.set), v.flags);
  });
}

const bad: { name: string; set: unknown }[] = [
  { name: "an unknown kind", set: { hrtime: true } },
  { name: "a value with a comma", set: { env: ["A,B"] } },
  { name: "a relative read path", set: { read: ["./data"] } },
  { name: "a relative write path", set: { write: ["~/.thoth"] } },
  { name: "a string instead of a list", set: { net: "example.com" } },
  { name: "a non-object set", set: ["read"] },
  { name: "an ignore list on net", set: { net: { ignore: true } } },
  { name: "an unknown rule key", set: { read: { permit: true } } },
];
for (const v of bad) {
  Deno.test(`permissionFlags() rejects ${v.name}`, () => {
    assert.throws(() => permissionFlags(v.set), (e) => isAppError(e, "build.permission_invalid"));
  });
}
