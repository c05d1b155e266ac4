/**
 * Governance: TreelionTimelock (OpenZeppelin TimelockController, self-administered).
 *
 * Locally the named `admin` (the deployer) is proposer, canceller and executor; minDelay is 60 s.
 * Seeded state: none (the timelock holds DEFAULT_ADMIN_ROLE on every contract beside the deployer).
 */

import { ethers } from "hardhat";
import type { Area, World } from "../types";
import { ZERO, accessControlSpecs } from "../common";

const ZERO32 = ethers.ZeroHash;
const UNKNOWN = ethers.id("no such operation");
const tl = (w: World) => w.contracts.TreelionTimelock.target as string;
const receiverHook = {
  access: { open: "token-receiver hook: only returns its selector, moves nothing" },
  bad: { none: "accepts any token, as TimelockController does" },
} as const;

const area: Area = {
  name: "governance",
  deployments: ["TreelionTimelock"],
  specs: {
    TreelionTimelock: {
      functions: {
        ...accessControlSpecs(),
        schedule: {
          access: { role: { custom: ethers.id("PROPOSER_ROLE") } },
          bad: [
            {
              kind: "invalid value",
              what: "delay below minDelay",
              signer: (w) => w.deployer,
              args: (w) => [tl(w), 0n, "0x", ZERO32, ZERO32, 1n],
              error: "TimelockInsufficientDelay",
              errorArgs: () => [1n, 60n],
            },
          ],
        },
        scheduleBatch: {
          access: { role: { custom: ethers.id("PROPOSER_ROLE") } },
          bad: [
            {
              kind: "invalid value",
              what: "targets and values of different lengths",
              signer: (w) => w.deployer,
              args: (w) => [[tl(w)], [], ["0x"], ZERO32, ZERO32, 60n],
              error: "TimelockInvalidOperationLength",
            },
          ],
        },
        cancel: {
          access: { role: { custom: ethers.id("CANCELLER_ROLE") } },
          bad: [
            {
              kind: "unknown id",
              what: "operation never scheduled",
              signer: (w) => w.deployer,
              args: () => [UNKNOWN],
              error: "TimelockUnexpectedOperationState",
            },
          ],
        },
        execute: {
          access: { role: { custom: ethers.id("EXECUTOR_ROLE") } },
          bad: [
            {
              kind: "unknown id",
              what: "operation never scheduled",
              signer: (w) => w.deployer,
              args: () => [ZERO, 0n, "0x", ZERO32, ZERO32],
              error: "TimelockUnexpectedOperationState",
            },
          ],
        },
        executeBatch: {
          access: { role: { custom: ethers.id("EXECUTOR_ROLE") } },
          bad: [
            {
              kind: "invalid value",
              what: "targets and payloads of different lengths",
              signer: (w) => w.deployer,
              args: () => [[ZERO], [0n], [], ZERO32, ZERO32],
              error: "TimelockInvalidOperationLength",
            },
          ],
        },
        updateDelay: {
          access: { auth: "TimelockUnauthorizedCaller", args: () => [3600n] },
          bad: [
            {
              kind: "invalid value",
              what: "called directly by the proposer (only the timelock itself may)",
              signer: (w) => w.deployer,
              args: () => [3600n],
              error: "TimelockUnauthorizedCaller",
            },
          ],
        },
        onERC721Received: receiverHook,
        onERC1155Received: receiverHook,
        onERC1155BatchReceived: receiverHook,
      },
    },
  },
};

export default area;
