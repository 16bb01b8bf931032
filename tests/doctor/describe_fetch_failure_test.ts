import assert from "node:assert/strict";
import { describeFetchFailure } from "../../src/doctor/describe_fetch_failure.ts";

/** `fetch failed` with `inner` as its cause, as Deno's fetch throws it. */
function fetchFailed(inner: string): TypeError {
  return new TypeError("fetch failed", { cause: new Error(inner) });
}

const SENDING = "error sending request for url (https://enforce.acme.example.com/): ";

Deno.test("describeFetchFailure() names the cause in Deno's fetch errors", () => {
  const vectors: [string, string][] = [
    [
      `${SENDING}client error (Connect): tcp connect error: Connection refused (os error 111)`,
      "connection refused",
    ],
    [
      `${SENDING}client error (Connect): tcp connect error: No connection could be made because the target machine actively refused it. (os error 10061)`,
      "connection refused",
    ],
    [
      `${SENDING}client error (Connect): dns error: failed to lookup address information: Name or service not known`,
      "name not found",
    ],
    [
      `${SENDING}client error (Connect): dns error: failed to lookup address information: nodename nor servname provided, or not known`,
      "name not found",
    ],
    [
      `${SENDING}client error (Connect): dns error: failed to lookup address information: Temporary failure in name resolution`,
      "the name could not be looked up (temporary failure in name resolution)",
    ],
    [
      `${SENDING}client error (Connect): invalid peer certificate: UnknownIssuer`,
      "TLS: the certificate is not signed by an authority this machine trusts",
    ],
    [
      `${SENDING}client error (Connect): invalid peer certificate: certificate not valid for name "enforce.acme.example.com"; certificate is only valid for DnsName("other.example")`,
      "TLS: the certificate is not valid for this host name",
    ],
    [
      `${SENDING}client error (Connect): invalid peer certificate: certificate expired: verification time 1800000000 (UNIX), but certificate is not valid after 1700000000 (100000000 seconds ago)`,
      "TLS: the certificate has expired",
    ],
    [
      `${SENDING}client error (Connect): invalid peer certificate: Expired`,
      "TLS: the certificate has expired",
    ],
    [
      `${SENDING}client error (Connect): invalid peer certificate: certificate not valid yet: verification time 1, but certificate is not valid before 2`,
      "TLS: the certificate is not valid yet (check this machine's clock)",
    ],
    [
      `${SENDING}client error (Connect): received corrupt message of type InvalidContentType`,
      "TLS handshake failed: the server did not answer in TLS (is it plain HTTP?)",
    ],
    [
      "error sending request from 127.0.0.1:1 for http://127.0.0.1:2/ (127.0.0.1:2): client error (SendRequest): connection closed before message completed",
      "the server closed the connection without an answer",
    ],
    [`${SENDING}client error (Connect): something new (os error 99)`, "something new"],
  ];
  for (const [inner, want] of vectors) {
    assert.equal(describeFetchFailure(fetchFailed(inner)), want, inner);
  }
});

Deno.test("describeFetchFailure() shows an unknown message on one line, without control characters", () => {
  assert.equal(
    describeFetchFailure(fetchFailed("odd\u001b[31m text\nsecond line")),
    "odd[31m text",
  );
  assert.equal(describeFetchFailure(new TypeError("fetch failed")), "fetch failed");
  assert.equal(describeFetchFailure(fetchFailed("x".repeat(500))).length, 201);
  const looped = new Error("a loop");
  (looped as { cause?: unknown }).cause = looped;
  assert.equal(describeFetchFailure(looped), "a loop");
});
