import { ConfigError, loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createLogger } from "../src/logger.js";
import { emailSchema } from "../src/schema/validation.js";

/** `npm run user:promote -- <email>`: makes an existing user an administrator. */
const [rawEmail, ...rest] = process.argv.slice(2);
if (!rawEmail || rest.length > 0) {
  process.stderr.write("usage: npm run user:promote -- <email>\n");
  process.exit(2);
}
const email = emailSchema.safeParse(rawEmail);
if (!email.success) {
  process.stderr.write(`not a valid email address: ${rawEmail}\n`);
  process.exit(2);
}
try {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    if (config.migrateOnStart) {
      await database.withSession((session) => applyMigrations(session, createLogger("warn")));
    }
    const updated = await database.prisma.user.updateMany({ where: { email: email.data }, data: { role: "ADMIN" } });
    if (updated.count === 0) {
      process.stderr.write(`no user with email ${email.data}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`${email.data} is now an administrator\n`);
    }
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
  process.exit(1);
}
