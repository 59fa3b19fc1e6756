-- AlterTable: users provisioned by single sign-on, known by their provider (issuer) and its subject; null for local users
ALTER TABLE "User" ADD COLUMN "ssoIssuer" TEXT;
ALTER TABLE "User" ADD COLUMN "ssoSubject" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "User_ssoIssuer_ssoSubject_key" ON "User"("ssoIssuer", "ssoSubject");
