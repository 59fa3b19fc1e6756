-- Tokens carry an explicit permission set (JSON [{ permission, services?, namespaces? }]) and an optional expiry.
-- Every existing token keeps exactly what it could do: register any service, read services, events and config,
-- and read secret config items where it was allowed to (readsSecrets).
ALTER TABLE "ApiToken" ADD COLUMN "permissions" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" TIMESTAMP(3);
UPDATE "ApiToken" SET "permissions" = CASE WHEN "readsSecrets" THEN '[{"permission":"registry.register"},{"permission":"services.read"},{"permission":"events.read"},{"permission":"config.read"},{"permission":"config.secrets"}]' ELSE '[{"permission":"registry.register"},{"permission":"services.read"},{"permission":"events.read"},{"permission":"config.read"}]' END;
ALTER TABLE "ApiToken" DROP COLUMN "readsSecrets";
