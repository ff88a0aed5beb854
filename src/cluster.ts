// HR_SCIM_WORKERS=N (N > 1, PostgreSQL only): N server processes share one port (node:cluster; the
// primary hands out connections). The primary prepares the store once (migrations, the demo seed of a
// first run), then forks the workers, each a whole stateless server (src/main.ts) with its own pool;
// the scheduler's runs are claimed in PostgreSQL, so each still runs once. A worker that dies is
// replaced; SIGTERM (or SIGINT) is passed to every worker, and the primary exits once all have
// stopped gracefully (exit status 1 if any did not). The embedded PGlite store is one process's.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "winston";

/** Set in a worker's environment: the primary did the one-time start-up work. */
const CLUSTER_WORKER_ENV = "HR_SCIM_CLUSTER_WORKER";

/** What a worker tells the primary once it listens. */
interface ListeningMessage { type: "hr-scim:listening" }

export function isClusterWorker(env: NodeJS.ProcessEnv = process.env): boolean {
  return cluster.isWorker && env[CLUSTER_WORKER_ENV] === "1";
}

/** A worker tells the primary it listens (the primary prints the start-up notice once all do). */
export function reportListening(): void {
  process.send?.({ type: "hr-scim:listening" } satisfies ListeningMessage);
}

export interface ClusterOptions {
  workers: number;
  logger: Logger;
  /** How long the primary waits for the workers after passing on SIGTERM before killing them. */
  stopTimeoutMs: number;
  /** Called once every worker listens (the first time). */
  onAllListening: () => void;
}

/** Forks and supervises the workers; resolves never (the process exits when the workers have stopped). */
export function runClusterPrimary(options: ClusterOptions): void {
  const { logger } = options;
  const live = new Set<Worker>();
  const listening = new Set<number>();
  let announced = false;
  let stopping = false;
  let failures = 0;
  let exitCode = 0;

  const fork = () => {
    const worker = cluster.fork({ [CLUSTER_WORKER_ENV]: "1" });
    const startedAt = Date.now();
    live.add(worker);
    worker.on("message", (message: unknown) => {
      if ((message as ListeningMessage | null)?.type !== "hr-scim:listening") return;
      listening.add(worker.id);
      if (!announced && listening.size >= options.workers) { announced = true; options.onAllListening(); }
    });
    worker.on("exit", (code, signal) => {
      live.delete(worker);
      listening.delete(worker.id);
      if (stopping) {
        if (code !== 0) exitCode = 1;
        if (live.size === 0) { logger.info("all workers stopped", { clean: exitCode === 0 }); process.exit(exitCode); }
        return;
      }
      // A worker that dies at once, again and again (a bad configuration), stops the whole server.
      failures = Date.now() - startedAt < 10_000 ? failures + 1 : 0;
      logger.error("worker exited; starting another", { pid: worker.process.pid, code, signal });
      if (failures >= 5) {
        logger.error("workers keep failing at start; stopping", { failures });
        stop("worker failures", 1);
        return;
      }
      fork();
    });
  };

  const stop = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info("stopping workers", { reason, workers: live.size });
    if (live.size === 0) process.exit(exitCode);
    for (const worker of live) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of live) worker.process.kill("SIGKILL");
      process.exit(1);
    }, options.stopTimeoutMs).unref();
  };

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  for (let i = 0; i < options.workers; i++) fork();
  logger.info("cluster started", { workers: options.workers, pid: process.pid });
}
