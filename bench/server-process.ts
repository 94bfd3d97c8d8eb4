/**
 * Our server alone in a child process, so the upload benchmark can measure its RSS without the
 * emulator or the load generator in the same heap. Configured entirely by the environment
 * (like src/main.ts); tells the parent its URL over IPC and stops when asked. Started with
 * --expose-gc: the parent asks for a full collection before it takes the idle baseline, or
 * hundreds of MB of start-up garbage (the embedded database's initialisation) may be freed in
 * the middle of the measured upload and hide what the upload itself costs.
 */
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startServer } from "../src/server.js";
import { serveParent } from "./child-ipc.js";

if (!gc) throw new Error("bench/server-process.ts needs --expose-gc");
const collect = gc;
const config = loadConfig(process.env);
const server = await startServer(config, { logger: createLogger(config.logLevel) });
serveParent("bench/server-process.ts", server.url, () => server.close(), (message) => {
  if (message === "gc") {
    collect();
    process.send!({ type: "gc-done" });
  }
});
