import type { IncomingMessage, ServerResponse } from "node:http";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Exact method + path routing: every emulated endpoint has a fixed path, so no patterns needed. */
export class Router {
  private readonly routes = new Map<string, Map<string, RouteHandler>>();

  add(method: string, path: string, handler: RouteHandler): void {
    const byMethod = this.routes.get(path) ?? new Map<string, RouteHandler>();
    byMethod.set(method, handler);
    this.routes.set(path, byMethod);
  }

  /** The handler, "method" when only the method is wrong, or undefined for an unknown path. */
  match(method: string, path: string): RouteHandler | "method" | undefined {
    const byMethod = this.routes.get(path);
    if (!byMethod) return undefined;
    return byMethod.get(method) ?? "method";
  }
}
