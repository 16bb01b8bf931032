import assert from "node:assert/strict";
import { rateHttpAnswer } from "../../src/doctor/rate_http_answer.ts";

Deno.test("rateHttpAnswer() rates statuses and where redirects point", () => {
  const url = "https://enforce.acme.example.com";
  const vectors: [number, string | null, string, string][] = [
    [204, null, "healthy", "HTTP 204"],
    [401, null, "healthy", "HTTP 401"],
    [405, null, "healthy", "HTTP 405"],
    [307, "/v1/", "healthy", "HTTP 307 to /v1/"],
    [301, "https://enforce.acme.example.com/x?t=1", "healthy", "HTTP 301 to /x?…"],
    [502, null, "unhealthy", "HTTP 502 (a server error)"],
    [429, null, "unhealthy", "HTTP 429 (too many requests: the server is throttling)"],
    [
      407,
      null,
      "unhealthy",
      "HTTP 407 (a proxy between this machine and the server wants credentials)",
    ],
    [302, null, "unhealthy", "HTTP 302 (a redirect that says nowhere to go)"],
    [302, "http://[::1", "unhealthy", "HTTP 302 (a redirect to something that is not a URL)"],
    [
      302,
      "https://user:pw@portal.example.net/a#frag",
      "elsewhere",
      "HTTP 302 redirects to another host: https://portal.example.net/a",
    ],
    [
      301,
      "http://enforce.acme.example.com/",
      "elsewhere",
      "HTTP 301 redirects to plain HTTP: http://enforce.acme.example.com/",
    ],
    [
      302,
      "https://enforce.acme.example.com:8443/",
      "elsewhere",
      "HTTP 302 redirects to another port: https://enforce.acme.example.com:8443/",
    ],
    [
      302,
      "javascript:alert(1)",
      "elsewhere",
      "HTTP 302 redirects to something that is not a web address: javascript:…",
    ],
  ];
  for (const [status, location, rating, detail] of vectors) {
    assert.deepEqual(
      rateHttpAnswer(url, status, location),
      { rating, detail },
      `${status} ${location}`,
    );
  }
});
