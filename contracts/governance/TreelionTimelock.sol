// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title TreelionTimelock
/// @notice Holds `DEFAULT_ADMIN_ROLE` (and the operator roles) of every Treelion contract on public networks. The
/// governance multisig proposes (schedules) and may cancel; a change can be executed only after `getMinDelay()`
/// seconds, so users see every fee, criteria, verifier or allow-list change coming and can exit before it applies.
/// @dev OpenZeppelin's TimelockController unchanged, self-administered: no admin account, so the delay and the
/// proposer/executor sets change only through the timelock itself. `executors` may be `[address(0)]` (anyone
/// executes a ready operation).
contract TreelionTimelock is TimelockController {
    /// @param minDelay seconds every operation waits between schedule and execute
    /// @param proposers receive PROPOSER_ROLE and CANCELLER_ROLE (the governance multisig)
    /// @param executors receive EXECUTOR_ROLE (`address(0)`: open execution)
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors
    ) TimelockController(minDelay, proposers, executors, address(0)) {}
}
