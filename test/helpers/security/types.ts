/**
 * Shared vocabulary of the adversarial tests (test/security) and the whole-suite property test.
 *
 * Every contract of the suite is described once, per area, in test/helpers/security/areas/NN-area.ts:
 * who may call each state-changing function (access), what pausing does to it (pause), and which bad
 * inputs it must refuse with which custom error (bad). The tests are generated from the deployed ABIs and
 * these descriptions; a function present in an ABI but absent from its description fails the tests, so
 * the descriptions stay complete as contracts grow.
 */
import type { Contract, Wallet } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { RoleName } from "../../../config/deploy-utils";

export type Signer = HardhatEthersSigner | Wallet;

/** The deployed suite, seeded by every area's setup. */
export interface World {
  /** Named signers (same indexes as test/helpers/suite.ts). */
  deployer: HardhatEthersSigner;
  verifier: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  dave: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  /** A fresh account created for the run: no role, no token, no allowance; only ETH for gas. */
  stranger: Wallet;
  /** Every contract by name: deployments (hardhat-deploy name) and contracts created at run time. */
  contracts: Record<string, Contract>;
  /** Artifact (contract type) of every entry of `contracts`. */
  artifactOf: Record<string, string>;
  /** Named ids and values the areas' setups created (projectId, batchId, listingId, dealId, …). */
  ids: Record<string, bigint>;
  /** Named addresses the areas' setups created. */
  addr: Record<string, string>;
  /** Anything else the setups share (signatures, structs). */
  data: Record<string, any>;
  /** Accounts whose balances the state digest covers. */
  actors: string[];
  /** Token ids (ERC-1155 batch ids, certificate ids, listing/deal ids, …) the state digest covers. */
  probeIds: bigint[];
}

/** Who may call a state-changing function. */
export type Access =
  /** Gated by an AccessControl role: a stranger gets AccessControlUnauthorizedAccount(stranger, role). */
  | { role: RoleName | { custom: string } }
  /**
   * The contract's own authorization (owner/seller/funder/approval checks): called by the stranger with
   * `args` that target someone else's assets, it reverts with custom error `error`.
   */
  | { auth: string; args: (w: World) => unknown[]; before?: (w: World) => Promise<void> }
  /** Disabled for everyone (e.g. soulbound transfers): always reverts `error`. */
  | { disabled: string; args?: (w: World) => unknown[] }
  /** Public by design (acts on the caller's own assets or is open); `why` is printed in the matrix. */
  | { open: string; args?: (w: World) => unknown[] };

/** A call that is valid apart from pausing: used to prove that pause is the only reason it reverts. */
export interface ValidCall {
  signer: (w: World) => Signer;
  args: (w: World) => unknown[] | Promise<unknown[]>;
  /** Runs before the call (e.g. approvals), while the contract is still unpaused. */
  before?: (w: World) => Promise<void>;
}

/** What pausing the contract does to a function. */
export type PausePolicy =
  /** Reverts EnforcedPause while paused (`call` is valid when unpaused). */
  | { stops: ValidCall }
  /** Keeps working while paused: money/credits leave to their rightful owner. */
  | { exits: ValidCall & { check?: (w: World) => Promise<void> }; why: string }
  /** Not affected and moves nothing (admin, approvals, the pause switch itself). */
  | { free: string };

/** A bad input and the custom error that must refuse it. */
export interface BadCase {
  /** Category shown in the coverage table. */
  kind: BadKind;
  what: string;
  signer: (w: World) => Signer;
  args: (w: World) => unknown[];
  error: string;
  /** Expected error arguments (optional; checked when given). */
  errorArgs?: (w: World) => unknown[];
  /** Runs before the call (approvals etc.); its effects are part of the "before" digest. */
  before?: (w: World) => Promise<void>;
}

export type BadKind =
  | "zero address"
  | "zero amount"
  | "max amount"
  | "overflow"
  | "empty array"
  | "oversized array"
  | "empty string"
  | "oversized string"
  | "deadline"
  | "unknown id"
  | "wrong state"
  | "invalid value"
  | "bad signature";

export interface FnSpec {
  access: Access;
  /** Required for functions of pausable contracts. */
  pause?: PausePolicy;
  /** Bad inputs, or why the function has none (e.g. no arguments). */
  bad: BadCase[] | { none: string };
}

export interface ContractSpec {
  /** Signature (e.g. "retire(uint256,uint256,address,string,string)") → description. */
  functions: Record<string, FnSpec>;
  /** The account holding PAUSER_ROLE (or equivalent) that can pause it, when pausable. */
  pauser?: (w: World) => Signer;
}

/** One area of the suite (foundation, pools, market, escrow, bonds). */
export interface Area {
  name: string;
  /** hardhat-deploy deployments the area needs; the area is inactive when one is missing. */
  deployments: string[];
  /** Seeds state after the full deploy (runs in file order, so later areas can use earlier ones). */
  setup?: (w: World) => Promise<void>;
  /** Contracts created at run time (e.g. a GreenBond from the factory): name → artifact + address. */
  runtime?: (w: World) => Promise<{ name: string; artifact: string; address: string }[]>;
  /** Contract type (artifact name) → description. */
  specs: Record<string, ContractSpec>;
}
