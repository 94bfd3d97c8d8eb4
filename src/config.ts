import { z } from "zod";

/** Raised when the environment is invalid; its message names each offending variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const booleanString = z
  .enum(["true", "false", "1", "0"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1");

const httpUrl = z
  .url({ protocol: /^https?$/, message: "expected an absolute http(s) URL" })
  .transform((v) => v.replace(/\/+$/, ""));

const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, "base64").length === 32, {
    message: "expected 32 random bytes encoded as base64 (e.g. `openssl rand -base64 32`)",
  });

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce
    .number({ message: "expected a port number" })
    .int("expected a port number")
    .min(0, "expected a port between 0 and 65535")
    .max(65535, "expected a port between 0 and 65535")
    .default(5000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: httpUrl.default("http://localhost:5000"),
  APP_URL: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// connection URL")
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default("./.data"),
  TOKEN_ENCRYPTION_KEY: z.preprocess(emptyAsUndefined, base64Key.optional()),
  TOKEN_ENCRYPTION_KEYS_OLD: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((v) => v.split(",").map((k) => k.trim()).filter(Boolean))
      .pipe(z.array(base64Key))
      .default([]),
  ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MIGRATE_ON_START: z.preprocess(emptyAsUndefined, booleanString.default(true)),
  PROVIDER_TIMEOUT_MS: z.coerce
    .number({ message: "expected milliseconds" })
    .int("expected milliseconds")
    .min(100, "expected at least 100 ms")
    .max(120_000, "expected at most 120000 ms")
    .default(10_000),
  DROPBOX_UPLOAD_CHUNK_BYTES: z.coerce
    .number({ message: "expected a byte count" })
    .int("expected a byte count")
    .min(4 * 1024 * 1024, "expected at least 4194304 (4 MiB)")
    .max(148 * 1024 * 1024, "expected at most 155189248 (148 MiB)")
    .refine((n) => n % (4 * 1024 * 1024) === 0, "expected a multiple of 4194304 (4 MiB), as Dropbox requires")
    .default(8 * 1024 * 1024),
  SPOTIFY_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().max(200).optional()),
  SPOTIFY_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().max(200).optional()),
  SPOTIFY_REDIRECT_URI: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  SPOTIFY_AUTHORIZE_URL: httpUrl.default("https://accounts.spotify.com/authorize"),
  SPOTIFY_TOKEN_URL: httpUrl.default("https://accounts.spotify.com/api/token"),
  SPOTIFY_API_URL: httpUrl.default("https://api.spotify.com"),
  DROPBOX_APP_KEY: z.preprocess(emptyAsUndefined, z.string().max(200).optional()),
  DROPBOX_APP_SECRET: z.preprocess(emptyAsUndefined, z.string().max(200).optional()),
  DROPBOX_REDIRECT_URI: z.preprocess(emptyAsUndefined, httpUrl.optional()),
  DROPBOX_AUTHORIZE_URL: httpUrl.default("https://www.dropbox.com/oauth2/authorize"),
  DROPBOX_TOKEN_URL: httpUrl.default("https://api.dropboxapi.com/oauth2/token"),
  DROPBOX_API_URL: httpUrl.default("https://api.dropboxapi.com"),
  DROPBOX_CONTENT_URL: httpUrl.default("https://content.dropboxapi.com"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  nodeEnv: Env["NODE_ENV"];
  isProduction: boolean;
  port: number;
  host: string;
  publicUrl: string;
  appUrl: string;
  database: { kind: "embedded"; dataDir: string } | { kind: "server"; url: string };
  dataDir: string;
  tokenEncryption: { key: string | undefined; oldKeys: string[] };
  logLevel: Env["LOG_LEVEL"];
  migrateOnStart: boolean;
  /** How long a call to a provider may take before it counts as failed. */
  providerTimeoutMs: number;
  /** Null when SPOTIFY_CLIENT_ID is unset: Spotify fields say it is not configured. */
  spotify: (OAuthClientConfig & { apiUrl: string }) | null;
  /** Null when DROPBOX_APP_KEY is unset: the server runs, Dropbox fields say it is not configured. */
  dropbox: (OAuthClientConfig & { apiUrl: string; contentUrl: string; uploadChunkBytes: number }) | null;
}

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  authorizeUrl: string;
  tokenUrl: string;
}

/** Parses and validates the environment. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const [name, index] = issue.path;
      const variable =
        typeof index === "number" ? `${String(name)} (entry ${index + 1})` : String(name ?? "environment");
      return `  ${variable}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && !e.TOKEN_ENCRYPTION_KEY) {
    throw new ConfigError(
      "Invalid configuration:\n  TOKEN_ENCRYPTION_KEY: required when NODE_ENV=production " +
        "(32 random bytes as base64, e.g. `openssl rand -base64 32`)",
    );
  }
  if (e.DATABASE_URL && !e.TOKEN_ENCRYPTION_KEY) {
    // Several instances share one server database, so a key generated per instance would not do.
    throw new ConfigError(
      "Invalid configuration:\n  TOKEN_ENCRYPTION_KEY: required when DATABASE_URL is set " +
        "(every instance must share the key; 32 random bytes as base64)",
    );
  }
  if (e.SPOTIFY_CLIENT_ID && !e.SPOTIFY_CLIENT_SECRET) {
    throw new ConfigError("Invalid configuration:\n  SPOTIFY_CLIENT_SECRET: required when SPOTIFY_CLIENT_ID is set");
  }
  if (e.DROPBOX_APP_KEY && !e.DROPBOX_APP_SECRET) {
    throw new ConfigError("Invalid configuration:\n  DROPBOX_APP_SECRET: required when DROPBOX_APP_KEY is set");
  }
  return {
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === "production",
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    appUrl: e.APP_URL ?? e.PUBLIC_URL,
    database: e.DATABASE_URL
      ? { kind: "server", url: e.DATABASE_URL }
      : { kind: "embedded", dataDir: e.DATA_DIR },
    dataDir: e.DATA_DIR,
    tokenEncryption: { key: e.TOKEN_ENCRYPTION_KEY, oldKeys: e.TOKEN_ENCRYPTION_KEYS_OLD },
    logLevel: e.LOG_LEVEL,
    migrateOnStart: e.MIGRATE_ON_START,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    spotify:
      e.SPOTIFY_CLIENT_ID && e.SPOTIFY_CLIENT_SECRET
        ? {
            clientId: e.SPOTIFY_CLIENT_ID,
            clientSecret: e.SPOTIFY_CLIENT_SECRET,
            redirectUri: e.SPOTIFY_REDIRECT_URI ?? `${e.PUBLIC_URL}/auth/spotify/callback`,
            authorizeUrl: e.SPOTIFY_AUTHORIZE_URL,
            tokenUrl: e.SPOTIFY_TOKEN_URL,
            apiUrl: e.SPOTIFY_API_URL,
          }
        : null,
    dropbox:
      e.DROPBOX_APP_KEY && e.DROPBOX_APP_SECRET
        ? {
            clientId: e.DROPBOX_APP_KEY,
            clientSecret: e.DROPBOX_APP_SECRET,
            redirectUri: e.DROPBOX_REDIRECT_URI ?? `${e.PUBLIC_URL}/users/dropbox/callback`,
            authorizeUrl: e.DROPBOX_AUTHORIZE_URL,
            tokenUrl: e.DROPBOX_TOKEN_URL,
            apiUrl: e.DROPBOX_API_URL,
            contentUrl: e.DROPBOX_CONTENT_URL,
            uploadChunkBytes: e.DROPBOX_UPLOAD_CHUNK_BYTES,
          }
        : null,
  };
}
