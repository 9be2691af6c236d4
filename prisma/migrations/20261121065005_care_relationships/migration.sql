-- CreateEnum
CREATE TYPE "care_relationship_kind" AS ENUM ('registration', 'assignment');

-- CreateTable
CREATE TABLE "care_relationships" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "staff_user_id" UUID,
    "kind" "care_relationship_kind" NOT NULL,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),

    CONSTRAINT "care_relationships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "emergency_access_grants" (
    "id" UUID NOT NULL,
    "staff_user_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "emergency_access_grants_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "care_relationships_patient_id_clinic_id_idx" ON "care_relationships"("patient_id", "clinic_id");

-- CreateIndex
CREATE INDEX "care_relationships_staff_user_id_idx" ON "care_relationships"("staff_user_id");

-- CreateIndex
CREATE INDEX "emergency_access_grants_patient_id_staff_user_id_expires_at_idx" ON "emergency_access_grants"("patient_id", "staff_user_id", "expires_at");

-- AddForeignKey
ALTER TABLE "care_relationships" ADD CONSTRAINT "care_relationships_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "care_relationships" ADD CONSTRAINT "care_relationships_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "care_relationships" ADD CONSTRAINT "care_relationships_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_access_grants" ADD CONSTRAINT "emergency_access_grants_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_access_grants" ADD CONSTRAINT "emergency_access_grants_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "emergency_access_grants" ADD CONSTRAINT "emergency_access_grants_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: an emergency grant is short (at most 4 hours) and says why.
ALTER TABLE "emergency_access_grants"
  ADD CONSTRAINT "emergency_access_grants_window" CHECK ("expires_at" > "created_at" AND "expires_at" <= "created_at" + interval '4 hours'),
  ADD CONSTRAINT "emergency_access_grants_reason" CHECK (length(trim("reason")) >= 10);
