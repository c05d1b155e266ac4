// Operator tasks are registered here (one file per area).
export {};
