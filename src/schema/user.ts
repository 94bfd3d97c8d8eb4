import { builder, UserErrorInterface } from "./builder.js";
import { EmailTakenError, InvalidCredentialsError, TooManySignInAttemptsError, ValidationError } from "./errors.js";
import { emailSchema, newPasswordSchema, parseArg, passwordSchema } from "./validation.js";
import { decoyPasswordHash, hashPassword, verifyPassword } from "../auth/password.js";
import { clearedSessionCookie, sessionCookie } from "../auth/cookies.js";
import type { GraphQLContext } from "../context.js";
import { isUniqueViolation } from "../db/errors.js";

export const RoleEnum = builder.enumType("Role", { values: ["USER", "ADMIN"] as const });

export const UserType = builder.prismaObject("User", {
  fields: (t) => ({
    id: t.exposeID("id"),
    email: t.exposeString("email"),
    role: t.expose("role", { type: RoleEnum }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.objectType(EmailTakenError, {
  name: "EmailTakenError",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof EmailTakenError,
});

builder.objectType(TooManySignInAttemptsError, {
  name: "TooManySignInAttemptsError",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof TooManySignInAttemptsError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt("retryAfterSeconds") }),
});

builder.objectType(InvalidCredentialsError, {
  name: "InvalidCredentialsError",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof InvalidCredentialsError,
});

interface AuthPayloadShape {
  token: string;
  expiresAt: Date;
  user: { id: string; email: string; role: "USER" | "ADMIN"; createdAt: Date };
}

const AuthPayload = builder.objectRef<AuthPayloadShape>("AuthPayload").implement({
  description: "A new session. The token is also set as the HttpOnly `session` cookie.",
  fields: (t) => ({
    token: t.exposeString("token", { description: "Send as `Authorization: Bearer <token>` when not using the cookie" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    user: t.field({ type: UserType, resolve: (payload) => payload.user as never }),
  }),
});

async function startSession(context: GraphQLContext, user: AuthPayloadShape["user"]): Promise<AuthPayloadShape> {
  const { token, expiresAt } = await context.services.sessions.create(user.id);
  context.responseCookies.push(sessionCookie(token, expiresAt, cookieOptions(context)));
  return { token, expiresAt, user };
}

function cookieOptions(context: GraphQLContext) {
  return { secure: context.services.config.publicUrl.startsWith("https:") };
}

builder.queryField("me", (t) =>
  t.prismaField({
    type: "User",
    nullable: true,
    description: "The signed-in user, or null when the request carries no valid session",
    resolve: (query, _root, _args, context) =>
      context.viewer ? context.prisma.user.findUnique({ ...query, where: { id: context.viewer.id } }) : null,
  }),
);

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    errors: { types: [ValidationError, EmailTakenError] },
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const email = parseArg("email", emailSchema, args.email);
      const password = parseArg("password", newPasswordSchema, args.password);
      const lowered = password.toLowerCase();
      if (lowered === email || lowered === email.split("@")[0]) {
        throw new ValidationError("password", "Password must not be your email address");
      }
      const passwordHash = await hashPassword(password);
      try {
        const user = await context.prisma.user.create({ data: { email, passwordHash } });
        context.logger.info({ userId: user.id }, "user signed up");
        return startSession(context, user);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new EmailTakenError();
        }
        throw error;
      }
    },
  }),

  signIn: t.field({
    type: AuthPayload,
    errors: { types: [ValidationError, InvalidCredentialsError, TooManySignInAttemptsError] },
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const email = parseArg("email", emailSchema, args.email);
      const password = parseArg("password", passwordSchema, args.password);
      const throttle = context.services.signInThrottle;
      const lockedFor = await throttle.lockedFor(email);
      if (lockedFor > 0) throw new TooManySignInAttemptsError(lockedFor);
      const user = await context.prisma.user.findUnique({ where: { email } });
      const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
      if (!user || !valid) {
        await throttle.recordFailure(email);
        throw new InvalidCredentialsError();
      }
      await throttle.recordSuccess(email);
      return startSession(context, user);
    },
  }),

  signOut: t.boolean({
    description: "Ends the current session (cookie or Bearer). Always succeeds.",
    resolve: async (_root, _args, context) => {
      if (context.session) await context.services.sessions.invalidate(context.session.token);
      context.responseCookies.push(clearedSessionCookie(cookieOptions(context)));
      return true;
    },
  }),
}));
