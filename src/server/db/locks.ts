/**
 * The PostgreSQL advisory lock keys kaohe takes, in one place so that no two uses share a key by accident.
 * The audit chain's is also written in migrations 0001 and 0015 (their trigger takes it).
 */
export const ADVISORY_LOCKS = {
  /** Appends to the audit chain (transaction-level). */
  auditChain: 727166,
  /** Creating the first administrators at first start (transaction-level). */
  bootstrap: 727167,
  /** Applying the migrations (session-level, held by the migrating process). */
  migrations: 727168,
} as const;
