import type { IncomingMessage, ServerResponse } from "node:http";

/** Path parameters of a pattern route such as /v1/tracks/{id}. */
export type RouteParams = Record<string, string>;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL, params: RouteParams) => Promise<void>;

export type RouteMatch = { handler: RouteHandler; params: RouteParams };

interface PatternRoute {
  segments: string[];
  byMethod: Map<string, RouteHandler>;
}

const PARAM = /^\{(\w+)\}$/;

/**
 * Method + path routing. Dropbox's endpoints all have fixed paths; Spotify's Web API puts
 * ids in the path, so a path may also be a pattern with {name} segments. Fixed paths win.
 */
export class Router {
  private readonly exact = new Map<string, Map<string, RouteHandler>>();
  private readonly patterns = new Map<string, PatternRoute>();

  add(method: string, path: string, handler: RouteHandler): void {
    if (!path.includes("{")) {
      const byMethod = this.exact.get(path) ?? new Map<string, RouteHandler>();
      byMethod.set(method, handler);
      this.exact.set(path, byMethod);
      return;
    }
    const route = this.patterns.get(path) ?? { segments: path.split("/"), byMethod: new Map<string, RouteHandler>() };
    route.byMethod.set(method, handler);
    this.patterns.set(path, route);
  }

  /** The handler, "method" when only the method is wrong, or undefined for an unknown path. */
  match(method: string, path: string): RouteMatch | "method" | undefined {
    const exact = this.exact.get(path);
    if (exact) {
      const handler = exact.get(method);
      return handler ? { handler, params: {} } : "method";
    }
    const segments = path.split("/");
    for (const route of this.patterns.values()) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      const handler = route.byMethod.get(method);
      return handler ? { handler, params } : "method";
    }
    return undefined;
  }
}

function matchSegments(pattern: string[], actual: string[]): RouteParams | null {
  if (pattern.length !== actual.length) return null;
  const params: RouteParams = {};
  for (const [index, segment] of pattern.entries()) {
    const value = actual[index] ?? "";
    const name = PARAM.exec(segment)?.[1];
    if (name === undefined) {
      if (segment !== value) return null;
      continue;
    }
    if (value === "") return null;
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return params;
}
