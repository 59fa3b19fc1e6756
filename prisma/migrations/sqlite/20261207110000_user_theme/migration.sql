-- AlterTable: the colour theme each user chose: light, dark or system (follow the browser)
ALTER TABLE "User" ADD COLUMN "theme" TEXT NOT NULL DEFAULT 'system';
