import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/**
 * Structured JSON logs. Redaction is a safety net: code must not pass secrets to the logger,
 * but if a header or token field slips into a log object it is censored.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "quizzical-beats-integrations" },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "headers.authorization",
          "headers.cookie",
          "*.password",
          "*.token",
          "*.accessToken",
          "*.refreshToken",
          "*.access_token",
          "*.refresh_token",
          "*.code_verifier",
          "*.client_secret",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
