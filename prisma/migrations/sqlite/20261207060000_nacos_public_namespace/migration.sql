-- Nacos clients with no namespace (tenant) read and publish config in "public", Nacos's default namespace.
INSERT INTO "ConfigNamespace" ("name", "description") VALUES ('public', 'Nacos clients'' default namespace') ON CONFLICT ("name") DO NOTHING;
