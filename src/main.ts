import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server.js";
import { stopOnSignals } from "./stop-on-signals.js";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
try {
  const server = await startServer(config, { logger });
  stopOnSignals(logger, () => server.close());
} catch (error) {
  logger.fatal({ err: error }, "server failed to start");
  process.exit(1);
}
