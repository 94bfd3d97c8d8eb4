import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 only. close() destroys every open socket, because some requests
 * (the "timeout" fault) are deliberately never answered and would otherwise hold it open.
 */
export function listenOnLoopback(
  port: number,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => failRequest(res, error));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

/** A bug in the emulator should surface as a 500 the test can see, not as a hung request. */
function failRequest(res: ServerResponse, error: unknown): void {
  // A client that hung up mid-body is routine (retries, the "reset" fault): nothing to report.
  if (res.destroyed || res.req.destroyed) return;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`provider emulator: internal error: ${message}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
  res.end(`emulator internal error: ${message}`);
}
