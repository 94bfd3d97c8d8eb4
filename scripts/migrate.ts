import { ConfigError, loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { openDatabase } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";

/** `npm run db:migrate`: applies pending migrations to the configured database (either mode). */
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  try {
    const applied = await database.withSession((session) => applyMigrations(session, logger));
    logger.info({ applied }, applied.length ? "migrations applied" : "database is up to date");
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`}\n`);
  process.exit(1);
}
