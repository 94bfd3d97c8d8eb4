-- CreateEnum
CREATE TYPE "IntegrationEventType" AS ENUM ('CONNECTED', 'REFRESHED', 'REFRESH_FAILED', 'RECONNECT_REQUIRED', 'DISCONNECTED', 'REVOCATION_FAILED', 'ROLE_CHANGED');

-- AlterTable
ALTER TABLE "OAuthState" ADD COLUMN     "targetUserId" UUID;

-- CreateTable
CREATE TABLE "IntegrationEvent" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "provider" "IntegrationProvider",
    "type" "IntegrationEventType" NOT NULL,
    "actorId" UUID,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntegrationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IntegrationEvent_userId_createdAt_idx" ON "IntegrationEvent"("userId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "IntegrationEvent" ADD CONSTRAINT "IntegrationEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationEvent" ADD CONSTRAINT "IntegrationEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

