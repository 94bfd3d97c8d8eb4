import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_ENCRYPTION_KEY, type TestServer } from "./support/server.js";

const { version } = createRequire(import.meta.url)("@graphql-yoga/graphiql/package.json") as { version: string };
const STYLESHEET = `/graphiql/assets/${version}/graphiql.css`;

const getPage = (url: string) => fetch(url, { headers: { accept: "text/html" } });

/** Every absolute-path URL in the page: <link>/<script> attributes and the worker URLs in the inline script. */
const assetUrls = (html: string) => [...new Set([...html.matchAll(/"(\/[^"]+)"/g)].map((m) => m[1]!))];

describe("GraphiQL (development)", () => {
  let t: TestServer;
  let html: string;
  beforeAll(async () => {
    t = await startTestServer("embedded");
    const res = await getPage(t.graphqlUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    html = await res.text();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("renders our page, with Yoga's options, and no external URL anywhere", () => {
    expect(html).toContain("YogaGraphiQL.renderYogaGraphiQL");
    expect(html).toContain("<title>Quizzical Beats Integrations</title>");
    expect(html).toContain('"credentials":"same-origin"');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/(src|href)="\/\//); // protocol-relative URLs are external too
  });

  it("serves every asset the page references, with its content type and a long cache lifetime", async () => {
    const urls = assetUrls(html);
    expect(urls).toHaveLength(5); // stylesheet, app bundle, three Monaco workers
    expect(urls).toContain(STYLESHEET);
    for (const path of urls) {
      expect(path).toMatch(/^\/graphiql\/assets\//);
      const res = await fetch(t.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toBe(
        path.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      );
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const body = await res.arrayBuffer();
      expect(body.byteLength).toBe(Number(res.headers.get("content-length")));
      expect(body.byteLength).toBeGreaterThan(0);
    }
  });

  it("serves nothing else from the package or beyond it", async () => {
    const dir = STYLESHEET.slice(0, STYLESHEET.lastIndexOf("/") + 1);
    for (const path of [
      "/graphiql/assets/..%2F..%2Fpackage.json",
      `${dir}..%2F..%2F..%2F..%2Fpackage.json`,
      `${dir}yoga-graphiql.es.js`,
    ]) {
      const res = await fetch(t.url + path);
      expect(res.status, path).toBe(404);
      await res.body?.cancel();
    }
  });
});

describe("GraphiQL (production)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("embedded", { NODE_ENV: "production", TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("does not render GraphiQL or serve its assets", async () => {
    const res = await getPage(t.graphqlUrl);
    expect(res.status).not.toBe(200); // Yoga answers 406: it has nothing to offer an HTML-only client
    expect(res.headers.get("content-type") ?? "").not.toMatch(/^text\/html/);
    expect(await res.text()).not.toContain("YogaGraphiQL");
    const asset = await fetch(t.url + STYLESHEET);
    expect(asset.status).toBe(404);
    await asset.body?.cancel();
  });
});
