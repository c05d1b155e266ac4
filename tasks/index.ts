// Operator tasks are registered here (one file per area).
import "../sdk/indexer/tasks";
export {};
