import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID, getRandomValues } from "node:crypto";
import type { Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { openDatabase, type Database } from "./db/database.js";
import { applyMigrations } from "./db/migrate.js";
import { resolveEncryptionKey } from "./crypto/encryption-key.js";
import { createTokenCipher } from "./crypto/token-cipher.js";
import { createSessionStore } from "./auth/sessions.js";
import { createSignInThrottle } from "./auth/sign-in-throttle.js";
import type { Services } from "./context.js";
import { createGraphQLHandler, CSRF_HEADERS } from "./http/graphql.js";
import { handleStreamingMultipart } from "./http/streaming-multipart.js";
import { healthRoutes } from "./http/health.js";
import { graphiqlAssetRoutes } from "./http/graphiql.js";
import { findRoute, type Route } from "./http/router.js";
import { sendJson } from "./http/respond.js";
import { createProviders } from "./oauth/providers.js";
import { createTokenRefresher } from "./oauth/token-refresher.js";
import { createAppTokenSource } from "./spotify/app-token.js";
import { oauthCallbackRoute } from "./oauth/callback-route.js";
import type { Fetch } from "./oauth/openid.js";

/** Largest non-upload GraphQL request body accepted; bigger ones get 413 before parsing. */
const MAX_GRAPHQL_BODY_BYTES = 1024 * 1024;
const SHUTDOWN_GRACE_MS = 10_000;

export interface ServerOptions {
  logger?: Logger;
  now?: () => Date;
  /** Outbound HTTP to providers. */
  fetch?: Fetch;
  /** Called for every SQL statement (tests count queries). */
  onDatabaseQuery?: () => void;
}

export interface RunningServer {
  url: string;
  services: Services;
  database: Database;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  const database = await openDatabase(config.database, { onQuery: options.onDatabaseQuery });
  try {
    if (config.migrateOnStart) await database.withSession((session) => applyMigrations(session, logger));
    const key = await resolveEncryptionKey(config, logger);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const cipher = createTokenCipher(key, config.tokenEncryption.oldKeys);
    const providers = createProviders(config, fetchImpl);
    const services: Services = {
      config,
      logger,
      prisma: database.prisma,
      now,
      cipher,
      fetch: fetchImpl,
      providers,
      refresher: createTokenRefresher({ prisma: database.prisma, cipher, providers, logger, now }),
      spotifyAppToken: providers.SPOTIFY ? createAppTokenSource(providers.SPOTIFY, now) : null,
      signInThrottle: createSignInThrottle(database.prisma, now),
      sessions: createSessionStore(database.prisma, { now, randomBytes: (n) => getRandomValues(new Uint8Array(n)) }),
    };
    const routes: Route[] = [
      ...healthRoutes(() => database.ping()),
      oauthCallbackRoute(services, "DROPBOX", "/users/dropbox/callback"),
      oauthCallbackRoute(services, "SPOTIFY", "/auth/spotify/callback"),
      // GraphiQL is off in production (see createGraphQLHandler), so its assets are too.
      ...(config.isProduction ? [] : graphiqlAssetRoutes()),
    ];
    const graphql = createGraphQLHandler(services);

    const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      if (url.pathname === "/graphql") {
        const length = Number(req.headers["content-length"] ?? 0);
        const isMultipart = (req.headers["content-type"] ?? "").startsWith("multipart/form-data");
        if (isMultipart && req.method === "POST") {
          // A form post is a "simple" request: same CSRF rule as Yoga applies to the rest.
          if (!CSRF_HEADERS.some((header) => req.headers[header] !== undefined)) {
            sendJson(res, 403, { errors: [{ message: `Multipart requests must send one of the headers ${CSRF_HEADERS.join(", ")}` }] });
            return;
          }
          await handleStreamingMultipart(req, res, async (body) =>
            graphql.fetch(
              "http://internal/graphql",
              {
                method: "POST",
                body,
                headers: {
                  "content-type": "application/json",
                  accept: req.headers.accept ?? "application/graphql-response+json",
                  ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
                  ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}),
                },
              },
              { req, res },
            ),
          );
          return;
        }
        if (length > MAX_GRAPHQL_BODY_BYTES) {
          sendJson(res, 413, { errors: [{ message: `Request body exceeds ${MAX_GRAPHQL_BODY_BYTES} bytes` }] });
          return;
        }
        await graphql.handle(req, res, { req, res });
        return;
      }
      if (url.pathname === "/" && !config.isProduction) {
        res.writeHead(302, { location: "/graphql" }).end();
        return;
      }
      const route = findRoute(routes, req.method ?? "GET", url.pathname);
      if (route === "method-not-allowed") sendJson(res, 405, { error: "method_not_allowed" });
      else if (route) await route.handler(req, res, url);
      else sendJson(res, 404, { error: "not_found" });
    };

    const server = createServer((req, res) => {
      const started = performance.now();
      const requestId = randomUUID();
      res.setHeader("x-request-id", requestId);
      // Only the path is logged: query strings can carry OAuth codes and state.
      const url = new URL(req.url ?? "/", "http://internal");
      res.on("finish", () => {
        logger.info(
          {
            requestId,
            method: req.method,
            path: url.pathname,
            status: res.statusCode,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
          },
          "request",
        );
      });
      handle(req, res, url).catch((error: unknown) => {
        logger.error({ err: error, requestId, path: url.pathname }, "unhandled error in HTTP handler");
        if (!res.headersSent) sendJson(res, 500, { error: "internal_error", requestId });
        else res.destroy();
      });
    });
    server.headersTimeout = 30_000;
    server.requestTimeout = 0; // uploads stream for as long as they take; idle sockets still time out
    await listen(server, config.port, config.host);
    const address = server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const url = `http://${host === "0.0.0.0" || host === "[::]" ? "localhost" : host}:${address.port}`;
    logger.info({ url, database: database.kind }, "server listening");

    let closing: Promise<void> | undefined;
    return {
      url,
      services,
      database,
      close() {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
            server.close(() => {
              clearTimeout(force);
              resolve();
            });
            server.closeIdleConnections();
          });
          await graphql.dispose();
          await database.close();
          logger.info("server stopped");
        })();
        return closing;
      },
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
