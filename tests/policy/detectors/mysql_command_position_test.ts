/**
 * A MySQL client's `-p<password>` counts only where the client is the
 * command a shell runs, and bundles only the client's own options that take
 * no value: compiler flags after `-I/usr/include/mysql` and prose that names
 * mysql are no password.
 */
import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const PASSWORD = "S3cr3t" + "Passw0rd";

function detect(text: string): boolean {
  const spec = DETECTORS.find((d) => d.type === "url_credentials");
  assert.ok(spec);
  return spec.detect(text, undefined);
}

Deno.test("a word that ends in mysql is no mysql command: compiler and ls flags, prose", () => {
  const texts = [
    "g++ -I/usr/include/mysql -fpermissive -o app app.cpp",
    "gcc -O2 -I/usr/include/mysql -fprofile-arcs -ftest-coverage -c db.c",
    "cc -I/opt/mysql -fpack-struct=8 x.c",
    "ls -la /var/lib/mysql -sprintf_format_here",
    "Moved mysql to the new box. Rebuild the client with clang -fprofile-instr-generate for coverage.",
    "mysql -Dproduction_database_name",
    "mysql -e select_password_from_users",
    "mysqldump -rpath_to_result_file.sql shop",
  ];
  for (const text of texts) assert.equal(detect(text), false, text);
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));
  for (const text of texts) {
    const verdict = evaluate(policy, toolCall("shell", "run", { command: text }), {});
    assert.notEqual(verdict.decision, "block", text);
  }
});

Deno.test("each client's own flags bundle before -p; the client at a command's position", () => {
  for (
    const text of [
      `mysql -tp${PASSWORD} shop`,
      `mysql -rp${PASSWORD}`,
      `mysql -np${PASSWORD}`,
      `mysql -Hp${PASSWORD}`,
      `mysql -Bp${PASSWORD}`,
      `mysqldump -qp${PASSWORD} shop > d.sql`,
      `mysqldump -Rp${PASSWORD} shop`,
      `mysqldump -xp${PASSWORD} shop`,
      `mariadb-dump -qp${PASSWORD} shop`,
      `mysqladmin -fp${PASSWORD} status`,
      `sudo -u root mysql -uroot -p${PASSWORD}`,
      `cd /srv && /usr/bin/mysql -p${PASSWORD}`,
      `ls /var/lib/mysql; mysql -p${PASSWORD}`,
      `echo $(mysql -Bp${PASSWORD} -e 'select 1')`,
      `MYSQL_HOST=db env A=b nice -n 5 mysql -p${PASSWORD}`,
      `run it:\nmysql -uroot -p${PASSWORD} shop`,
    ]
  ) {
    assert.equal(detect(text), true, text);
  }
});
