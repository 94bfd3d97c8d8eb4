-- CreateEnum
CREATE TYPE "DropboxExportStatus" AS ENUM ('PENDING', 'UPLOADING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "DropboxExport" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "status" "DropboxExportStatus" NOT NULL DEFAULT 'PENDING',
    "fileName" TEXT NOT NULL,
    "targetPath" TEXT NOT NULL,
    "finalPath" TEXT,
    "bytesSent" BIGINT NOT NULL DEFAULT 0,
    "totalBytes" BIGINT,
    "contentHash" TEXT,
    "shareUrl" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DropboxExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DropboxExport_userId_createdAt_idx" ON "DropboxExport"("userId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "DropboxExport" ADD CONSTRAINT "DropboxExport_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

