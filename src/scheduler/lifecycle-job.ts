// The lifecycle step (product.md section 2): at each tenant's local midnight, its stored lifecycle
// moves to the new day (hr/lifecycle-state refreshLifecycle), so that leavers turn inactive, starters
// appear and lastModified moves without any read computing it. A read that comes first refreshes the
// tenant itself; the step then finds nothing to do.
import { localDate } from "../hr/lifecycle.js";
import { refreshLifecycle } from "../hr/lifecycle-state.js";
import { lastLocalMidnight, nextLocalMidnight, type ScheduledJob } from "./scheduled-job.js";

export const lifecycleJob: ScheduledJob = {
  name: "lifecycle",
  dueAt: lastLocalMidnight,
  nextDueAt: nextLocalMidnight,
  async run(db, tenant, _dueAt, now) {
    const changed = await refreshLifecycle(db, tenant.id, localDate(now, tenant.timeZone));
    return { employeesChanged: changed };
  },
};
