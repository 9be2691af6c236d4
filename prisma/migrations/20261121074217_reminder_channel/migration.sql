-- CreateEnum
CREATE TYPE "reminder_channel" AS ENUM ('sms', 'email');

-- AlterTable
ALTER TABLE "user_profiles" ADD COLUMN     "reminder_channel" "reminder_channel";
