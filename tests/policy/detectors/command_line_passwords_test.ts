import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";

const PASSWORD = "Tr0ub4dor" + "3xyzQ";

function detector(type: string) {
  const spec = DETECTORS.find((d) => d.type === type);
  assert.ok(spec, type);
  return spec;
}

function secretTypes(args: unknown): string[] {
  return scanArguments(args, { kinds: new Set(["secret"]) }).findings.map((f) => f.type);
}

Deno.test("url_credentials finds passwords given to commands known to take them", () => {
  const d = detector("url_credentials");
  for (
    const text of [
      `mysql -u root -p${PASSWORD} -h db shop`,
      `mysqldump -h db -u app -p'${PASSWORD}' shop > dump.sql`,
      `mariadb -uroot -p"${PASSWORD}"`,
      `sshpass -p '${PASSWORD}' ssh root@host`,
      `sshpass -p${PASSWORD} scp a host:`,
      `docker login -u ci -p ${PASSWORD} registry.example.org`,
      `echo | podman login --username ci --password=${PASSWORD} quay.io`,
      `helm registry login -u ci -p ${PASSWORD} oci.example.org`,
      `curl -H "Cookie: session=${PASSWORD}${PASSWORD}" https://app.example.org`,
      `curl -b 'sid=9fQ2xL7vR4tZ8mK1pW3sA' https://app.example.org`,
      `sshpass -e -p ${PASSWORD} ssh -p 2222 root@host`,
      `sshpass -v -p"${PASSWORD}" rsync -a x host:`,
      `docker login ghcr.io -u ci -p ${PASSWORD}`,
      `docker login ghcr.io --password ${PASSWORD} -u ci`,
      `podman login -u ci -p ${PASSWORD} quay.io & podman run -p 8080:80 img`,
      `mysql shop -u root -p${PASSWORD}`,
      // A shell separator inside quotes separates nothing.
      "sshpass -p 'Pa&ssw0rd99x' ssh root@host",
      "mysql -u root -p'Pa&ssw0rd99x' shop",
      "docker login -u ci -p 'Pa;ssw0rd|99x' registry.example.org",
    ]
  ) {
    assert.equal(d.detect(text, undefined), true, text);
  }
});

Deno.test("url_credentials leaves -p and cookies that hold no password alone", () => {
  const d = detector("url_credentials");
  for (
    const text of [
      "mysql -u root -p -h db shop",
      "mysql -u root -P 3306 -h db",
      'mysql -u root -p"$MYSQL_PWD" -h db',
      "mysql -u root -p<password> -h db",
      "sshpass -f ~/.ssh/pass ssh root@host",
      "sshpass -e ssh root@host",
      "echo $TOKEN | docker login -u ci --password-stdin ghcr.io",
      "docker run -p 8080:80 -p 443:443 nginx:latest",
      "ssh -p 2222 deploy@host",
      "git log -p --stat; ps -p 12345678",
      "npm login --scope=@acme",
      'curl -H "Cookie: theme=dark; lang=en-US" https://app.example.org',
      "curl -b cookies.txt -c cookies.txt https://app.example.org",
      "docker login -u ci -p ${REGISTRY_PASSWORD} registry.example.org",
      // Another command's -p: after the first word that is no option of sshpass, or a separator.
      'sshpass -f ~/.pw ssh deploy@web01 "mkdir -p /opt/app"',
      "sshpass -e rsync -a -p /srv/data/ backup@nas:/backups/",
      "sshpass -e ssh -p 2222 deploy@host 'mkdir -p /var/www/html'",
      "SSHPASS=x sshpass -e ssh -o StrictHostKeyChecking=no -p 22022 deploy@10.0.0.5",
      "sshpass -P assphrase -f pw ssh -p 443 host",
      "podman login quay.io & podman run -p 127.0.0.1:8080:80 img",
      "docker login ghcr.io || docker run -p 127.0.0.1:8080:80 img",
      "docker login ghcr.io | tee log; docker run -p 127.0.0.1:8080:80 img",
    ]
  ) {
    assert.equal(d.detect(text, undefined), false, text);
  }
});

Deno.test("provider_token finds a Discord webhook URL", () => {
  const d = detector("provider_token");
  const token = "Kq3vZ8pL2mX9tR4wB7nC1yH6jF5dS0gA-uE_oI3kT8rW2qN7vM4bP9xL1zY6cV5hG0";
  assert.equal(
    d.detect(`post to https://discord.com/api/webhooks/123456789012345678/${token}`, undefined),
    true,
  );
  assert.equal(
    d.detect(
      `https://discordapp.com/api/webhooks/123456789012345678/${token}?wait=true`,
      undefined,
    ),
    true,
  );
  assert.equal(d.detect("https://discord.com/api/webhooks/{id}/{token}", undefined), false);
  assert.equal(
    d.detect(`https://discord.com/api/webhooks/123456789012345678/${"x".repeat(68)}`, undefined),
    false,
  );
});

Deno.test("api_key_assignment finds a UUID npm auth token in .npmrc text", () => {
  const uuid = "8f2a6c1e-3b4d-4e5f-9a8b-7c6d5e4f3a2b";
  assert.deepEqual(secretTypes({ content: `//registry.npmjs.org/:_authToken=${uuid}` }), [
    "api_key_assignment",
  ]);
  assert.deepEqual(secretTypes({ content: `_authToken=${uuid}\n` }), ["api_key_assignment"]);
  // Other token names under which a UUID is an id, not a secret, stay clear.
  assert.deepEqual(secretTypes({ ClientToken: uuid }), []);
  assert.deepEqual(secretTypes({ content: `ClientToken=${uuid}` }), []);
});
