-- CreateEnum
CREATE TYPE "consultation_mode" AS ENUM ('in_person', 'video', 'phone', 'chat');

-- CreateEnum
CREATE TYPE "availability_exception_kind" AS ENUM ('time_off', 'extra_hours');

-- CreateEnum
CREATE TYPE "appointment_status" AS ENUM ('booked', 'confirmed', 'checked_in', 'in_consultation', 'completed', 'cancelled', 'no_show');

-- CreateTable
CREATE TABLE "appointment_types" (
    "id" UUID NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "price_minor" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'XAF',
    "mode" "consultation_mode" NOT NULL DEFAULT 'in_person',
    "is_active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "appointment_types_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_windows" (
    "id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "day_of_week" INTEGER NOT NULL,
    "starts_at" TIME(0) NOT NULL,
    "ends_at" TIME(0) NOT NULL,
    "valid_from" DATE,
    "valid_until" DATE,

    CONSTRAINT "availability_windows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_breaks" (
    "id" UUID NOT NULL,
    "window_id" UUID NOT NULL,
    "starts_at" TIME(0) NOT NULL,
    "ends_at" TIME(0) NOT NULL,

    CONSTRAINT "availability_breaks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_exceptions" (
    "id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "clinic_id" UUID,
    "kind" "availability_exception_kind" NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "availability_exceptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointments" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "doctor_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "appointment_type_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "appointment_status" NOT NULL DEFAULT 'booked',
    "mode" "consultation_mode" NOT NULL,
    "booked_by" UUID NOT NULL,
    "idempotency_key" VARCHAR(128),
    "cancellation_reason" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "checked_in_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "appointments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "topic" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" VARCHAR(500),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "appointment_types_code_key" ON "appointment_types"("code");

-- CreateIndex
CREATE INDEX "availability_windows_doctor_id_clinic_id_idx" ON "availability_windows"("doctor_id", "clinic_id");

-- CreateIndex
CREATE INDEX "availability_breaks_window_id_idx" ON "availability_breaks"("window_id");

-- CreateIndex
CREATE INDEX "availability_exceptions_doctor_id_starts_at_idx" ON "availability_exceptions"("doctor_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_doctor_id_starts_at_idx" ON "appointments"("doctor_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_patient_id_starts_at_idx" ON "appointments"("patient_id", "starts_at");

-- CreateIndex
CREATE INDEX "appointments_clinic_id_starts_at_idx" ON "appointments"("clinic_id", "starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "appointments_booked_by_idempotency_key_key" ON "appointments"("booked_by", "idempotency_key");

-- CreateIndex
CREATE INDEX "outbox_processed_at_created_at_idx" ON "outbox"("processed_at", "created_at");

-- AddForeignKey
ALTER TABLE "availability_windows" ADD CONSTRAINT "availability_windows_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctor_profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_windows" ADD CONSTRAINT "availability_windows_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_breaks" ADD CONSTRAINT "availability_breaks_window_id_fkey" FOREIGN KEY ("window_id") REFERENCES "availability_windows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_exceptions" ADD CONSTRAINT "availability_exceptions_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctor_profiles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_doctor_id_fkey" FOREIGN KEY ("doctor_id") REFERENCES "doctor_profiles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_appointment_type_id_fkey" FOREIGN KEY ("appointment_type_id") REFERENCES "appointment_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- Hand-written: PostgreSQL itself never lets a doctor or a patient be in two active appointments
-- at once (cancelled and no-show appointments free their time).
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE "appointments"
  ADD CONSTRAINT "appointments_time_order" CHECK ("ends_at" > "starts_at"),
  ADD CONSTRAINT "appointments_no_double_booking_doctor" EXCLUDE USING gist (
    "doctor_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
  ) WHERE ("status" NOT IN ('cancelled', 'no_show')),
  ADD CONSTRAINT "appointments_no_double_booking_patient" EXCLUDE USING gist (
    "patient_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&
  ) WHERE ("status" NOT IN ('cancelled', 'no_show'));

ALTER TABLE "appointment_types"
  ADD CONSTRAINT "appointment_types_duration" CHECK ("duration_minutes" BETWEEN 5 AND 480),
  ADD CONSTRAINT "appointment_types_price" CHECK ("price_minor" >= 0);

ALTER TABLE "availability_windows"
  ADD CONSTRAINT "availability_windows_day" CHECK ("day_of_week" BETWEEN 0 AND 6),
  ADD CONSTRAINT "availability_windows_not_empty" CHECK ("ends_at" <> "starts_at");

ALTER TABLE "availability_exceptions"
  ADD CONSTRAINT "availability_exceptions_order" CHECK ("ends_at" > "starts_at"),
  ADD CONSTRAINT "availability_exceptions_extra_hours_at_a_clinic" CHECK ("kind" <> 'extra_hours' OR "clinic_id" IS NOT NULL);
