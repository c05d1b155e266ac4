// Operator tasks (one file per area). Nothing here imports TypeChain types: hardhat.config.ts loads this
// before compilation, so contracts are built from deployment/artifact ABIs inside the actions.
import "./deploy";
import "./projects";
import "./credits";
import "./pools";
import "./market";
import "./escrow";
import "./bonds";
import "./buffer";
import "./roles";
import "./compliance";
import "./local";
import "./verify";
import "./gov";
import "./ledger";
