// Retention of the HR change feed (issue 11): at each tenant's local midnight, its changes older
// than its retention period (tenants.hr_change_retention_days, default 400 days) are deleted.
import { purgeHrChanges } from "../hr/changes.js";
import { lastLocalMidnight, nextLocalMidnight, type ScheduledJob } from "./scheduled-job.js";

export const hrRetentionJob: ScheduledJob = {
  name: "hr-change-retention",
  dueAt: lastLocalMidnight,
  nextDueAt: nextLocalMidnight,
  async run(db, tenant, _dueAt, now) {
    return { changesPurged: await purgeHrChanges(db, now, tenant.id) };
  },
};
