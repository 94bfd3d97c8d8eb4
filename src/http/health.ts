import type { Route } from "./router.js";
import { sendJson } from "./respond.js";

export function healthRoutes(ping: () => Promise<void>, timeoutMs = 2000): Route[] {
  return [
    { method: "GET", path: "/healthz", handler: (_req, res) => sendJson(res, 200, { status: "ok" }) },
    {
      method: "GET",
      path: "/readyz",
      handler: async (_req, res) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("database did not answer in time")), timeoutMs);
        });
        try {
          await Promise.race([ping(), timeout]);
          sendJson(res, 200, { status: "ready", database: "ok" });
        } catch {
          sendJson(res, 503, { status: "unavailable", database: "unreachable" });
        } finally {
          clearTimeout(timer);
        }
      },
    },
  ];
}
