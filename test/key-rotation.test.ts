import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ALICE, clientOf, connectDropbox, integrationOf, signUpUser, startDropboxStack } from "./support/dropbox.js";
import { DropboxFoldersDocument } from "./generated/graphql/graphql.js";
import { keyIdOf } from "../src/crypto/token-cipher.js";

describe("token encryption key rotation", () => {
  it("keeps integrations working after a key change and moves tokens to the new key on refresh", async () => {
    const oldKey = randomBytes(32).toString("base64");
    const newKey = randomBytes(32).toString("base64");
    const stack = await startDropboxStack("embedded", { env: { TOKEN_ENCRYPTION_KEY: oldKey } });
    try {
      const user = await signUpUser(stack.server);
      stack.emulator.dropbox.setBrowserAccount(ALICE);
      await connectDropbox(stack, user);
      const prisma = () => stack.server.server.database.prisma;
      const folders = async () => (await clientOf(stack.server, user).request(DropboxFoldersDocument)).dropboxFolders;
      const before = await prisma().integration.findFirstOrThrow({ where: { userId: user.id } });
      expect(before.refreshTokenEnc!.split(".")[1]).toBe(keyIdOf(Buffer.from(oldKey, "base64")));

      stack.server.env.TOKEN_ENCRYPTION_KEY = newKey;
      stack.server.env.TOKEN_ENCRYPTION_KEYS_OLD = oldKey;
      await stack.server.restart();
      expect((await folders()).__typename).toBe("DropboxFolderPage");

      stack.server.clock.advance(4 * 3600_000 + 60_000);
      expect((await folders()).__typename).toBe("DropboxFolderPage");
      const after = await prisma().integration.findFirstOrThrow({ where: { userId: user.id } });
      const newKeyId = keyIdOf(Buffer.from(newKey, "base64"));
      expect(after.accessTokenEnc!.split(".")[1]).toBe(newKeyId);
      expect(after.refreshTokenEnc!.split(".")[1]).toBe(newKeyId);

      // The old key can now be dropped.
      delete stack.server.env.TOKEN_ENCRYPTION_KEYS_OLD;
      await stack.server.restart();
      expect((await folders()).__typename).toBe("DropboxFolderPage");

      // A key lost without rotation: the tokens are unreadable, so the user is asked to reconnect.
      stack.server.env.TOKEN_ENCRYPTION_KEY = randomBytes(32).toString("base64");
      await stack.server.restart();
      expect(await folders()).toEqual({
        __typename: "ReconnectRequiredError",
        code: "RECONNECT_REQUIRED",
        provider: "DROPBOX",
        message: "Dropbox access was revoked or has expired: reconnect Dropbox",
      });
      expect(await integrationOf(stack.server, user, "DROPBOX")).toMatchObject({
        status: "RECONNECT_REQUIRED",
        lastError: expect.stringMatching(/encryption key changed/),
      });
    } finally {
      await stack.close();
    }
  }, 120_000);
});
