-- AlterTable: users provisioned by single sign-on, known by their provider (issuer) and its subject; null for local users
ALTER TABLE "User" ADD COLUMN "ssoIssuer" TEXT;
ALTER TABLE "User" ADD COLUMN "ssoSubject" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "User_ssoIssuer_ssoSubject_key" ON "User"("ssoIssuer", "ssoSubject");

-- AlterTable: a session begun through single sign-on keeps the provider's refresh token (sealed) and when the role
-- was last checked with it
ALTER TABLE "Session" ADD COLUMN "ssoRefreshToken" TEXT;
ALTER TABLE "Session" ADD COLUMN "ssoCheckedAt" TIMESTAMP(3);
