-- The invoice list filtered by status walks (status, created_at, id) in its own order, seek included,
-- without sorting ties on id (issue 13). It replaces the (status, created_at) index, a prefix of it.

-- DropIndex
DROP INDEX "invoice_status_created_at_idx";

-- CreateIndex
CREATE INDEX "invoice_status_created_at_id_idx" ON "invoice"("status", "created_at", "id");
