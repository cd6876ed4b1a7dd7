-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "billing_address" JSONB;

