-- Fencing of late commits in the built-in adapters (issue 11). An attempt the Temporal server has
-- timed out may still run on a slow worker and commit after the workflow compensated its step: a
-- reservation, an ERP order or a carrier booking then outlives the cancelled order. Commit and
-- compensation of one effect both take this row first (by its unique key), so they serialize, and a
-- compensation leaves "compensated_at" set: a later commit for the key is refused.

-- CreateTable
CREATE TABLE "effect_fence" (
    "effect_key" TEXT NOT NULL,
    "compensated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "effect_fence_pkey" PRIMARY KEY ("effect_key")
);
