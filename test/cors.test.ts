import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

describe("CORS", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("embedded", { APP_URL: "https://app.quizzical.example" });
  });
  afterAll(async () => {
    await t?.close();
  });

  const preflight = (origin: string) =>
    fetch(t.graphqlUrl, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });

  it("lets the front end at APP_URL make credentialed requests", async () => {
    const res = await preflight("https://app.quizzical.example");
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.quizzical.example");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("does not grant other origins access", async () => {
    for (const origin of ["https://evil.example", "https://app.quizzical.example.evil.example"]) {
      const res = await preflight(origin);
      expect(res.headers.get("access-control-allow-origin")).not.toBe(origin);
    }
    const res = await fetch(t.graphqlUrl, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(res.headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
  });
});
