import { defineConfig } from "prisma/config";

// Prisma's native schema engine cannot be downloaded on our machines; the JS engine with a
// driver adapter works offline (see ../shared/STACK.md). The adapter here only serves
// Prisma CLI commands; the application applies migrations itself (src/db/migrate.ts).
// The schema's `url = env("DATABASE_URL")` must resolve even in embedded mode, or the CLI
// falls back to downloading the native query engine.
process.env.DATABASE_URL ??= "postgresql://localhost/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    return new PrismaPGlite(new PGlite(process.env.PRISMA_CLI_PGLITE_DIR ?? "memory://"));
  },
});
