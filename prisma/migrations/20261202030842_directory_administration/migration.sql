-- Appointment types become bilingual, may belong to one clinic (managed by its admins) and may
-- happen in several modes. Existing rows keep their name (in both languages until translated)
-- and their one mode.
ALTER TABLE "appointment_types" RENAME COLUMN "name" TO "name_en";
ALTER TABLE "appointment_types"
ADD COLUMN     "clinic_id" UUID,
ADD COLUMN     "modes" "consultation_mode"[] DEFAULT ARRAY['in_person']::"consultation_mode"[],
ADD COLUMN     "name_fr" VARCHAR(100);
UPDATE "appointment_types" SET "name_fr" = "name_en", "modes" = ARRAY["mode"];
ALTER TABLE "appointment_types" ALTER COLUMN "name_fr" SET NOT NULL;
ALTER TABLE "appointment_types" DROP COLUMN "mode";

-- AlterTable
ALTER TABLE "appointments" ADD COLUMN     "meeting_url" VARCHAR(500);

-- CreateIndex
CREATE INDEX "appointment_types_clinic_id_idx" ON "appointment_types"("clinic_id");

-- AddForeignKey
ALTER TABLE "appointment_types" ADD CONSTRAINT "appointment_types_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- What the service validates, held by the database too: a type lasts some time (at most a day),
-- costs nothing or more, and happens in at least one mode (the service also refuses a mode twice:
-- a CHECK constraint cannot hold a subquery).
ALTER TABLE "appointment_types" ADD CONSTRAINT "appointment_types_duration_positive" CHECK ("duration_minutes" > 0 AND "duration_minutes" <= 1440);
ALTER TABLE "appointment_types" ADD CONSTRAINT "appointment_types_price_not_negative" CHECK ("price_minor" >= 0);
ALTER TABLE "appointment_types" ADD CONSTRAINT "appointment_types_modes_present" CHECK (
  "modes" IS NOT NULL AND cardinality("modes") BETWEEN 1 AND 4 AND array_position("modes", NULL) IS NULL
);
ALTER TABLE "appointment_types" ADD CONSTRAINT "appointment_types_names_present" CHECK (btrim("name_en") <> '' AND btrim("name_fr") <> '');
