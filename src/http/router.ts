import type { IncomingMessage, ServerResponse } from "node:http";

/** A plain HTTP route beside Yoga (health checks, OAuth callbacks). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface Route {
  method: "GET" | "POST";
  path: string;
  handler: RouteHandler;
}

export function findRoute(routes: Route[], method: string, pathname: string): Route | "method-not-allowed" | undefined {
  const matches = routes.filter((r) => r.path === pathname);
  if (matches.length === 0) return undefined;
  return matches.find((r) => r.method === method || (method === "HEAD" && r.method === "GET")) ?? "method-not-allowed";
}
