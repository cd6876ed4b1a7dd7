-- retry-all reads the latest event of each run on one step, and the audit search filters by target or actor.

-- CreateIndex
CREATE INDEX "step_event_step_workflow_id_id_idx" ON "step_event"("step", "workflow_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_target_id_id_idx" ON "audit_log"("target_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_idx" ON "audit_log"("actor", "id");
