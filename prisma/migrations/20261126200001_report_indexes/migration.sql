-- CreateIndex
CREATE INDEX "enrolment_user_id_course_id_completed_at_idx" ON "enrolment"("user_id", "course_id", "completed_at");
