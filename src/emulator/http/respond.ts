import type { ServerResponse } from "node:http";

/** Every provider answer can carry a token or a one-time code, so nothing may be cached. */
const NO_STORE: Record<string, string> = { "cache-control": "no-store", pragma: "no-cache" };

export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...NO_STORE,
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, "application/json", JSON.stringify(body), headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  send(res, status, "text/plain; charset=utf-8", text, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, "text/html; charset=utf-8", html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { ...NO_STORE, location, "content-length": "0" });
  res.end();
}
