-- Hand-written: names sort as people read them (the Unicode root collation: "Ébodé" next to
-- "Ebode", before "Eyenga"), in ORDER BY and in keyset comparisons alike. Prisma's schema cannot
-- state a column collation; schema.prisma notes it on the fields.
ALTER TABLE "user_profiles" ALTER COLUMN "last_name" SET DATA TYPE VARCHAR(100) COLLATE "und-x-icu";
ALTER TABLE "user_profiles" ALTER COLUMN "first_name" SET DATA TYPE VARCHAR(100) COLLATE "und-x-icu";
