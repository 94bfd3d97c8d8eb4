import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { GraphiQLOptions } from "graphql-yoga";
import type { Route } from "./router.js";

/*
 * Yoga's built-in GraphiQL page loads its CSS, JS and Monaco workers from unpkg.com, which leaves it blank
 * on machines without internet access. We serve the same files from the installed @graphql-yoga/graphiql
 * package and render a page that references only them.
 */

const require = createRequire(import.meta.url);
const packageJsonPath = require.resolve("@graphql-yoga/graphiql/package.json");
const { version } = require(packageJsonPath) as { version: string };
const DIST_DIR = join(dirname(packageJsonPath), "dist");

/** The version is in the path so the assets can be cached forever and an upgrade still gets fresh copies. */
const ASSET_PREFIX = `/graphiql/assets/${version}/`;

/** The only files served: exact paths, so nothing else in (or outside) the package is reachable. */
const ASSETS = {
  css: "graphiql.css",
  app: "yoga-graphiql.umd.js",
  editorWorker: "monacoeditorwork/editor.worker.bundle.js",
  jsonWorker: "monacoeditorwork/json.worker.bundle.js",
  graphqlWorker: "monacoeditorwork/graphql.worker..bundle.js", // the double dot is the package's real file name
} as const;

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

const assetUrl = (file: string) => ASSET_PREFIX + file;

export function graphiqlAssetRoutes(): Route[] {
  return Object.values(ASSETS).map((file) => ({
    method: "GET",
    path: assetUrl(file),
    handler: async (req, res) => {
      const path = join(DIST_DIR, file);
      const { size } = await stat(path);
      res.writeHead(200, {
        "content-type": CONTENT_TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream",
        "content-length": size,
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      // A browser that navigates away mid-download closes the socket: not an error of ours.
      await pipeline(createReadStream(path), res).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ERR_STREAM_PREMATURE_CLOSE") throw error;
      });
    },
  }));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Inline-script-safe JSON: a "</script>" inside a value must not end the script element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * Yoga's `renderGraphiQL`: the same page as Yoga's own, with every URL on this server. The empty data: favicon
 * keeps the browser from requesting one at all.
 */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const title = escapeHtml(options.title || "Yoga GraphiQL");
  // Monaco asks for a worker per label. Yoga's page turns cross-origin workers into blob URLs; ours are
  // same-origin, so their URLs work directly.
  const workerUrls = {
    editorWorkerService: assetUrl(ASSETS.editorWorker),
    json: assetUrl(ASSETS.jsonWorker),
    graphql: assetUrl(ASSETS.graphqlWorker),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl(ASSETS.css)}">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root">Loading ${title}...</div>
<script>
const workerUrls = ${scriptJson(workerUrls)};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workerUrls[label] };
</script>
<script src="${assetUrl(ASSETS.app)}"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), ${scriptJson(options)});</script>
</body>
</html>
`;
}
