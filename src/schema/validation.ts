import { z } from "zod";
import { ValidationError } from "./errors.js";

/** Parses one argument with zod; failures become a typed ValidationError naming the argument. */
export function parseArg<T>(field: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(field, result.error.issues[0]?.message ?? `${field} is invalid`);
}

export const emailSchema = z
  .string()
  .max(254, "Email must be at most 254 characters")
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.email("Email must be a valid address like name@example.com"));

export const MIN_PASSWORD_LENGTH = 10;
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(256, "Password must be at most 256 characters")
  .refine((v) => new Set(v).size >= 4, "Password is too simple: use more varied characters");

/** Sign-in only bounds the size: rules for new passwords may change after accounts exist. */
export const passwordSchema = z.string().min(1, "Password is required").max(256, "Password must be at most 256 characters");
