/**
 * Passwords given through bundled short options (`sshpass -vp secret`,
 * `mysql -Bpsecret`), which getopt-style parsers read like `-v -p secret`.
 */
import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";

const PASSWORD = "Tr0ub4dor" + "3xyzQ";

function detect(text: string): boolean {
  const spec = DETECTORS.find((d) => d.type === "url_credentials");
  assert.ok(spec);
  return spec.detect(text, undefined);
}

Deno.test("sshpass: -p bundled after flags, joined or with its value in the next word", () => {
  for (
    const text of [
      `sshpass -vp ${PASSWORD} ssh root@host`,
      `sshpass -vp${PASSWORD} ssh root@host`,
      `sshpass -v -p ${PASSWORD} ssh root@host`,
      `sshpass -p${PASSWORD} ssh root@host`,
      `sshpass -vvp '${PASSWORD}' scp a host:`,
      `sshpass -hVvp ${PASSWORD} ssh host`,
    ]
  ) {
    assert.equal(detect(text), true, text);
  }
  for (
    const text of [
      // -e takes the rest of its word (an environment variable's name), -f and -P the next.
      `sshpass -ep${PASSWORD} ssh host`,
      "sshpass -vf ~/.pw ssh -p 2222 host",
      "sshpass -vP assphrase -e ssh -p 22022 host",
      "sshpass -fpasswordfile ssh host",
      // The password is a placeholder.
      "sshpass -vp $SSHPASS ssh host",
      // After the command: ssh's own -vp.
      "sshpass -e ssh -vp 2222 deploy@host",
    ]
  ) {
    assert.equal(detect(text), false, text);
  }
});

Deno.test("mysql clients: -p joined to a password after bundled flags", () => {
  for (
    const text of [
      `mysql -u root -Bp${PASSWORD} shop`,
      `mysql -uroot -sNp${PASSWORD} -e 'select 1'`,
      `mysqldump -u app -vp'${PASSWORD}' shop`,
    ]
  ) {
    assert.equal(detect(text), true, text);
  }
  for (
    const text of [
      // -p alone prompts, bundled or not.
      "mysql -u root -Bp -h db shop",
      // -u and -h take the rest of the word: no -p in them.
      "mysql -uhelpdesk12345 -h db",
      "mysql -hcompanyprod01 -u app -p",
      // -e takes a statement; a "p" in it is no option.
      "mysql -epurge_logs_now shop",
    ]
  ) {
    assert.equal(detect(text), false, text);
  }
});
