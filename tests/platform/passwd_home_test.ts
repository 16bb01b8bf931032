import assert from "node:assert/strict";
import { passwdHome, passwdName } from "../../src/platform/passwd_home.ts";

const PASSWD = [
  "root:x:0:0:root:/root:/bin/bash",
  "# a comment",
  "broken line",
  "ana:x:1000:1000:Ana,,,:/home/ana/:/bin/zsh",
  "twin:x:1000:1000::/home/twin:/bin/sh",
  "odd:x:1001:1001::relative:/bin/sh",
  "",
].join("\n");

Deno.test("passwdHome() reads the home field of the user's first line", () => {
  assert.equal(passwdHome(PASSWD, 0), "/root");
  assert.equal(
    passwdHome(PASSWD, 1000),
    "/home/ana",
    "the first line wins, without its trailing /",
  );
  assert.equal(passwdHome(PASSWD, 1001), undefined, "a relative home is no home");
  assert.equal(passwdHome(PASSWD, 4242), undefined);
  assert.equal(passwdHome("", 0), undefined);
});

Deno.test("passwdName() reads the login name of the user's first line", () => {
  assert.equal(passwdName(PASSWD, 0), "root");
  assert.equal(passwdName(PASSWD, 1000), "ana");
  assert.equal(passwdName(PASSWD, 4242), undefined);
  assert.equal(passwdName(":x:7:7::/:/bin/sh", 7), undefined, "no name");
});
