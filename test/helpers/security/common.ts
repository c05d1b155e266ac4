/** Descriptions shared by many contracts: OpenZeppelin AccessControl, ERC-20 (+ permit), ERC-1155 approvals. */
import { ethers } from "hardhat";
import type { FnSpec, World, Signer } from "./types";
import { ROLES } from "../../../config/deploy-utils";

export const MAX = ethers.MaxUint256;
export const ZERO = ethers.ZeroAddress;
/** n bytes of text. */
export const text = (n: number) => "x".repeat(n);

const ONE32 = ethers.zeroPadValue("0x01", 32);

/**
 * A well-formed signature by an account that is not the token holder (set up by the foundation area):
 * it recovers to some address other than the owner, so a permit with it is refused.
 */
export function forged(w: World): [number, string, string] {
  const sig = w.data.forgedSignature as { v: number; r: string; s: string };
  return [sig.v, sig.r, sig.s];
}

/** grantRole / revokeRole / renounceRole of OpenZeppelin AccessControl. */
export function accessControlSpecs(): Record<string, FnSpec> {
  return {
    grantRole: {
      access: { role: "DEFAULT_ADMIN" },
      pause: { free: "role administration moves no asset" },
      bad: { none: "any role id and account are valid (granting is idempotent); only the role admin may call" },
    },
    revokeRole: {
      access: { role: "DEFAULT_ADMIN" },
      pause: { free: "role administration moves no asset" },
      bad: { none: "any role id and account are valid (revoking is idempotent); only the role admin may call" },
    },
    renounceRole: {
      access: { auth: "AccessControlBadConfirmation", args: (w) => [ROLES.VERIFIER, w.verifier.address] },
      pause: { free: "role administration moves no asset" },
      bad: [
        {
          kind: "invalid value",
          what: "confirmation is not the caller",
          signer: (w) => w.verifier,
          args: (w) => [ROLES.VERIFIER, w.alice.address],
          error: "AccessControlBadConfirmation",
        },
      ],
    },
  };
}

/**
 * The pause switch every pausable suite contract shares (one guardian-pausable base): PAUSER_ROLE pauses, only
 * DEFAULT_ADMIN_ROLE unpauses, and unpausing a running contract reverts ExpectedPause.
 */
export function pauseSpecs(): Record<string, FnSpec> {
  return {
    pause: {
      access: { role: "PAUSER" },
      pause: { free: "the switch itself (pausing twice reverts EnforcedPause)" },
      bad: { none: "no arguments" },
    },
    unpause: {
      access: { role: "DEFAULT_ADMIN" },
      pause: { free: "the switch itself" },
      bad: [
        {
          kind: "wrong state",
          what: "not paused",
          signer: (w) => w.deployer,
          args: () => [],
          error: "ExpectedPause",
        },
      ],
    },
  };
}

/** Signs an ERC-2612 permit of `token` (the SDK's signPermit: name/version from its EIP-712 domain). */
export { signPermit } from "../../../sdk";

/**
 * transfer / approve / transferFrom / permit of an OpenZeppelin ERC-20 (+ ERC-2612) held by `holder`.
 * `pausable`: false (not pausable), "stops" (transfers stop while paused) or { free } (pausable contract whose
 * token transfers are deliberately not paused).
 */
export function erc20Specs(
  name: string,
  holder: (w: World) => Signer,
  pausable: false | "stops" | { free: string },
): Record<string, FnSpec> {
  const token = (w: World) => w.contracts[name];
  const holderAddr = async (w: World) => (holder(w) as any).address as string;
  const p = <T extends FnSpec["pause"]>(x: T): FnSpec["pause"] =>
    pausable === false ? undefined : pausable === "stops" ? x : pausable;
  return {
    transfer: {
      access: { open: "moves the caller's own tokens" },
      pause: p({ stops: { signer: holder, args: (w) => [w.bob.address, 1n] } }),
      bad: [
        {
          kind: "zero address",
          what: "to = 0",
          signer: holder,
          args: () => [ZERO, 1n],
          error: "ERC20InvalidReceiver",
          errorArgs: () => [ZERO],
        },
        {
          kind: "max amount",
          what: "amount = max uint",
          signer: holder,
          args: (w) => [w.bob.address, MAX],
          error: "ERC20InsufficientBalance",
        },
      ],
    },
    approve: {
      access: { open: "sets the caller's own allowance" },
      pause: p({ free: "an allowance moves no token" }),
      bad: [
        {
          kind: "zero address",
          what: "spender = 0",
          signer: holder,
          args: () => [ZERO, 1n],
          error: "ERC20InvalidSpender",
          errorArgs: () => [ZERO],
        },
      ],
    },
    transferFrom: {
      access: { auth: "ERC20InsufficientAllowance", args: (w) => [(holder(w) as any).address, w.stranger.address, 1n] },
      pause: p({
        stops: {
          signer: (w) => w.bob,
          before: async (w) =>
            void (await (await (token(w).connect(holder(w)) as any).approve(w.bob.address, 1n)).wait()),
          args: async (w) => [await holderAddr(w), w.bob.address, 1n],
        },
      }),
      bad: [
        {
          kind: "max amount",
          what: "amount above the allowance",
          signer: (w) => w.bob,
          args: (w) => [(holder(w) as any).address, w.bob.address, MAX],
          error: "ERC20InsufficientAllowance",
        },
        {
          kind: "zero address",
          what: "to = 0",
          signer: (w) => w.bob,
          before: async (w) =>
            void (await (await (token(w).connect(holder(w)) as any).approve(w.bob.address, 5n)).wait()),
          args: (w) => [(holder(w) as any).address, ZERO, 1n],
          error: "ERC20InvalidReceiver",
        },
      ],
    },
    permit: {
      access: {
        auth: "ERC2612InvalidSigner",
        args: (w) => [(holder(w) as any).address, w.stranger.address, 1n, MAX, ...forged(w)],
      },
      pause: p({ free: "an allowance moves no token" }),
      bad: [
        {
          kind: "deadline",
          what: "deadline in the past",
          signer: (w) => w.bob,
          args: (w) => [(holder(w) as any).address, w.bob.address, 1n, 1n, ...forged(w)],
          error: "ERC2612ExpiredSignature",
          errorArgs: () => [1n],
        },
        {
          kind: "bad signature",
          what: "signature by someone else",
          signer: (w) => w.bob,
          args: (w) => [(holder(w) as any).address, w.bob.address, 1n, MAX, ...forged(w)],
          error: "ERC2612InvalidSigner",
        },
        {
          kind: "bad signature",
          what: "malformed signature (v = 0)",
          signer: (w) => w.bob,
          args: (w) => [(holder(w) as any).address, w.bob.address, 1n, MAX, 0, ONE32, ONE32],
          error: "ECDSAInvalidSignature",
        },
      ],
    },
  };
}
