import { createYoga, maskError, type YogaServerInstance } from "graphql-yoga";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import type { IncomingMessage, ServerResponse } from "node:http";
import { schema } from "../schema/index.js";
import { readCookie, SESSION_COOKIE, clearedSessionCookie, sessionCookie } from "../auth/cookies.js";
import type { GraphQLContext, Services } from "../context.js";
import { createIntegrationLoader } from "../oauth/integration-loader.js";
import { renderGraphiQL } from "./graphiql.js";

type ServerContext = { req: IncomingMessage; res: ServerResponse };

/** Headers any client can add to pass CSRF prevention for "simple" requests (GET, multipart). */
export const CSRF_HEADERS = ["x-graphql-yoga-csrf", "apollo-require-preflight", "x-requested-with"];

export function createGraphQLHandler(services: Services): YogaServerInstance<ServerContext, GraphQLContext> {
  const { config, logger } = services;
  const responseCookies = new WeakMap<Request, string[]>();
  const cookieOptions = { secure: config.publicUrl.startsWith("https:") };

  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    // Only our own front end may make credentialed cross-origin calls (Yoga would reflect any origin).
    cors: {
      origin: [...new Set([new URL(config.appUrl).origin, new URL(config.publicUrl).origin])],
      credentials: true,
    },
    landingPage: false,
    graphiql: config.isProduction
      ? false
      : { title: "Quizzical Beats Integrations", credentials: "same-origin" },
    renderGraphiQL,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(" ")),
      info: (...args) => logger.info(args.map(String).join(" ")),
      warn: (...args) => logger.warn(args.map(String).join(" ")),
      error: (...args) => logger.error(args.map(String).join(" ")),
    },
    maskedErrors: {
      maskError(error, message) {
        const masked = maskError(error, message, false);
        if (masked !== error) {
          const original = (error as { originalError?: unknown }).originalError ?? error;
          logger.error({ err: original }, "unexpected error while executing a GraphQL operation");
        }
        return masked;
      },
    },
    plugins: [
      useCSRFPrevention({ requestHeaders: CSRF_HEADERS }),
      {
        onResponse({ request, response }) {
          for (const cookie of responseCookies.get(request) ?? []) response.headers.append("set-cookie", cookie);
        },
      },
    ],
    context: async ({ request }): Promise<GraphQLContext> => {
      const cookies: string[] = [];
      responseCookies.set(request, cookies);
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
      const cookieToken = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
      const token = bearer ?? cookieToken;
      const via = bearer ? "bearer" : "cookie";
      const validated = token ? await services.sessions.validate(token) : null;
      if (via === "cookie" && cookieToken) {
        if (!validated) cookies.push(clearedSessionCookie(cookieOptions));
        else if (validated.renewed) cookies.push(sessionCookie(cookieToken, validated.expiresAt, cookieOptions));
      }
      return {
        services,
        prisma: services.prisma,
        logger,
        viewer: validated?.user ?? null,
        session: validated && token ? { token, via } : null,
        responseCookies: cookies,
        integrations: createIntegrationLoader(services.prisma, services.refresher),
      };
    },
  });
}
