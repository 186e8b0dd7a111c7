// The usage ledger (SPEC §3.1–3.4): reconciliation, cost centers, entries, free cycle resets and
// current-cycle usage. Other services import from here only.
export { reconcileInstances, reconcileUsage, lastLedgerWatermark, type ReconcileDeps, type ReconcileUsageDeps } from "./reconcile";
export { openCostCenter, openCostCenterSql, appendLedgerEntry, grantCreditNote, type LedgerEntryInput } from "./entries";
export { resetDueFreeCycles, ensureCycleCurrent, resetKey } from "./cycles";
export { currentCycleUsage, teamCycleUsage, type CycleUsage, type CostCenterState } from "./usage";
